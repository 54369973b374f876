// Where the page's long tasks go while a run trains live: a Chromium trace (timeline events and
// the V8 sampling profiler) of the run page during `modadd-mlp-small`; for each main-thread task
// of 50 ms or more, its timeline events (animation frames, layout, paint, GC) and its JS samples
// summed by function. A tool for finding what to fix, not a bench:
//   npx tsx bench/live-profile.ts [--tasks N] [--threshold MS] [--cpu] [--no-trace] [--from trace.json]
// --cpu picks the tasks by their thread (CPU) time instead of wall time, which a busy machine inflates.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { serve } from './serve'

interface TraceEvent {
  name: string
  ph: string
  pid: number
  tid: number
  ts: number
  dur?: number
  /** Thread (CPU) time of the event, µs: what the task cost, however busy the machine was. */
  tdur?: number
  id?: string
  args?: { name?: string; data?: Record<string, unknown> }
}

interface CpuNode {
  id: number
  parent?: number
  callFrame: { functionName: string; url: string; lineNumber?: number }
}

/** One long task: start (µs, trace clock), duration (ms), its timeline events by name and its JS by function (ms). */
export interface TaskBreakdown {
  ts: number
  ms: number
  cpuMs: number
  events: [string, number][]
  self: [string, number][]
  inclusive: [string, number][]
}

const TASK_NAMES = new Set(['RunTask', 'ThreadControllerImpl::RunTask', 'ThreadPool_RunTask'])
const INNER = new Set(['FireAnimationFrame', 'FunctionCall', 'TimerFire', 'EventDispatch', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'MinorGC', 'MajorGC', 'V8.GC_SCAVENGER', 'ParseHTML', 'EvaluateScript', 'v8.compile', 'HitTest', 'Commit', 'UpdateLayer', 'ScheduleStyleRecalculation', 'XHRReadyStateChange'])

// The page's main thread: the renderer thread that ran animation frames.
function mainThread(events: TraceEvent[]): TraceEvent[] {
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && events.some((x) => x.pid === e.pid && x.name === 'FireAnimationFrame'))
  return main ? events.filter((e) => e.pid === main.pid && e.tid === main.tid) : []
}

// The main thread's tasks, outermost only (ThreadControllerImpl::RunTask wraps RunTask), in time order.
function topTasks(onMain: TraceEvent[]): TraceEvent[] {
  const all = onMain.filter((e) => e.ph === 'X' && TASK_NAMES.has(e.name)).sort((a, b) => a.ts - b.ts)
  const out: TraceEvent[] = []
  for (const e of all) if (!out.length || e.ts >= out[out.length - 1].ts + out[out.length - 1].dur!) out.push(e)
  return out
}

/** Wall and CPU time of every main-thread task: count, the longest, and the CPU they took in all (ms). */
export function taskTimes(events: TraceEvent[]): { tasks: number; over50: number; maxMs: number; maxCpuMs: number; p99CpuMs: number; cpuMs: number; spanMs: number } {
  const tasks = topTasks(mainThread(events))
  const cpu = tasks.map((t) => (t.tdur ?? t.dur ?? 0) / 1000).sort((a, b) => a - b)
  const span = tasks.length ? (tasks[tasks.length - 1].ts + tasks[tasks.length - 1].dur! - tasks[0].ts) / 1000 : 0
  return {
    tasks: tasks.length,
    over50: tasks.filter((t) => t.dur! >= 50_000).length,
    maxMs: Math.max(0, ...tasks.map((t) => t.dur! / 1000)),
    maxCpuMs: cpu[cpu.length - 1] ?? 0,
    p99CpuMs: cpu[Math.floor(cpu.length * 0.99)] ?? 0,
    cpuMs: cpu.reduce((a, b) => a + b, 0),
    spanMs: span,
  }
}

