// Scrubbing the weight heatmap in Debian's Chromium: a run whose W_out is 512 × 128 (hidden 512,
// p 128), every snapshot loaded, then the step slider moved one snapshot at a time. For
// `grokking-lab bench --ui`; the goal (every step well under a 16 ms frame) is read here, not asserted.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { summarize } from '../src/lab/bench/stats'
import { serve } from './serve'

type Summary = ReturnType<typeof summarize>

// What the page function touches; this file is compiled without the DOM library.
type Slider = { value: string; dispatchEvent(event: unknown): boolean }
type BenchWindow = {
  document: { querySelector(selector: string): Slider | null }
  Event: new (type: string, init: { bubbles: boolean }) => unknown
  MessageChannel: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(v: unknown): void } }
  requestAnimationFrame(cb: (t: number) => void): number
  performance: { now(): number }
}

export interface HeatmapBenchReport {
  rows: number
  cols: number
  snapshots: number
  /** ms from a slider input event to the page idle again (Vue update + canvas put), first pass: ImageData painted. */
  coldStepMs: Summary
  /** The same with every step's ImageData already painted (scrubbing back over visited steps). */
  warmStepMs: Summary
  /** ms between animation frames while a requestAnimationFrame loop moves the slider one snapshot per frame. */
  frameMs: Summary
  /** The same with rows sorted by dominant frequency (a permuted copy per step, cold). */
  sortedColdStepMs: Summary
}

/** Trains a 512 × 128 W_out run in a scratch library, serves it, and times heatmap scrubbing in Chromium. */
export async function runHeatmapBench(opts: { say?: (line: string) => void } = {}): Promise<HeatmapBenchReport> {
  const say = opts.say ?? (() => {})
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokking-lab-heatmap-bench-'))
  const server = await serve(path.join(dir, 'library.sqlite'))
  const { url, api } = server
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })
  try {
    say('training a p 128, hidden 512 embed-MLP for its snapshots…')
    const { runId } = await api<{ runId: number }>('POST', '/api/training', { preset: 'modadd-mlp-small', config: { p: 128, frac: 0.3, d: 32, hidden: 512, steps: 120, eval_every: 40 } })
    for (;;) {
      const { run } = await api<{ run: { status: string } }>('GET', `/api/runs/${runId}`)
      if (run.status === 'completed') break
      if (run.status === 'failed' || run.status === 'cancelled') throw new Error(`bench run ${run.status}`)
      await new Promise((r) => setTimeout(r, 500))
    }
    const { steps } = await api<{ steps: number[] }>('GET', `/api/runs/${runId}/snapshots`)
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    // tsx (esbuild keepNames) wraps the page functions' inner functions in __name, which the page lacks.
    await page.addInitScript('globalThis.__name = (f) => f')
    await page.goto(`${url}#/runs/${runId}`)
    await page.getByTestId('tab-heatmaps').click()
    await page.getByTestId('heatmap-tensor').selectOption('W_out')
    // Wait for every snapshot to be loaded, so the timings are the view's, not the network's.
    await page.getByTestId('heatmap-colorbar').getByText(`over ${steps.length} of ${steps.length} snapshots`).waitFor({ timeout: 120_000 })
    say(`scrubbing W_out [512 × 128] over ${steps.length} snapshots…`)
    const scrub = (n: number) => page.evaluate(stepTimes, n)
    const cold = await scrub(steps.length)
    const warm = await scrub(steps.length)
    const frames = await page.evaluate(frameTimes, steps.length)
    await page.getByTestId('heatmap-sort').selectOption('frequency')
    const sorted = await scrub(steps.length)
    return { rows: 512, cols: 128, snapshots: steps.length, coldStepMs: summarize(cold), warmStepMs: summarize(warm), frameMs: summarize(frames), sortedColdStepMs: summarize(sorted) }
  } finally {
    await browser.close()
    await server.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

// Runs in the page: moves the slider over every snapshot (downwards, so the first pass meets steps
// the panel has not painted yet) and times each input event until a macrotask runs again.
async function stepTimes(n: number): Promise<number[]> {
  const w = globalThis as unknown as BenchWindow
  const slider = w.document.querySelector('[data-testid="heatmap-slider"]')!
  const channel = new w.MessageChannel()
  const idle = () => new Promise<void>((resolve) => ((channel.port1.onmessage = () => resolve()), channel.port2.postMessage(0)))
  const times: number[] = []
  for (let i = n - 1; i >= 0; i--) {
    await new Promise((r) => w.requestAnimationFrame(r))
    const t0 = w.performance.now()
    slider.value = String(i)
    slider.dispatchEvent(new w.Event('input', { bubbles: true }))
    await idle()
    times.push(w.performance.now() - t0)
  }
  return times
}

// Runs in the page: one snapshot per animation frame, forwards, timing the frames.
async function frameTimes(n: number): Promise<number[]> {
  const w = globalThis as unknown as BenchWindow
  const slider = w.document.querySelector('[data-testid="heatmap-slider"]')!
  return new Promise((resolve) => {
    const times: number[] = []
    let last = -1
    let i = 0
    const frame = (t: number) => {
      if (last >= 0) times.push(t - last)
      last = t
      if (i >= n) return resolve(times)
      slider.value = String(i++)
      slider.dispatchEvent(new w.Event('input', { bubbles: true }))
      w.requestAnimationFrame(frame)
    }
    w.requestAnimationFrame(frame)
  })
}

/** One line per measurement, as the bench prints them. */
export function formatHeatmapBench(r: HeatmapBenchReport): string {
  const f = (s: Summary) => `median ${s.median.toFixed(2)} ms, max ${s.max.toFixed(2)} ms`
  return [
    `heatmap scrub, ${r.rows} × ${r.cols} over ${r.snapshots} snapshots:`,
    `  slider step, first visit:   ${f(r.coldStepMs)}`,
    `  slider step, revisited:     ${f(r.warmStepMs)}`,
    `  slider step, sorted, first: ${f(r.sortedColdStepMs)}`,
    `  frame interval, 1 step/frame: ${f(r.frameMs)}`,
  ].join('\n')
}
