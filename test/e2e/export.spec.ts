// Export from the app: the dialog's preview, a style edit, an SVG download that is byte for byte
// what the headless command it shows writes, a PDF, and a bundle.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Locator, Page, TestInfo } from '@playwright/test'
import { expect, test, watchConsole } from './support/lab-fixture'

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'grokking-lab.mjs')

/** The shell words of a command as exportCommand quotes them ('…' around words with spaces). */
function words(command: string): string[] {
  return [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]))
}

/**
 * Opens the Export dialog of `button`, downloads its SVG, and runs the command the dialog shows
 * headless against the same library: the two files must be the same bytes. Returns the SVG.
 */
async function appEqualsHeadless(page: Page, button: Locator, dbPath: string, testInfo: TestInfo, name: string): Promise<string> {
  await button.click()
  const dialog = page.getByTestId('export-dialog')
  await expect(dialog.getByTestId('export-preview')).toBeVisible()
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('export-svg').click()])
  const fromApp = fs.readFileSync(await download.path())
  fs.writeFileSync(testInfo.outputPath(`${name}-app.svg`), fromApp)
  const argv = words((await dialog.getByTestId('export-command').textContent())!)
  argv.splice(argv.indexOf('--format'), 2, '--format', 'svg')
  const headless = testInfo.outputPath(`${name}-headless.svg`)
  argv[argv.indexOf('--out') + 1] = headless
  execFileSync(process.execPath, [BIN, ...argv.slice(1), '--db', dbPath], { stdio: 'pipe' })
  expect(fs.readFileSync(headless).equals(fromApp)).toBe(true)
  await dialog.getByTestId('export-close').click()
  await expect(dialog).toHaveCount(0)
  return fromApp.toString('utf8')
}

test('export a clock plot from the app: preview, style, and the same SVG as the headless command', async ({ lab, page }, testInfo) => {
  test.setTimeout(240_000)
  const checkConsole = watchConsole(page)
  const runId = await lab.startRun('modadd-mlp-small', { steps: 800 }, 'export me')
  await lab.waitForStatus(runId, ['completed'], 120_000)

  await page.goto(`${lab.url}#/compare?runs=${runId}`)
  await expect(page.locator('[data-testid="clock-chart"][data-metric="acc"]')).toHaveCount(1)
  await page.getByTestId('export-button').first().click()
  const dialog = page.getByTestId('export-dialog')
  await expect(dialog.getByTestId('export-preview')).toBeVisible()
  await expect(dialog.getByTestId('export-command')).toContainText(`grokking-lab export ${runId} --figure curves`)

  // A two-column width: the preview is rendered again, and the command says so.
  await dialog.getByTestId('export-width').fill('120')
  await dialog.getByTestId('export-width').dispatchEvent('change')
  await dialog.getByTestId('export-title').fill('Memorization, then generalization')
  await dialog.getByTestId('export-title').dispatchEvent('change')
  await expect(dialog.getByTestId('export-command')).toContainText('--width 120mm')
  await expect(dialog.getByTestId('export-command')).toContainText("--title 'Memorization, then generalization'")
  await page.screenshot({ path: testInfo.outputPath('export-dialog.png') })

  const [svgDownload] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('export-svg').click()])
  const fromApp = fs.readFileSync(await svgDownload.path())
  fs.writeFileSync(testInfo.outputPath('from-app.svg'), fromApp)
  expect(svgDownload.suggestedFilename()).toBe(`curves-${runId}.svg`)
  const svg = fromApp.toString('utf8')
  expect(svg).toMatch(/^<svg width="120mm" height="60mm"/)
  expect(svg).toContain('>Memorization, then generalization</text>')

  // The command the dialog shows, run headless against the same library, writes the same bytes.
  const headless = testInfo.outputPath('headless.svg')
  const argv = words((await dialog.getByTestId('export-command').textContent())!)
  expect(argv.slice(0, 2)).toEqual(['grokking-lab', 'export'])
  const out = argv.indexOf('--out')
  argv.splice(argv.indexOf('--format'), 2, '--format', 'svg')
  argv[argv.indexOf('--out') + 1] = headless
  expect(out).toBeGreaterThan(0)
  execFileSync(process.execPath, [BIN, ...argv.slice(1), '--db', lab.dbPath], { stdio: 'pipe' })
  expect(fs.readFileSync(headless).equals(fromApp)).toBe(true)

  const [pdf] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('export-pdf').click()])
  expect(fs.readFileSync(await pdf.path()).subarray(0, 5).toString()).toBe('%PDF-')
  const [bundle] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('export-bundle').click()])
  expect(bundle.suggestedFilename()).toBe(`curves-${runId}-bundle.zip`)
  const zip = fs.readFileSync(await bundle.path())
  for (const name of ['figure.pdf', 'figure.csv', 'figure.json', 'provenance.json']) expect(zip.includes(Buffer.from(name))).toBe(true)
  await dialog.getByTestId('export-close').click()
  await expect(dialog).toHaveCount(0)
  checkConsole()
})

test('the neuron strip, a cos/sin circle and the λ collapse export from their views as the headless command makes them', async ({ lab, page }, testInfo) => {
  test.setTimeout(300_000)
  const checkConsole = watchConsole(page)
  const runId = await lab.startRun('modadd-mlp-small', { steps: 600 }, 'fourier')
  const slow = await lab.startRun('gf-two-phase', { wd: 0.01, steps: 400, eval_every: 10 })
  const fast = await lab.startRun('gf-two-phase', { wd: 0.02, steps: 200, eval_every: 5 })
  for (const id of [runId, slow, fast]) await lab.waitForStatus(id, ['completed'], 150_000)

  await page.goto(`${lab.url}#/runs/${runId}`)
  await page.getByTestId('tab-fourier').click()
  await expect(page.getByTestId('fourier-circle').first()).toBeVisible()
  const circle = await appEqualsHeadless(page, page.getByRole('button', { name: /^Export k = \d+$/ }).first(), lab.dbPath, testInfo, 'circle')
  expect(circle).toMatch(/>cos \d+<\/text>/)

  await page.getByTestId('fourier-view').selectOption('neurons')
  await expect(page.getByTestId('fourier-neuron-strip')).toBeVisible()
  const strip = await appEqualsHeadless(page, page.getByRole('button', { name: 'Export neuron strip' }), lab.dbPath, testInfo, 'neurons')
  expect(strip).toContain('>neuron (sorted)</text>')

  await page.goto(`${lab.url}#/runs/${slow}`)
  await page.getByTestId('tab-system').click()
  await expect.poll(async () => JSON.parse((await page.getByTestId('system-norm').getAttribute('data-series')) ?? '[]')).toEqual([`#${fast} λ=0.02`, `#${slow} λ=0.01 (this run)`])
  const collapse = await appEqualsHeadless(page, page.getByTestId('system-norm').getByTestId('export-button'), lab.dbPath, testInfo, 'collapse')
  expect(collapse).toContain(`>#${slow} λ=0.01 (this run)</text>`)
  expect(collapse).toContain('>λ·η·t (t in steps)</text>')
  checkConsole()
})
