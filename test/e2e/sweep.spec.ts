// The sweep page's views on a three-point weight-decay sweep: the scaling plot must show the same
// slope as `grokking-lab sweep-report` prints, the phase map a cell per λ, and the λ·η·t collapse.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, watchConsole } from './support/lab-fixture'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const BIN = path.join(root, 'bin', 'grokking-lab.mjs')

interface Progress {
  progress: { done: number; total: number; failed: number[] }
}

/** The fit rows of sweep-report's second table: columns are separated by two or more spaces. */
function parseFits(text: string): { clock: string; fit: string; slope: string }[] {
  const lines = text.split('\n')
  const header = lines.findIndex((l) => /^clock\s{2,}fit\s{2,}/.test(l))
  if (header < 0) throw new Error(`no fit table in:\n${text}`)
  const rows: { clock: string; fit: string; slope: string }[] = []
  for (const line of lines.slice(header + 1)) {
    const cols = line.split(/\s{2,}/)
    if (cols.length < 4 || !/^T_/.test(cols[0])) break
    rows.push({ clock: cols[0], fit: cols[1], slope: cols[3] })
  }
  return rows
}

test('sweep views: scaling slope matches sweep-report, phase map and λ collapse', async ({ lab, page }, testInfo) => {
  test.setTimeout(420_000)
  const checkConsole = watchConsole(page)
  const { sweepId } = await lab.api<{ sweepId: number }>('POST', '/api/sweeps', {
    preset: 'modadd-mlp-small',
    // The preset's 3,000 steps: every one of these λ groks within them (seed 0), so T_gen has a fit.
    config: { eval_every: 20 },
    grid: [{ key: 'wd', values: [1, 1.5, 2] }],
    seeds: 1,
    concurrency: 2,
  })
  await expect
    .poll(async () => {
      const { progress } = await lab.api<Progress>('GET', `/api/sweeps/${sweepId}`)
      return progress.done === progress.total
    }, { timeout: 240_000, intervals: [2000] })
    .toBe(true)

  const cli = spawnSync(process.execPath, [BIN, 'sweep-report', String(sweepId), '--db', lab.dbPath], { cwd: root, encoding: 'utf8' })
  expect(cli.status, cli.stderr).toBe(0)
  await testInfo.attach('sweep-report.txt', { body: cli.stdout, contentType: 'text/plain' })
  const fits = parseFits(cli.stdout).filter((f) => f.fit === 'log T ~ log wd' && f.slope !== '-')
  const chosen = fits.find((f) => f.clock === 'T_gen')!
  expect(chosen, `a T_gen fit against wd:\n${cli.stdout}`).toBeTruthy()
  // More weight decay, earlier generalization (the theory says T_gen ∝ 1/λ): a negative exponent.
  expect(Number(chosen.slope), cli.stdout).toBeLessThan(0)

  await page.goto(`${lab.url}#/sweeps/${sweepId}`)
  await expect(page.getByTestId('sweep-done')).toHaveText('3 / 3 completed')
  await page.getByTestId('scaling-select').selectOption({ label: `${chosen.clock} vs wd` })
  await expect(page.getByTestId('scaling-slope')).toContainText(`slope ${chosen.slope} `)
  await expect(page.locator('.scaling-chart canvas')).toHaveCount(1)
  await page.getByTestId('scaling-panel').screenshot({ path: testInfo.outputPath('sweep-scaling.png') })

  await expect(page.getByTestId('phase-map')).toBeVisible()
  const cells = page.getByTestId('phase-cell')
  await expect(cells).toHaveCount(3)
  const cellRuns = await cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-runs') ?? ''))
  expect(cellRuns.every((r) => /^\d+$/.test(r))).toBe(true)
  await page.locator('.phase-map-wrap').screenshot({ path: testInfo.outputPath('sweep-phase-map.png') })

  const collapse = page.getByTestId('collapse-chart')
  await expect(collapse).toHaveAttribute('data-series', '3')
  // Both charts painted their curves (a chart sets data-drawn-points once ECharts has drawn data).
  await expect(collapse.locator('.line-chart-canvas[data-drawn-points]')).toHaveCount(2)
  await collapse.screenshot({ path: testInfo.outputPath('sweep-collapse.png') })
  await page.screenshot({ path: testInfo.outputPath('sweep-views.png'), fullPage: true })

  // A cell opens Compare on its runs.
  await cells.first().click()
  await expect(page).toHaveURL(new RegExp(`#/compare\\?runs=${cellRuns[0]}$`))
  await page.screenshot({ path: testInfo.outputPath('sweep-cell-compare.png'), fullPage: true })
  checkConsole()
})
