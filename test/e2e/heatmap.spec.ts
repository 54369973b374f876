// The weight heatmap of a finished run: pixels on a canvas that change with the step slider and
// the frequency sort, hover read-out, reshaping note, side-by-side compare and play.
import type { Page } from '@playwright/test'
import { expect, test, watchConsole } from './support/lab-fixture'

// What the page function touches: the e2e tests compile without the DOM library (tsconfig.node.json).
type PixelCanvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null }

/** A hash of a canvas's pixels and how many distinct colours it holds. */
async function canvasPixels(page: Page, testid: string): Promise<{ hash: number; colours: number; width: number; height: number }> {
  return page.getByTestId(testid).evaluate((el) => {
    const canvas = el as unknown as PixelCanvas
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
    let hash = 2166136261
    const colours = new Set<number>()
    for (let i = 0; i < data.length; i += 4) {
      const c = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2]
      colours.add(c)
      hash = Math.imul(hash ^ c, 16777619) >>> 0
    }
    return { hash, colours: colours.size, width: canvas.width, height: canvas.height }
  })
}

test('heatmaps of a finished run: slider, hover, sort, reshape note, compare, play', async ({ lab, page }, testInfo) => {
  test.setTimeout(180_000)
  const checkConsole = watchConsole(page)
  const runId = await lab.startRun('modadd-mlp-small', { steps: 600 })
  await lab.waitForStatus(runId, ['completed'])
  const snapshots = await lab.api<{ steps: number[]; tensors: { name: string; shape: number[] }[] }>('GET', `/api/runs/${runId}/snapshots`)
  expect(snapshots.steps.length).toBeGreaterThan(2)

  await page.goto(`${lab.url}#/runs/${runId}`)
  await page.getByTestId('tab-heatmaps').click()
  const canvas = page.getByTestId('heatmap-canvas')
  await expect(canvas).toBeVisible()
  // The default tensor is the embedding E [p, d]; the slider starts on the last snapshot.
  await expect(page.getByTestId('heatmap-tensor')).toHaveValue('E')
  await expect(page.getByTestId('heatmap-step')).toHaveText(`step ${snapshots.steps.at(-1)}`)
  await expect.poll(async () => (await canvasPixels(page, 'heatmap-canvas')).colours).toBeGreaterThan(20)
  const last = await canvasPixels(page, 'heatmap-canvas')
  expect([last.height, last.width]).toEqual([31, 64])
  await expect(page.getByTestId('heatmap-colorbar')).toContainText('0')
  await page.getByTestId('heatmap-panel').screenshot({ path: testInfo.outputPath('heatmap.png') })

  // Moving the slider to the first snapshot (the initialisation) changes the picture.
  await page.getByTestId('heatmap-slider').fill('0')
  await expect(page.getByTestId('heatmap-step')).toHaveText(`step ${snapshots.steps[0]}`)
  await expect.poll(async () => (await canvasPixels(page, 'heatmap-canvas')).hash).not.toBe(last.hash)
  await page.getByTestId('heatmap-panel').screenshot({ path: testInfo.outputPath('heatmap-first-step.png') })

  await canvas.hover({ position: { x: 12, y: 12 } })
  await expect(page.getByTestId('heatmap-hover')).toContainText(/row \d+ · col \d+ · value -?\d/)

  // W_out [hidden, p]: neurons on the rows, tokens on the columns; sorting permutes the neurons.
  await page.getByTestId('heatmap-tensor').selectOption('W_out')
  await page.getByTestId('heatmap-slider').fill(String(snapshots.steps.length - 1))
  await expect.poll(async () => (await canvasPixels(page, 'heatmap-canvas')).height).toBe(256)
  await expect.poll(async () => (await canvasPixels(page, 'heatmap-canvas')).colours).toBeGreaterThan(20)
  const natural = await canvasPixels(page, 'heatmap-canvas')
  await page.getByTestId('heatmap-sort').selectOption('frequency')
  await expect.poll(async () => (await canvasPixels(page, 'heatmap-canvas')).hash).not.toBe(natural.hash)
  await expect(page.getByTestId('heatmap-groups')).toContainText('k=')
  await canvas.hover({ position: { x: 20, y: 30 } })
  await expect(page.getByTestId('heatmap-hover')).toContainText('dominant k=')
  await page.getByTestId('heatmap-panel').screenshot({ path: testInfo.outputPath('heatmap-sorted.png') })
  await page.getByTestId('heatmap-scale').selectOption('step')
  await expect(page.getByTestId('heatmap-colorbar')).toContainText('this step')

  // Two steps side by side: B starts on the first snapshot, same tensor and scale.
  await page.getByTestId('heatmap-compare').check()
  await expect(page.getByTestId('heatmap-canvas-b')).toBeVisible()
  await expect(page.getByTestId('heatmap-step-b')).toHaveText(`step ${snapshots.steps[0]}`)
  await expect.poll(async () => (await canvasPixels(page, 'heatmap-canvas-b')).colours).toBeGreaterThan(20)
  await expect(page.getByTestId('heatmap-other-run')).toHaveValue(String(runId))
  await page.getByTestId('heatmap-slider-b').fill('1')
  await expect(page.getByTestId('heatmap-step-b')).toHaveText(`step ${snapshots.steps[1]}`)
  await page.getByTestId('heatmap-panel').screenshot({ path: testInfo.outputPath('heatmap-compare.png') })
  await page.getByTestId('heatmap-compare').uncheck()

  // A 1-D tensor is one row, and the view says so.
  await page.getByTestId('heatmap-tensor').selectOption('b_in')
  await expect(page.getByTestId('heatmap-shape-note')).toContainText('one row')
  await expect(page.getByTestId('heatmap-sort')).toBeDisabled()

  // Play runs through the snapshots from the start.
  await page.getByTestId('heatmap-tensor').selectOption('W_in')
  await page.getByTestId('heatmap-slider').fill('0')
  await page.getByTestId('heatmap-play').click()
  await expect(page.getByTestId('heatmap-play')).toHaveText('Pause')
  await expect(page.getByTestId('heatmap-step')).not.toHaveText(`step ${snapshots.steps[0]}`)
  await expect(page.getByTestId('heatmap-play')).toHaveText('Play', { timeout: 30_000 })
  await expect(page.getByTestId('heatmap-step')).toHaveText(`step ${snapshots.steps.at(-1)}`)
  checkConsole()
})
