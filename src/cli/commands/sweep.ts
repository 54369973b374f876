import { LabError } from '../../shared/lab-error'
import { assertFitsInMemory } from '../../shared/memory-estimate'
import type { BackendName } from '../../shared/backend'
import { APP_VERSION } from '../../lab/app-version'
import { resolveLibraryPath } from '../../lab/store/default-location'
import { RunStore } from '../../lab/store/run-store'
import { parseGridAxis } from '../../lab/sweeps/sweep-grid'
import { defaultSweepName, planSweepRuns } from '../../lab/sweeps/sweep-plan'
import { runSweep } from '../../lab/sweeps/run-sweep'
import { sweepReport, type SweepReport } from '../../lab/sweeps/sweep-report'
import { SweepStore, sweepProgress, sweepState } from '../../lab/sweeps/sweep-store'
import { formatTable } from '../format-table'
import { resolveConfig } from '../resolve-config'
import { checkLocalSweepOptions, slurmSweepCommand, type SlurmSweepOptions } from './slurm-sweep'
import { positiveInt as positiveIntOption } from '../int-option'

export interface SweepOptions extends SlurmSweepOptions {
  preset?: string
  config?: string
  set?: string[]
  steps?: string
  grid?: string[]
  seeds?: string
  concurrency?: string
  batch?: string
  resume?: string
  name?: string
  backend: string
  db?: string
  json?: boolean
}

const positiveInt = (name: string, raw: string | undefined, fallback: number): number => positiveIntOption(name, raw) ?? fallback

