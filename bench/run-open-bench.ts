// The time from opening a 100,000-step run's page to its plots drawn, in Chromium against
// `grokking-lab serve`. "Drawn" is what the charts say of themselves: LineChart sets
// data-drawn-points on its canvas host once ECharts has painted a state holding points, so the
// clock stops when both curve charts have painted the run's data, not when the page asked for it.
import type { Browser } from 'playwright-core'
import { summarize } from '../src/lab/bench/stats'

type Summary = ReturnType<typeof summarize>

/** The curve charts of the run page's Curves tab. */
const CHARTS = ['chart-loss', 'chart-accuracy']

// What the page functions below touch; this file is compiled without the DOM library.
interface DrawnElement {
  getAttribute(name: string): string | null
  closest(selector: string): DrawnElement | null
}
type DrawnWindow = {
  __drawnAt: Record<string, number>
  __drawnPoints: Record<string, number>
  document: { querySelector(selector: string): DrawnElement | null }
  location: { hash: string }
  performance: { now(): number }
  MutationObserver: new (cb: (records: { target: DrawnElement }[]) => void) => { observe(node: unknown, options: object): void }
}

export interface RunOpenReport {
  steps: number
  /** Points of the run's curves on the two charts when they were first drawn (downsampled to their width). */
  points: number
  /** ms from navigation start (a fresh page load of #/runs/ID) to both curve charts painted with data. */
  loadMs: Summary
  /** ms from an in-app navigation (library to #/runs/ID, the app already loaded) to both painted. */
  navigateMs: Summary
}

/** Opens the run `runId` (of `steps` steps) `repeats` times each way and times it to its plots drawn. */
export async function timeRunOpen(browser: Browser, url: string, runId: number, steps: number, repeats = 5): Promise<RunOpenReport> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  // tsx (esbuild keepNames) may wrap functions in the page functions in __name, which the page lacks.
  await page.addInitScript('globalThis.__name = (f) => f')
  // The first chart paint with points, per chart, in the page's clock (0 = navigation start).
  await page.addInitScript((charts: string[]) => {
    const w = globalThis as unknown as DrawnWindow
    w.__drawnAt = {}
    w.__drawnPoints = {}
    new w.MutationObserver((records) => {
      for (const r of records) {
        const points = Number(r.target.getAttribute('data-drawn-points') ?? 0)
        const chart = r.target.closest('[data-testid]')?.getAttribute('data-testid') ?? ''
        if (points > 0 && charts.includes(chart) && !(chart in w.__drawnAt)) {
          w.__drawnAt[chart] = w.performance.now()
          w.__drawnPoints[chart] = points
        }
      }
    }).observe(w.document, { subtree: true, attributes: true, attributeFilter: ['data-drawn-points'] })
  }, CHARTS)
  const drawn = () => page.waitForFunction((charts: string[]) => charts.every((c) => c in (globalThis as unknown as DrawnWindow).__drawnAt), CHARTS, { timeout: 60_000, polling: 50 })
  const read = () => page.evaluate(() => ({ at: (globalThis as unknown as DrawnWindow).__drawnAt, points: (globalThis as unknown as DrawnWindow).__drawnPoints }))
  try {
    const load: number[] = []
    const navigate: number[] = []
    let points = 0
    for (let i = 0; i < repeats; i++) {
      // The printed URL (its token) with the run's route: a whole page load each time, from a
      // blank page so that the clock holds this page's load and not the last one's unloading.
      await page.goto('about:blank')
      await page.goto(`${url}#/runs/${runId}`)
      await drawn()
      const r = await read()
      load.push(Math.max(...CHARTS.map((c) => r.at[c])))
      points = CHARTS.reduce((n, c) => n + r.points[c], 0)
    }
    for (let i = 0; i < repeats; i++) {
      await page.evaluate(() => ((globalThis as unknown as DrawnWindow).location.hash = '#/'))
      await page.getByTestId('run-row').first().waitFor()
      const t0 = await page.evaluate((id) => {
        const w = globalThis as unknown as DrawnWindow
        w.__drawnAt = {}
        const t = w.performance.now()
        w.location.hash = `#/runs/${id}`
        return t
      }, runId)
      await drawn()
      const r = await read()
      navigate.push(Math.max(...CHARTS.map((c) => r.at[c])) - t0)
    }
    return { steps, points, loadMs: summarize(load), navigateMs: summarize(navigate) }
  } finally {
    await page.close()
  }
}

/** One line, in the style the bench prints its others. */
export function formatRunOpen(r: RunOpenReport): string {
  const span = (s: Summary) => `${s.median.toFixed(0)} ms (${s.min.toFixed(0)}–${s.max.toFixed(0)})`
  return `a ${r.steps.toLocaleString('en-US')}-step run's page to its plots drawn (${r.points.toLocaleString('en-US')} points): ${span(r.loadMs)} from a page load; ${span(r.navigateMs)} from the library`
}
