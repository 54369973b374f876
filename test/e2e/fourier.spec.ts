// The run's Fourier view against the CLI's analysis of the same run: the page must report the key
// frequencies `grokking-lab analyze --json` reports, for each view, at the last snapshot.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, watchConsole } from './support/lab-fixture'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

interface Summary {
  keyFrequencies: number[]
  topKShare: number
  gini: number
  ipr: number
}
interface CliAnalysis {
  step: number
  fourier: { embedding: Summary; unembed: Summary; outputMap?: Summary; neurons: { dominantFrequencyCounts: Record<string, number>; meanFraction: number } }
}

function cliAnalysis(runId: number, dbPath: string): CliAnalysis {
  const cli = spawnSync(process.execPath, [path.join(root, 'bin', 'grokking-lab.mjs'), 'analyze', String(runId), '--db', dbPath, '--json'], { cwd: root, encoding: 'utf8' })
  expect(cli.status, cli.stderr).toBe(0)
  return JSON.parse(cli.stdout.split('\n').find((line) => line.startsWith('{'))!) as CliAnalysis
}

const keyText = (keys: number[]) => (keys.length ? keys.join(', ') : 'none (flat spectrum)')
const near = (text: string | null, value: number) => Math.abs(Number(text) - value) <= Math.abs(value) * 0.01 + 1e-6

test('shows the key frequencies, concentration and neurons the CLI analysis reports', async ({ lab, page }, testInfo) => {
  test.setTimeout(300_000)
  const checkConsole = watchConsole(page)
  const runId = await lab.startRun('modadd-mlp-small')
  await lab.waitForStatus(runId, ['completed'], 180_000)

  const analysis = cliAnalysis(runId, lab.dbPath)
  const { embedding, unembed, neurons } = analysis.fourier

  await page.goto(`${lab.url}#/runs/${runId}`)
  await page.getByTestId('tab-fourier').click()
  await expect(page.getByTestId('fourier-step-label')).toContainText(analysis.step.toLocaleString('en-US'))
  await expect(page.getByTestId('fourier-key-frequencies')).toHaveText(keyText(embedding.keyFrequencies))
  expect(near(await page.getByTestId('fourier-topk').textContent(), embedding.topKShare)).toBe(true)
  expect(near(await page.getByTestId('fourier-gini').textContent(), embedding.gini)).toBe(true)
  expect(near(await page.getByTestId('fourier-ipr').textContent(), embedding.ipr)).toBe(true)
  await expect(page.getByTestId('fourier-spectrum').locator('canvas').first()).toBeVisible()
  await expect(page.getByTestId('fourier-heatmap').locator('canvas').first()).toBeVisible()
  await expect(page.getByTestId('fourier-concentration').locator('canvas').first()).toBeVisible()
  // One circle per key frequency (at most 6), or the three strongest for a flat spectrum.
  const circles = embedding.keyFrequencies.length ? Math.min(6, embedding.keyFrequencies.length) : 3
  await expect(page.getByTestId('fourier-circle')).toHaveCount(circles)
  // An embed-MLP has no W_out·W_U view.
  await expect(page.getByTestId('fourier-view').locator('option')).toHaveCount(3)
  await page.screenshot({ path: testInfo.outputPath('fourier-embedding.png'), fullPage: true })
  // The page scrolls inside its layout, so the lower parts are captured on their own.
  await page.getByTestId('fourier-circles').screenshot({ path: testInfo.outputPath('fourier-circles.png') })
  await page.getByTestId('fourier-concentration').screenshot({ path: testInfo.outputPath('fourier-concentration.png') })

  await page.getByTestId('fourier-view').selectOption('unembed')
  await expect(page.getByTestId('fourier-key-frequencies')).toHaveText(keyText(unembed.keyFrequencies))
  await expect(page.getByTestId('fourier-spectrum').locator('canvas').first()).toBeVisible()
  await page.screenshot({ path: testInfo.outputPath('fourier-unembed.png'), fullPage: true })

  await page.getByTestId('fourier-view').selectOption('neurons')
  await expect(page.getByTestId('fourier-neurons')).toBeVisible()
  expect(near(await page.getByTestId('fourier-neurons-mean').textContent(), neurons.meanFraction)).toBe(true)
  await expect(page.getByTestId('fourier-neuron-strip').locator('canvas').first()).toBeVisible()
  await expect(page.getByTestId('fourier-key-frequencies')).not.toBeEmpty()
  await page.screenshot({ path: testInfo.outputPath('fourier-neurons.png'), fullPage: true })
  await page.getByTestId('fourier-neurons').screenshot({ path: testInfo.outputPath('fourier-neuron-strip.png') })

  // The step slider moves to the first snapshot and the view follows.
  const { steps } = await lab.api<{ steps: number[] }>('GET', `/api/runs/${runId}/snapshots`)
  await page.getByTestId('fourier-view').selectOption('embedding')
  await page.getByTestId('fourier-step').fill('0')
  const first = `step ${steps[0].toLocaleString('en-US')}`
  await expect(page.getByTestId('fourier-step-label')).toHaveText(first)
  await expect(page.getByTestId('fourier-spectrum').locator('figcaption')).toContainText(`at ${first}`)
  await expect(page.getByTestId('fourier-loading')).toHaveCount(0)
  await expect(page.getByTestId('fourier-key-frequencies')).not.toBeEmpty()
  await page.screenshot({ path: testInfo.outputPath('fourier-first-snapshot.png'), fullPage: true })
  checkConsole()
})

test('a transformer run has the W_out·W_U view; a run without tokens says it has no Fourier view', async ({ lab, page }, testInfo) => {
  test.setTimeout(240_000)
  const checkConsole = watchConsole(page)
  const runId = await lab.startRun('nanda-transformer', { p: 23, d: 32, heads: 4, steps: 80 }, 'small transformer')
  await lab.waitForStatus(runId, ['completed'], 180_000)
  const { fourier } = cliAnalysis(runId, lab.dbPath)

  await page.goto(`${lab.url}#/runs/${runId}`)
  await page.getByTestId('tab-fourier').click()
  await expect(page.getByTestId('fourier-view').locator('option')).toHaveCount(4)
  await expect(page.getByTestId('fourier-key-frequencies')).toHaveText(keyText(fourier.embedding.keyFrequencies))
  await page.getByTestId('fourier-view').selectOption('outputMap')
  await expect(page.getByTestId('fourier-key-frequencies')).toHaveText(keyText(fourier.outputMap!.keyFrequencies))
  await expect(page.getByTestId('fourier-heatmap').locator('canvas').first()).toBeVisible()
  await page.screenshot({ path: testInfo.outputPath('fourier-output-map.png'), fullPage: true })

  const linear = await lab.startRun('tc-deep-linear', { steps: 100 }, 'no tokens')
  await lab.waitForStatus(linear, ['completed'], 60_000)
  await page.goto(`${lab.url}#/runs/${linear}`)
  await page.getByTestId('tab-fourier').click()
  await expect(page.getByTestId('fourier-none')).toContainText('no token axis')
  await expect(page.getByTestId('fourier-view')).toHaveCount(0)
  await page.screenshot({ path: testInfo.outputPath('fourier-none.png'), fullPage: true })
  checkConsole()
})