/** `grokking-lab sweep`: creates a grid × seeds sweep (or resumes one) and trains its runs from a queue; with --slurm DIR, plans it as a job array instead. */
export async function sweepCommand(options: SweepOptions): Promise<number> {
  if (options.slurm !== undefined) return slurmSweepCommand(options)
  checkLocalSweepOptions(options)
  const dbPath = resolveLibraryPath(options.db)
  const concurrency = positiveInt('concurrency', options.concurrency, 1)
  const batch = options.batch === undefined ? undefined : positiveInt('batch', options.batch, 1)
  let sweepId: number
  if (options.resume !== undefined) {
    sweepId = positiveInt('resume', options.resume, 1)
    const store = RunStore.open(dbPath)
    try {
      new SweepStore(store).getSweep(sweepId)
    } finally {
      store.close()
    }
  } else {
    if (!options.grid?.length) throw new LabError('give at least one --grid key=v1,v2,… (or --resume SWEEP)')
    const { config: base, preset } = resolveConfig(options)
    const axes = options.grid.map(parseGridAxis)
    const seeds = positiveInt('seeds', options.seeds, 1)
    const runs = planSweepRuns(base, axes, seeds)
    assertFitsInMemory(runs.map((r) => r.config))
    const store = RunStore.open(dbPath)
    try {
      const name = options.name ?? defaultSweepName(preset, axes)
      sweepId = new SweepStore(store).createSweep({ name, preset, baseConfig: base, axes, seeds, appVersion: APP_VERSION, runs })
    } finally {
      store.close()
    }
    if (!options.json) console.log(`sweep ${sweepId}: ${runs.length} runs (${axes.map((a) => `${a.key} ∈ {${a.values.join(', ')}}`).join(' × ')} × ${seeds} seeds)`)
  }
  const progress = await runSweep(dbPath, sweepId, {
    concurrency,
    batch,
    backend: options.backend as BackendName | 'auto',
    onProgress: options.json ? undefined : (p) => process.stderr.write(`\rsweep ${sweepId}: ${p.done}/${p.total} done, running ${p.running.join(', ') || '-'}   `),
  })
  if (!options.json) process.stderr.write('\n')
  if (progress.interrupted) {
    // The run's line says how to resume that run; the sweep resumes all of its runs at once.
    console.error(`grokking-lab: sweep ${sweepId} stopped: ${progress.interrupted.replace(/`grokking-lab resume \d+`/, `\`grokking-lab sweep --resume ${sweepId}\``)}`)
    if (options.json) console.log(JSON.stringify({ sweepId, done: progress.done, total: progress.total, failed: progress.failed, interrupted: true }))
    return 2
  }
  const store = RunStore.open(dbPath, { readonly: true })
  try {
    const report = sweepReport(store, sweepId)
    if (options.json) console.log(JSON.stringify({ sweepId, done: progress.done, total: progress.total, failed: progress.failed, report }))
    else console.log(formatSweepReport(report))
  } finally {
    store.close()
  }
  return progress.failed.length > 0 ? 1 : 0
}

/** `grokking-lab sweep-report SWEEP`: clocks, phases and scaling fits of a sweep's runs. */
export function sweepReportCommand(sweepArg: string, options: { db?: string; json?: boolean }): number {
  const store = RunStore.open(resolveLibraryPath(options.db))
  try {
    const report = sweepReport(store, positiveInt('sweep', sweepArg, 1))
    console.log(options.json ? JSON.stringify(report) : formatSweepReport(report))
    return 0
  } finally {
    store.close()
  }
}

/** `grokking-lab sweeps`: every sweep in the library with its grid, its state, and how many of its planned runs are here and finished. */
export function sweepsCommand(options: { db?: string; json?: boolean }): number {
  const store = RunStore.open(resolveLibraryPath(options.db))
  try {
    const sweeps = new SweepStore(store)
    const rows = sweeps.listSweeps().map((s) => {
      const p = sweepProgress(s, sweeps.sweepRuns(s.id))
      return { ...s, state: sweepState(p), runs: p.progress.total, collected: p.collected, completed: p.progress.done }
    })
    if (options.json) console.log(JSON.stringify(rows))
    else if (rows.length === 0) console.log(`no sweeps yet in ${store.path}`)
    else {
      console.log(formatTable(['id', 'name', 'grid', 'seeds', 'state', 'collected', 'completed', 'created'],
        rows.map((r) => [r.id, r.name, r.axes.map((a) => `${a.key}=${a.values.join(',')}`).join(' '), r.seeds, r.state, `${r.collected}/${r.runs}`, `${r.completed}/${r.runs}`, r.createdAt])))
    }
    return 0
  } finally {
    store.close()
  }
}

const num = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3))

/** The report as text: a row per run, then a row per fit with the exponent's 95% interval. */
export function formatSweepReport(r: SweepReport): string {
  const runRows = r.runs.map((x) => [x.runId, ...r.keys.map((k) => x.point[k]), x.point.seed, x.status, x.clocks.T_mem ?? '-', x.clocks.T_gen ?? '-', x.clocks.T_struct ?? '-', x.phase])
  const fitRows = r.fits.map((f) => [
    f.clock,
    f.form === 'power' ? `log T ~ log ${f.key}` : `T ~ log ${f.key}`,
    Object.entries(f.fixed).map(([k, v]) => `${k}=${v}`).join(' ') || '-',
    f.fit ? num(f.fit.slope) : '-',
    f.fit?.slopeInterval ? `[${num(f.fit.slopeInterval[0])}, ${num(f.fit.slopeInterval[1])}]` : '-',
    f.predicted ? `${num(f.predicted.value)} (${f.predicted.source})` : '-',
    f.fit ? `${f.fit.n}${f.censored ? ` (+${f.censored} never)` : ''}` : `0 (+${f.censored} never)`,
    f.fit ? f.fit.r2.toFixed(2) : '-',
  ])
  const eps = r.fitClock.fit
  return [
    `sweep ${r.sweepId} "${r.name}": ${Object.entries(r.phases).map(([p, n]) => `${n} ${p}`).join(', ')}`,
    formatTable(['run', ...r.keys, 'seed', 'status', 'T_mem', 'T_gen', 'T_struct', 'phase'], runRows),
    '',
    formatTable(['clock', 'fit', 'held fixed', 'slope', '95% interval', 'predicted', 'runs', 'R²'], fitRows),
    eps
      ? `T_fit(ε) − T_margin against log(1/ε), ε ∈ {${r.fitClock.epsilons.join(', ')}}: slope ${num(eps.slope)} steps per e-fold` +
        `${eps.slopeInterval ? ` [${num(eps.slopeInterval[0])}, ${num(eps.slopeInterval[1])}]` : ''}, R² ${eps.r2.toFixed(2)} (TC: linear)`
      : 'T_fit(ε) against log(1/ε): not enough points',
  ].join('\n')
}