/** The renderer main thread's tasks of ≥ `thresholdMs` (wall, or CPU with `byCpu`) in a trace, each broken down. */
export function longTasks(events: TraceEvent[], thresholdMs = 50, byCpu = false): TaskBreakdown[] {
  const onMain = mainThread(events)
  if (!onMain.length) return []
  const tasks = topTasks(onMain).filter((e) => ((byCpu ? e.tdur : e.dur) ?? 0) >= thresholdMs * 1000)
  const samples = cpuSamples(events.filter((e) => e.pid === onMain[0].pid))
  return tasks.map((task) => {
    const end = task.ts + task.dur!
    const inside = onMain.filter((e) => e !== task && e.ph === 'X' && e.ts >= task.ts && e.ts < end && INNER.has(e.name))
    const byEvent = new Map<string, number>()
    for (const e of inside) {
      const data = e.args?.data ?? {}
      const what = e.name === 'FunctionCall' ? `${e.name} ${String(data.functionName ?? '')} ${path.basename(String(data.url ?? ''))}` : e.name
      byEvent.set(what, (byEvent.get(what) ?? 0) + (e.dur ?? 0) / 1000)
    }
    const self = new Map<string, number>()
    const inclusive = new Map<string, number>()
    for (const s of samples) {
      if (s.ts < task.ts || s.ts >= end) continue
      self.set(s.stack[0], (self.get(s.stack[0]) ?? 0) + s.ms)
      for (const f of new Set(s.stack)) inclusive.set(f, (inclusive.get(f) ?? 0) + s.ms)
    }
    const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n)
    return { ts: task.ts, ms: task.dur! / 1000, cpuMs: (task.tdur ?? 0) / 1000, events: top(byEvent, 14), self: top(self, 100), inclusive: top(inclusive, 200) }
  })
}

// The V8 samples of a trace ('Profile' + 'ProfileChunk' events), each with its time and its stack (leaf first).
function cpuSamples(events: TraceEvent[]): { ts: number; ms: number; stack: string[] }[] {
  const out: { ts: number; ms: number; stack: string[] }[] = []
  const profiles = new Map<string, { t: number; nodes: Map<number, CpuNode> }>()
  for (const e of events) {
    if (e.name === 'Profile') profiles.set(e.id!, { t: Number((e.args?.data as { startTime?: number })?.startTime ?? e.ts), nodes: new Map() })
    if (e.name !== 'ProfileChunk') continue
    const p = profiles.get(e.id!)
    if (!p) continue
    const data = e.args!.data as { cpuProfile?: { nodes?: CpuNode[]; samples?: number[] }; timeDeltas?: number[] }
    for (const n of data.cpuProfile?.nodes ?? []) p.nodes.set(n.id, n)
    const ids = data.cpuProfile?.samples ?? []
    const deltas = data.timeDeltas ?? []
    for (let i = 0; i < ids.length; i++) {
      p.t += deltas[i] ?? 0
      const stack: string[] = []
      for (let n = p.nodes.get(ids[i]); n; n = n.parent === undefined ? undefined : p.nodes.get(n.parent)) {
        const f = n.callFrame
        stack.push(`${f.functionName || "(anonymous)"} ${f.url ? `${path.basename(f.url)}:${(f.lineNumber ?? 0) + 1}` : ""}`)
      }
      out.push({ ts: p.t, ms: (deltas[i + 1] ?? 0) / 1000, stack })
    }
  }
  return out.filter((s) => s.stack[0] !== '(idle) ' && s.stack[0] !== '(root) ')
}

interface LongFrame {
  duration: number
  renderStart: number
  styleAndLayoutStart: number
  startTime: number
  scripts: { invoker: string; sourceFunctionName: string; sourceURL: string; duration: number; forcedStyleAndLayoutDuration: number }[]
}

// The long animation frames: total, script by callback, and rendering (style, layout, paint).
function reportFrames(frames: LongFrame[], shown: number): void {
  console.log(`long animation frames: ${frames.length} (${frames.map((f) => f.duration.toFixed(0)).join(', ')} ms)`)
  for (const f of [...frames].sort((a, b) => b.duration - a.duration).slice(0, shown)) {
    const render = f.renderStart ? f.startTime + f.duration - f.renderStart : 0
    const layout = f.styleAndLayoutStart ? f.startTime + f.duration - f.styleAndLayoutStart : 0
    console.log(`— ${f.duration.toFixed(0)} ms: rendering ${render.toFixed(0)} ms (style and layout ${layout.toFixed(0)} ms)`)
    for (const s of f.scripts) console.log(`   ${s.duration.toFixed(0).padStart(4)} ms  ${s.invoker} ${s.sourceFunctionName} ${path.basename(s.sourceURL)} (forced layout ${s.forcedStyleAndLayoutDuration.toFixed(0)} ms)`)
  }
}

