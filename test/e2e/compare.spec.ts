// The clock plots of the Compare view: two runs at different weight decay, their clocks in the
// table and as markers, the slow-clock axis λ·η·t, and a threshold edit that recomputes the clocks.
import type { Page } from '@playwright/test'
import { expect, test, watchConsole } from './support/lab-fixture'

interface StoredClocks {
  T_mem: number | null
  T_gen: number | null
}

const stepNumber = (text: string | null) => Number((text ?? '').replace(/[^0-9]/g, ''))
const cell = (page: Page, runId: number, clock: string) => page.locator(`[data-testid="clock-row"][data-run-id="${runId}"] [data-testid="clock-cell-${clock}"]`)
const gridChart = (page: Page, runId: number, metric: string) => page.locator(`[data-testid="clock-chart"][data-run-id="${runId}"][data-metric="${metric}"]`)
const xMax = async (page: Page, runId: number) => Number(((await gridChart(page, runId, 'acc').getAttribute('data-x-extent')) ?? '').split(',')[1])

async function expectClock(page: Page, runId: number, clock: 'T_mem' | 'T_gen', value: number | null): Promise<void> {
  if (value === null) await expect(cell(page, runId, clock)).toHaveText('—')
  else await expect.poll(async () => stepNumber(await cell(page, runId, clock).textContent())).toBe(value)
}

test('clock plots of two runs: table, markers, the λ·η·t axis and a threshold edit', async ({ lab, page }, testInfo) => {
  test.setTimeout(300_000)
  const checkConsole = watchConsole(page)
  const runs = [
    { id: await lab.startRun('modadd-mlp-small', { wd: 1 }, 'lambda 1'), wd: 1 },
    { id: await lab.startRun('modadd-mlp-small', { wd: 0.3 }, 'lambda 0.3'), wd: 0.3 },
  ]
  for (const run of runs) await lab.waitForStatus(run.id, ['completed'], 120_000)
  const stored = new Map<number, StoredClocks>()
  const lastStep = new Map<number, number>()
  for (const run of runs) {
    stored.set(run.id, (await lab.api<{ clocks: StoredClocks }>('GET', `/api/runs/${run.id}`)).clocks)
    const metrics = await lab.api<{ name: string; lastStep: number }[]>('GET', `/api/runs/${run.id}/metrics`)
    lastStep.set(run.id, metrics.find((m) => m.name === 'test_acc')!.lastStep)
  }

  await page.goto(`${lab.url}#/compare?runs=${runs.map((r) => r.id).join(',')}`)
  await expect(page.getByTestId('clock-row')).toHaveCount(2)
  // Overlaid by default: one chart for the accuracies, one for the losses, and one each for Nanda et
  // al.'s restricted and excluded losses, which every finished modular run stores.
  await expect(page.getByTestId('clock-chart')).toHaveCount(4)
  await expect
    .poll(() => page.getByTestId('clock-chart').evaluateAll((charts) => charts.map((c) => c.getAttribute('data-metric'))))
    .toEqual(['acc', 'loss', 'restricted_loss', 'excluded_loss'])
  await expect(page.getByTestId('clock-metrics')).toContainText('param_norm')
  await page.screenshot({ path: testInfo.outputPath('compare-overlaid.png'), fullPage: true })

  await page.getByTestId('clock-layout').selectOption('grid')
  await expect(page.getByTestId('clock-chart')).toHaveCount(8)
  for (const run of runs) {
    const clocks = stored.get(run.id)!
    await expectClock(page, run.id, 'T_mem', clocks.T_mem)
    await expectClock(page, run.id, 'T_gen', clocks.T_gen)
    // On the step axis a marker sits at the clock's step.
    await expect
      .poll(async () => JSON.parse((await gridChart(page, run.id, 'acc').getAttribute('data-markers')) ?? '[]') as number[])
      .toEqual(expect.arrayContaining([clocks.T_mem, clocks.T_gen].filter((x) => x !== null)))
    await expect.poll(() => xMax(page, run.id)).toBe(lastStep.get(run.id))
  }
  await page.screenshot({ path: testInfo.outputPath('compare-grid-step.png'), fullPage: true })

  await page.getByTestId('clock-x').selectOption('lambda-t')
  for (const run of runs) {
    const expected = run.wd * 0.003 * lastStep.get(run.id)!
    await expect.poll(async () => Math.abs((await xMax(page, run.id)) - expected)).toBeLessThan(1e-6)
    const marker = stored.get(run.id)!.T_gen
    if (marker !== null) {
      const xs = JSON.parse((await gridChart(page, run.id, 'acc').getAttribute('data-markers')) ?? '[]') as number[]
      expect(xs.some((x) => Math.abs(x - run.wd * 0.003 * marker) < 1e-9)).toBe(true)
    }
  }
  // Hovering a chart points the page-wide cursor (which the heatmap and Fourier views follow) at a step.
  const box = (await gridChart(page, runs[0].id, 'acc').locator('canvas').first().boundingBox())!
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5)
  await expect(page.getByTestId('clock-cursor')).toContainText(/cursor: step [\d,]+/)
  // Zooming in asks the lab for finer points of the visible window only.
  const finer = page.waitForRequest((r) => r.url().includes('/series') && r.url().includes('from='))
  await page.mouse.wheel(0, -600)
  await finer
  await page.screenshot({ path: testInfo.outputPath('compare-grid-lambda-t.png'), fullPage: true })

  const before = new Map<number, number>()
  for (const run of runs) before.set(run.id, stepNumber(await cell(page, run.id, 'T_gen').textContent()))
  await page.getByTestId('threshold-accuracy').fill('0.5')
  for (const run of runs) {
    const recomputed = await lab.api<StoredClocks>('GET', `/api/runs/${run.id}/clocks?accuracy=0.5`)
    await expectClock(page, run.id, 'T_gen', recomputed.T_gen)
    if (stored.get(run.id)!.T_gen !== null) expect(stepNumber(await cell(page, run.id, 'T_gen').textContent())).toBeLessThanOrEqual(before.get(run.id)!)
  }
  await page.screenshot({ path: testInfo.outputPath('compare-threshold.png'), fullPage: true })
  checkConsole()
})

test('a training run’s curves grow live in the clock plots', async ({ lab, page }, testInfo) => {
  test.setTimeout(200_000)
  const checkConsole = watchConsole(page)
  const id = await lab.startRun('modadd-mlp-small', { wd: 1 }, 'live')
  await page.goto(`${lab.url}#/compare?runs=${id}`)
  const chart = page.locator('[data-testid="clock-chart"][data-metric="acc"]')
  const plotted = async () => Number(((await chart.getAttribute('data-x-extent')) ?? '0,0').split(',')[1] || 0)
  await expect.poll(plotted, { timeout: 60_000 }).toBeGreaterThan(0)
  const first = await plotted()
  await expect.poll(plotted, { timeout: 60_000 }).toBeGreaterThan(first)
  await page.screenshot({ path: testInfo.outputPath('compare-live.png'), fullPage: true })
  await lab.waitForStatus(id, ['completed'], 110_000)
  const { clocks } = await lab.api<{ clocks: StoredClocks }>('GET', `/api/runs/${id}`)
  await expectClock(page, id, 'T_mem', clocks.T_mem)
  checkConsole()
})
