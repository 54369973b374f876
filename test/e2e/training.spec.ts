// Training from the page in browser mode: the form, validation, live progress, cancel and resume,
// and a reload that reattaches to a running run.
import { expect, test, watchConsole } from './support/lab-fixture'

const stepNumber = (text: string | null) => Number((text ?? '').replace(/[^0-9]/g, ''))

test('starts modadd-mlp-small from the form and watches it finish, with its clocks', async ({ lab, page }, testInfo) => {
  const checkConsole = watchConsole(page)
  await page.goto(lab.url)
  await page.getByTestId('nav-new').click()
  await page.getByTestId('preset-select').selectOption('modadd-mlp-small')
  await expect(page.getByTestId('field-steps')).toHaveValue('3000')
  await expect(page.getByTestId('backend-list')).toContainText('wasm')
  await page.screenshot({ path: testInfo.outputPath('new-run-form.png'), fullPage: true })
  await page.getByTestId('start-run').click()

  await expect(page).toHaveURL(/#\/runs\/\d+/)
  const runId = Number(/#\/runs\/(\d+)/.exec(page.url())![1])
  await expect(page.getByTestId('run-status')).toContainText('running', { timeout: 60_000 })
  await page.screenshot({ path: testInfo.outputPath('live-run.png'), fullPage: true })
  await expect(page.getByTestId('run-status')).toContainText('completed', { timeout: 110_000 })

  const { clocks } = await lab.api<{ clocks: { T_mem: number; T_gen: number } }>('GET', `/api/runs/${runId}`)
  expect(clocks.T_mem).toBeGreaterThan(0)
  expect(clocks.T_gen).toBeGreaterThan(clocks.T_mem)
  await expect.poll(async () => stepNumber(await page.getByTestId('clock-T_mem').textContent())).toBe(clocks.T_mem)
  await expect.poll(async () => stepNumber(await page.getByTestId('clock-T_gen').textContent())).toBe(clocks.T_gen)
  await expect(page.getByTestId('chart-accuracy').locator('canvas').first()).toBeVisible()
  await page.screenshot({ path: testInfo.outputPath('finished-run.png'), fullPage: true })
  checkConsole()
})

test('an invalid field shows its message and starts nothing', async ({ lab, page }, testInfo) => {
  const checkConsole = watchConsole(page)
  await page.goto(`${lab.url}#/new`)
  await page.getByTestId('preset-select').selectOption('modadd-mlp-small')
  await page.getByTestId('field-frac').fill('1.5')
  await page.getByTestId('field-frac').blur()
  await expect(page.getByTestId('field-error-frac')).toContainText('strictly between 0 and 1')
  await expect(page.getByTestId('start-run')).toBeDisabled()
  await page.screenshot({ path: testInfo.outputPath('invalid-field.png'), fullPage: true })
  // The same message the CLI prints for --set frac=1.5.
  const check = await lab.api<{ ok: boolean; issues: { key: string; message: string }[] }>('POST', '/api/config/validate', {
    preset: 'modadd-mlp-small',
    config: { frac: 1.5 },
  })
  await expect(page.getByTestId('field-error-frac')).toHaveText(check.issues.find((i) => i.key === 'frac')!.message)
  const runs = await lab.api<{ total: number }>('GET', '/api/runs')
  expect(runs.total).toBe(0)
  checkConsole()
})

test('cancels a running run, then resumes it to the end', async ({ lab, page }, testInfo) => {
  const checkConsole = watchConsole(page)
  const runId = await lab.startRun('modadd-mlp-small', { steps: 12000, checkpoint_every: 100 }, 'cancel me')
  await page.goto(`${lab.url}#/runs/${runId}`)
  await expect(page.getByTestId('run-status')).toContainText('running', { timeout: 60_000 })
  await expect.poll(async () => stepNumber(await page.getByTestId('run-step').textContent()), { timeout: 60_000 }).toBeGreaterThan(0)
  await page.getByTestId('cancel-run').click()
  await expect(page.getByTestId('run-status')).toContainText('cancelled', { timeout: 30_000 })
  const cancelled = await lab.waitForStatus(runId, ['cancelled'])
  expect(cancelled.stepsDone).toBeLessThan(12000)
  await page.screenshot({ path: testInfo.outputPath('cancelled-run.png'), fullPage: true })

  await page.getByTestId('resume-run').click()
  await expect(page.getByTestId('run-status')).toContainText('running', { timeout: 60_000 })
  await expect(page.getByTestId('run-status')).toContainText('completed', { timeout: 110_000 })
  const done = await lab.waitForStatus(runId, ['completed'])
  expect(done.stepsDone).toBe(12000)
  await page.screenshot({ path: testInfo.outputPath('resumed-run.png'), fullPage: true })
  checkConsole()
})

test('a reload during a run reattaches and the run goes on', async ({ lab, page }, testInfo) => {
  const checkConsole = watchConsole(page)
  const runId = await lab.startRun('modadd-mlp-small', { steps: 12000 }, 'reload me')
  await page.goto(`${lab.url}#/runs/${runId}`)
  await expect.poll(async () => stepNumber(await page.getByTestId('run-step').textContent()), { timeout: 60_000 }).toBeGreaterThan(0)
  await page.reload()
  await expect(page.getByTestId('run-title')).toContainText('reload me')
  const after = stepNumber(await page.getByTestId('run-step').textContent())
  // Live progress keeps arriving over the new page's WebSocket.
  await expect.poll(async () => stepNumber(await page.getByTestId('run-step').textContent()), { timeout: 60_000 }).toBeGreaterThan(after)
  await expect(page.getByTestId('run-status')).toContainText('running')
  await page.screenshot({ path: testInfo.outputPath('reloaded-run.png'), fullPage: true })
  // A second window attaches to the same run.
  const second = await page.context().newPage()
  await second.goto(`${lab.url}#/runs/${runId}`)
  await expect.poll(async () => stepNumber(await second.getByTestId('run-step').textContent()), { timeout: 60_000 }).toBeGreaterThan(0)
  await expect(page.getByTestId('run-status')).toContainText('completed', { timeout: 110_000 })
  await expect(second.getByTestId('run-status')).toContainText('completed', { timeout: 30_000 })
  checkConsole()
})