function report(events: TraceEvent[], threshold: number, shown: number, byCpu: boolean): void {
  const times = taskTimes(events)
  console.log(
    `main thread: ${times.tasks} tasks over ${(times.spanMs / 1000).toFixed(1)} s, ${times.over50} of ≥ 50 ms, longest ${times.maxMs.toFixed(1)} ms; ` +
      `CPU: longest task ${times.maxCpuMs.toFixed(1)} ms, 99th percentile ${times.p99CpuMs.toFixed(1)} ms, ${times.cpuMs.toFixed(0)} ms in all (${((100 * times.cpuMs) / times.spanMs).toFixed(1)} % of a core)`,
  )
  const tasks = longTasks(events, threshold, byCpu).sort((a, b) => (byCpu ? b.cpuMs - a.cpuMs : b.ms - a.ms))
  console.log(`tasks of ≥ ${threshold} ms ${byCpu ? 'CPU' : 'wall'}: ${tasks.length} (${tasks.map((t) => `${t.ms.toFixed(0)}/${t.cpuMs.toFixed(0)}`).join(', ')} ms wall/CPU)`)
  const line = ([name, ms]: [string, number]) => console.log(`   ${ms.toFixed(1).padStart(6)}  ${name}`)
  // Over all of them: ms per long task, on average, by timeline event and by function on the stack.
  const mean = (pick: (t: TaskBreakdown) => [string, number][]) => {
    const sum = new Map<string, number>()
    for (const t of tasks) for (const [name, ms] of pick(t)) sum.set(name, (sum.get(name) ?? 0) + ms / tasks.length)
    return [...sum].sort((a, b) => b[1] - a[1])
  }
  if (tasks.length) {
    console.log(`\nmean of ${tasks.length} tasks (${(tasks.reduce((a, t) => a + t.ms, 0) / tasks.length).toFixed(1)} ms); timeline:`)
    mean((t) => t.events).slice(0, 10).forEach(line)
    console.log('  JS self:')
    mean((t) => t.self).slice(0, 20).forEach(line)
    console.log('  JS on stack:')
    mean((t) => t.inclusive).slice(0, 45).forEach(line)
  }
  for (const task of tasks.slice(0, shown)) {
    console.log(`\n— ${task.ms.toFixed(1)} ms (CPU ${task.cpuMs.toFixed(1)} ms); timeline:`)
    task.events.forEach(line)
    console.log('  JS self:')
    task.self.slice(0, 14).forEach(line)
    console.log('  JS on stack:')
    task.inclusive.slice(0, 30).forEach(line)
  }
}

async function main(): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name)
    return i >= 0 ? Number(process.argv[i + 1]) : fallback
  }
  const threshold = arg('--threshold', 50)
  const shown = arg('--tasks', 6)
  const byCpu = process.argv.includes('--cpu')
  const from = process.argv.indexOf('--from')
  if (from >= 0) return report((JSON.parse(fs.readFileSync(process.argv[from + 1], 'utf8')) as { traceEvents: TraceEvent[] }).traceEvents, threshold, shown, byCpu)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokking-lab-live-profile-'))
  const server = await serve(path.join(dir, 'library.sqlite'))
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.addInitScript(() => {
      const w = globalThis as unknown as { __longTasks: number[]; __frames: unknown[]; PerformanceObserver: new (cb: (l: { getEntries(): { duration: number; toJSON(): unknown }[] }) => void) => { observe(o: object): void } }
      w.__longTasks = []
      w.__frames = []
      new w.PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true })
      // Long animation frames say which callbacks ran in them, without a tracer's overhead.
      new w.PerformanceObserver((list) => list.getEntries().forEach((e) => w.__frames.push(e.toJSON()))).observe({ type: 'long-animation-frame', buffered: true })
    })
    const { runId } = await server.api<{ runId: number }>('POST', '/api/training', { preset: 'modadd-mlp-small', config: { steps: 6000, eval_every: 10 } })
    await page.goto(`${server.url}#/runs/${runId}`)
    await page.getByTestId('run-status').waitFor()
    // Playwright injects its polling script into the page on the first waitForFunction: a long
    // task of the harness, not of the page, so it runs before the count starts.
    await page.waitForFunction(() => true)
    await page.evaluate(() => {
      const w = globalThis as unknown as { __longTasks: number[]; __frames: unknown[] }
      w.__longTasks = []
      w.__frames = []
    })
    const tracing = !process.argv.includes('--no-trace')
    if (tracing) await browser.startTracing(page)
    await page.waitForFunction(() => /completed|failed/.test((globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('[data-testid="run-status"]')?.textContent ?? ''), null, { timeout: 300_000, polling: 250 })
    const trace = tracing ? await browser.stopTracing() : null
    const observed = await page.evaluate(() => (globalThis as unknown as { __longTasks: number[] }).__longTasks)
    const frames = await page.evaluate(() => (globalThis as unknown as { __frames: LongFrame[] }).__frames)
    console.log(`longtask entries: ${observed.length} (${observed.map((d) => d.toFixed(0)).join(', ')} ms)`)
    reportFrames(frames, shown)
    if (!trace) return
    const file = path.join(os.tmpdir(), 'live-profile.trace.json')
    fs.writeFileSync(file, trace)
    console.log(`trace: ${file}`)
    report((JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] }).traceEvents, threshold, shown, byCpu)
  } finally {
    await browser.close()
    await server.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) void main()
