// The app's bench in Debian's Chromium against `grokking-lab serve`: the library view over 10,000
// runs (time to the first rows, and to a filtered list), and the page's longest task while a run
// trains live. Run by `grokking-lab bench --ui`; speed goals are read here, never asserted in tests.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { summarize } from '../src/lab/bench/stats'
import { formatRunOpen, timeRunOpen, type RunOpenReport } from './run-open-bench'
import { seedLibrary } from './seed-library'
import { serve, type Served } from './serve'
import { LONG_RUN_STEPS, seedLongRun } from './seed-long-run'

type Summary = ReturnType<typeof summarize>

// What the page functions below touch; this file is compiled without the DOM library.
type PageWindow = {
  __longTasks: number[]
  document: { querySelector(selector: string): { textContent: string | null } | null }
  PerformanceObserver: new (cb: (list: { getEntries(): { duration: number }[] }) => void) => { observe(o: { type: string; buffered: boolean }): void }
}

export interface UiBenchReport {
  runs: number
  /** ms from navigation to the first rows of the library drawn. */
  firstRowsMs: Summary
  /** ms from typing a λ range filter to the filtered rows drawn. */
  filteredMs: Summary
  /** A 100,000-step run's page, opened to its plots drawn (goal: under 1 s). */
  openRun: RunOpenReport
  /** Longest task of the page (PerformanceObserver 'longtask', ≥ 50 ms only; 0 = none) while a run trains live. */
  liveLongestTaskMs: number
  liveLongTasks: number
  liveSeconds: number
}

/** Seeds a scratch library, serves it, and times the views in Chromium. */
export async function runUiBench(opts: { runs?: number; repeats?: number; say?: (line: string) => void } = {}): Promise<UiBenchReport> {
  const say = opts.say ?? (() => {})
  const runs = opts.runs ?? 10_000
  const repeats = opts.repeats ?? 5
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokking-lab-ui-bench-'))
  const dbPath = path.join(dir, 'library.sqlite')
  say(`seeding a library with ${runs.toLocaleString('en-US')} runs…`)
  seedLibrary(dbPath, runs)
  const longRunId = seedLongRun(dbPath)
  const server = await serve(dbPath)
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const firstRows: number[] = []
    const filtered: number[] = []
    for (let i = 0; i < repeats; i++) {
      say(`library view, pass ${i + 1} of ${repeats}…`)
      const t0 = Date.now()
      await page.goto(i === 0 ? server.url : `${new URL(server.url).origin}/#/`)
      if (i > 0) await page.reload()
      await page.getByTestId('run-row').first().waitFor()
      firstRows.push(Date.now() - t0)
      filtered.push(await timeFilter(page))
    }
    say(`a ${LONG_RUN_STEPS.toLocaleString('en-US')}-step run's page, to its plots drawn…`)
    const openRun = await timeRunOpen(browser, server.url, longRunId, LONG_RUN_STEPS, repeats)
    say(formatRunOpen(openRun))
    say('a live run: the longest task of the page…')
    const live = await timeLiveRun(browser.newPage.bind(browser), server)
    return { runs, firstRowsMs: summarize(firstRows), filteredMs: summarize(filtered), openRun, ...live }
  } finally {
    await browser.close()
    await server.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** ms from entering a λ range to the count of the filtered list on screen. */
async function timeFilter(page: Page): Promise<number> {
  const count = page.getByTestId('runs-count')
  const before = await count.textContent()
  await page.getByTestId('filter-add').click()
  await page.getByTestId('filter-key').last().selectOption('wd')
  await page.getByTestId('filter-min').last().fill('0.2')
  const t0 = Date.now()
  await page.getByTestId('filter-max').last().fill('0.5')
  await page.getByTestId('filter-max').last().press('Enter')
  await page.waitForFunction((old) => (globalThis as unknown as PageWindow).document.querySelector('[data-testid="runs-count"]')?.textContent !== old, before)
  await page.getByTestId('run-row').first().waitFor()
  return Date.now() - t0
}

async function timeLiveRun(newPage: () => Promise<Page>, server: Served): Promise<Pick<UiBenchReport, 'liveLongestTaskMs' | 'liveLongTasks' | 'liveSeconds'>> {
  const page = await newPage()
  await page.addInitScript(() => {
    const w = globalThis as unknown as PageWindow
    w.__longTasks = []
    new w.PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true })
  })
  const response = await fetch(`${new URL(server.url).origin}/api/training`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ preset: 'modadd-mlp-small', config: { steps: 6000, eval_every: 10 } }),
  })
  const { runId } = (await response.json()) as { runId: number }
  await page.goto(`${server.url}#/runs/${runId}`)
  await page.getByTestId('run-status').waitFor()
  // Playwright injects its polling script into the page on the first waitForFunction: a long
  // task of the harness, not of the page, so it runs before the count starts.
  await page.waitForFunction(() => true)
  // Long tasks of the first load are not the live updates' doing.
  await page.evaluate(() => ((globalThis as unknown as PageWindow).__longTasks = []))
  const t0 = Date.now()
  // Polled on a timer: Playwright's default polls on every animation frame, which keeps the page
  // rendering 60 frames a second that it would not otherwise draw.
  await page.waitForFunction(() => /completed|failed/.test((globalThis as unknown as PageWindow).document.querySelector('[data-testid="run-status"]')?.textContent ?? ''), null, { timeout: 300_000, polling: 250 })
  const tasks = await page.evaluate(() => (globalThis as unknown as PageWindow).__longTasks)
  await page.close()
  return { liveLongestTaskMs: tasks.length ? Math.max(...tasks) : 0, liveLongTasks: tasks.length, liveSeconds: (Date.now() - t0) / 1000 }
}
