// The run library in browser mode: search, a λ filter, tags, rename and delete, against serve.
import { expect, test, watchConsole } from './support/lab-fixture'

const tiny = { steps: 40, eval_every: 20 }

test('finds a run by search and by a λ filter', async ({ lab, page }, testInfo) => {
  const checkConsole = watchConsole(page)
  const ids = [
    await lab.startRun('modadd-mlp-small', { ...tiny, wd: 1 }, 'alpha wd 1'),
    await lab.startRun('modadd-mlp-small', { ...tiny, wd: 0.3 }, 'beta wd 0.3'),
    await lab.startRun('modadd-mlp-small', { ...tiny, wd: 0.1 }, 'gamma wd 0.1'),
  ]
  for (const id of ids) await lab.waitForStatus(id, ['completed'])

  await page.goto(lab.url)
  await expect(page.getByTestId('runs-count')).toContainText('3 runs')
  await expect(page.getByTestId('run-row')).toHaveCount(3)

  await page.getByTestId('library-search').fill('beta')
  await expect(page.getByTestId('run-row')).toHaveCount(1)
  await expect(page.getByTestId('run-row').first().getByTestId('cell-name')).toContainText('beta wd 0.3')
  await page.screenshot({ path: testInfo.outputPath('library-search.png') })

  await page.getByTestId('library-search').fill('')
  await expect(page.getByTestId('run-row')).toHaveCount(3)
  await page.getByTestId('filter-add').click()
  await page.getByTestId('filter-key').selectOption('wd')
  await page.getByTestId('filter-min').fill('0.05')
  await page.getByTestId('filter-max').fill('0.5')
  await page.getByTestId('filter-max').press('Enter')
  await expect(page.getByTestId('run-row')).toHaveCount(2)
  const names = await page.getByTestId('run-row').getByTestId('cell-name').allTextContents()
  expect(names.map((n) => n.trim()).sort()).toEqual(['beta wd 0.3', 'gamma wd 0.1'])
  await expect(page.getByTestId('runs-count')).toContainText('2 runs')
  await page.screenshot({ path: testInfo.outputPath('library-lambda-filter.png') })
  checkConsole()
})

test('tags, renames and deletes runs', async ({ lab, page }, testInfo) => {
  const checkConsole = watchConsole(page)
  const keep = await lab.startRun('modadd-mlp-small', tiny, 'keep me')
  const drop = await lab.startRun('modadd-mlp-small', tiny, 'drop me')
  await lab.waitForStatus(keep, ['completed'])
  await lab.waitForStatus(drop, ['completed'])

  await page.goto(lab.url)
  const row = (id: number) => page.locator(`[data-testid="run-row"][data-run-id="${id}"]`)
  await expect(row(keep)).toBeVisible()

  await row(keep).getByTestId('run-select').check()
  await page.getByTestId('action-tag').click()
  await page.getByTestId('tag-input').fill('baseline')
  await page.getByTestId('tag-confirm').click()
  await expect.poll(async () => (await lab.waitForStatus(keep, ['completed'])).tags).toEqual(['baseline'])
  await expect(row(keep)).toContainText('baseline')

  await row(keep).getByTestId('cell-name').dblclick()
  await page.getByTestId('name-input').fill('wd 1 baseline')
  await page.getByTestId('name-input').press('Enter')
  await expect(row(keep).getByTestId('cell-name')).toContainText('wd 1 baseline')
  await expect.poll(async () => (await lab.waitForStatus(keep, ['completed'])).name).toBe('wd 1 baseline')
  await page.screenshot({ path: testInfo.outputPath('library-tagged-renamed.png') })

  await row(keep).getByTestId('run-select').uncheck()
  await row(drop).getByTestId('run-select').check()
  await page.getByTestId('action-delete').click()
  await page.screenshot({ path: testInfo.outputPath('library-delete-confirm.png') })
  await page.getByTestId('confirm-delete').click()
  await expect(row(drop)).toHaveCount(0)
  await expect(page.getByTestId('runs-count')).toContainText('1 run')
  const page1 = await lab.api<{ total: number; items: { run: { id: number } }[] }>('GET', '/api/runs')
  expect(page1.items.map((i) => i.run.id)).toEqual([keep])
  checkConsole()
})
