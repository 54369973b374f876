// The run page's per-system views: a short run of each system family draws its panel, with the
// series it claims about in the legend and LD's prediction marker at (1/λ)·log α; each panel is
// saved as a screenshot. The runs are shortened (and λ raised) so that the slow clocks fall
// inside a few seconds of training.
import type { Page } from '@playwright/test'
import { expect, test, watchConsole } from './support/lab-fixture'

const stepText = (n: number) => n.toLocaleString('en-US')

/** Opens a completed run's page on its per-system tab. */
async function openSystemTab(page: Page, url: string, runId: number): Promise<void> {
  await page.goto(`${url}#/runs/${runId}`)
  await expect(page.getByTestId('run-status')).toHaveText('completed')
  await page.getByTestId('tab-system').click()
  await expect(page.getByTestId('system-panel')).toBeVisible()
  await expect(page.getByTestId('system-caption')).not.toBeEmpty()
}

const seriesOf = async (page: Page, testId: string) => JSON.parse((await page.getByTestId(testId).getAttribute('data-series')) ?? '[]') as string[]
const markersOf = async (page: Page, testId: string) => JSON.parse((await page.getByTestId(testId).getAttribute('data-markers')) ?? '[]') as { label: string; x: number }[]

/** Waits until the chart holds points (the history loaded) and its canvas is drawn. */
async function drawn(page: Page, testId: string): Promise<void> {
  const chart = page.getByTestId(testId)
  await expect(chart.locator('canvas').first()).toBeVisible()
  await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThan(10)
}

test('deep linear: the energy over its Schatten floor, the gap and the balancedness', async ({ lab, page }, testInfo) => {
  test.setTimeout(180_000)
  const checkConsole = watchConsole(page)
  // λ 0.04 (10× the preset's): the slow clock's e-folding time 1/(2λη) = 250 steps fits in 2,000.
  const runId = await lab.startRun('tc-deep-linear', { wd: 0.04, steps: 2000, eval_every: 25 })
  await lab.waitForStatus(runId, ['completed'], 120_000)

  await openSystemTab(page, lab.url, runId)
  await expect(page.getByTestId('tab-system')).toHaveText('Energy floor (TC)')
  for (const id of ['system-energy', 'system-gap', 'system-balancedness']) await drawn(page, id)
  expect(await seriesOf(page, 'system-energy')).toEqual(['E = Σ(λ/2)‖W_l‖²', 'Schatten floor (λL/2)·Σσᵢ(M)^(2/L)'])
  expect(await seriesOf(page, 'system-gap')).toEqual(['E − floor'])
  expect(await seriesOf(page, 'system-balancedness')).toEqual(['balancedness gap', '(E − floor) / E', 'δ = 0.05 (T_struct: balancedness ≤ δ)'])
  // The clocks drawn are the run's stored ones.
  const { clocks } = await lab.api<{ clocks: Record<'T_fit' | 'T_margin' | 'T_struct', number | null> }>('GET', `/api/runs/${runId}`)
  expect(clocks.T_struct).not.toBeNull()
  const expected = (['T_fit', 'T_margin', 'T_struct'] as const).filter((name) => clocks[name] != null).map((name) => ({ label: name, x: clocks[name] }))
  expect(await markersOf(page, 'system-energy')).toEqual(expected)
  expect(await markersOf(page, 'system-balancedness')).toEqual([{ label: 'T_struct', x: clocks.T_struct }])
  await page.getByTestId('system-panel').screenshot({ path: testInfo.outputPath('system-deep-linear.png') })

  // While a run trains, the panel grows with each evaluation; leaving the tab leaves no errors behind.
  const long = await lab.startRun('tc-deep-linear', { wd: 0.04, steps: 100_000, eval_every: 25 }, 'live')
  await lab.waitForStatus(long, ['running'], 60_000)
  await page.goto(`${lab.url}#/runs/${long}`)
  await page.getByTestId('tab-system').click()
  const points = async () => Number(await page.getByTestId('system-gap').getAttribute('data-points'))
  await expect.poll(points, { timeout: 30_000 }).toBeGreaterThan(0)
  const before = await points()
  await expect.poll(points, { timeout: 30_000 }).toBeGreaterThan(before)
  await page.getByTestId('tab-curves').click()
  await expect(page.getByTestId('system-panel')).toHaveCount(0)
  await page.getByTestId('cancel-run').click()
  await expect(page.getByTestId('run-status')).toHaveText('cancelled', { timeout: 30_000 })
  checkConsole()
})

