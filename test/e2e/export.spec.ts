// Export from the app: the dialog's preview, a style edit, an SVG download that is byte for byte
// what the headless command it shows writes, a PDF, and a bundle.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, watchConsole } from './support/lab-fixture'

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'grokking-lab.mjs')

/** The shell words of a command as exportCommand quotes them ('…' around words with spaces). */
function words(command: string): string[] {
  return [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]))
}

test('export a clock plot from the app: preview, style, and the same SVG as the headless command', async ({ lab, page }, testInfo) => {
  test.setTimeout(240_000)
  const checkConsole = watchConsole(page)
  const runId = await lab.startRun('modadd-mlp-small', { steps: 800 }, 'export me')
  await lab.waitForStatus(runId, ['completed'], 120_000)

  await page.goto(`${lab.url}#/compare?runs=${runId}`)
  await expect(page.getByTestId('clock-chart')).toHaveCount(2)
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