test('diagonal net and matrix completion: the test metric with the (1/λ)·log α marker, and the distance from init', async ({ lab, page }, testInfo) => {
  test.setTimeout(240_000)
  const checkConsole = watchConsole(page)
  // α 10, λ 0.1, η 0.05, warmup 100: t* = ln 10 / 0.1 = 23.0, step t*/η + (100 − 1)/2 = 510.
  const diagonal = await lab.startRun('ld-diagonal-sparse', { wd: 0.1, init_scale: 10, warmup: 100, steps: 1500, eval_every: 20 })
  // α 10, λ 5e-3, η 0.5: t* = 460.5, step 921.
  const completion = await lab.startRun('ld-matrix-completion', { wd: 0.005, steps: 2000, eval_every: 20 })
  await lab.waitForStatus(diagonal, ['completed'], 150_000)
  await lab.waitForStatus(completion, ['completed'], 150_000)

  for (const [runId, step, name, legend] of [
    [diagonal, 510, 'diagonal', ['test accuracy', 'train accuracy']],
    [completion, 921, 'matrix-completion', ['held-out MSE (test)', 'observed MSE (train)']],
  ] as const) {
    await openSystemTab(page, lab.url, runId)
    await expect(page.getByTestId('tab-system')).toHaveText('Late transition (LD)')
    await expect(page.getByTestId('system-predicted-step')).toHaveText(stepText(step))
    await drawn(page, 'system-transition')
    await drawn(page, 'system-distance')
    expect(await seriesOf(page, 'system-transition')).toEqual(legend)
    expect(await seriesOf(page, 'system-distance')).toEqual(['‖θ − θ₀‖ / ‖θ₀‖'])
    for (const id of ['system-transition', 'system-distance']) expect(await markersOf(page, id)).toContainEqual({ label: '(1/λ)·log α', x: step })
    await page.getByTestId('system-panel').screenshot({ path: testInfo.outputPath(`system-${name}.png`) })

    // On log steps the marker moves to log₁₀ of its step, and its label keeps the step.
    await page.getByTestId('system-x-axis').selectOption('log-step')
    await expect.poll(async () => (await markersOf(page, 'system-transition')).find((m) => m.label.startsWith('(1/λ)'))).toEqual({ label: `(1/λ)·log α (step ${stepText(step)})`, x: Math.log10(step) })
    await page.getByTestId('system-panel').screenshot({ path: testInfo.outputPath(`system-${name}-log-step.png`) })
  }
  checkConsole()
})

test('two-phase regression: ‖θ‖ of two λ against λ·η·t', async ({ lab, page }, testInfo) => {
  test.setTimeout(240_000)
  const checkConsole = watchConsole(page)
  // λ·η·t = 1.2 at the end of both.
  const slow = await lab.startRun('gf-two-phase', { wd: 0.01, steps: 600, eval_every: 10 })
  await lab.waitForStatus(slow, ['completed'], 150_000)
  const fast = await lab.startRun('gf-two-phase', { wd: 0.02, steps: 300, eval_every: 5 })
  await lab.waitForStatus(fast, ['completed'], 150_000)

  await openSystemTab(page, lab.url, slow)
  await expect(page.getByTestId('tab-system')).toHaveText('Two phases (GF)')
  await expect(page.getByTestId(`system-run-${fast}`).locator('input')).toBeChecked()
  await drawn(page, 'system-norm')
  await drawn(page, 'system-test-loss')
  // The page's own run is drawn last (dashed, on top), so the legend lists it last.
  const both = [`#${fast} λ=0.02`, `#${slow} λ=0.01 (this run)`]
  await expect.poll(() => seriesOf(page, 'system-norm')).toEqual(both)
  expect(await seriesOf(page, 'system-test-loss')).toEqual(both)
  await expect(page.getByTestId('system-note')).toHaveCount(0)
  await page.getByTestId('system-panel').screenshot({ path: testInfo.outputPath('system-two-phase.png') })

  // Unticking the other run leaves this one, and the page says why one λ shows nothing.
  await page.getByTestId(`system-run-${fast}`).locator('input').uncheck()
  await expect.poll(() => seriesOf(page, 'system-norm')).toEqual([both[1]])
  await expect(page.getByTestId('system-note')).toBeVisible()

  // A modular run has no per-system tab.
  const modular = await lab.startRun('modadd-mlp-small', { steps: 40 })
  await lab.waitForStatus(modular, ['completed'], 120_000)
  await page.goto(`${lab.url}#/runs/${modular}`)
  await expect(page.getByTestId('tab-curves')).toBeVisible()
  await expect(page.getByTestId('tab-system')).toHaveCount(0)
  checkConsole()
})
