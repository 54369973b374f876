import { BACKEND_NAMES, type BackendName } from '../../shared/backend'
import { LabError } from '../../shared/lab-error'
import { BENCH_MODELS, runBench, type BenchReport } from '../../lab/bench/run-bench'
import { formatTable } from '../format-table'

export interface BenchCliOptions {
  json?: boolean
  backend?: string[]
  model?: string[]
  windows?: string
  torchDevice?: string
  torchThreads?: string
  ui?: boolean
}

/** `grokking-lab bench`: ms per training step per backend and model, beside PyTorch, plus library timings. */
export async function benchCommand(options: BenchCliOptions): Promise<number> {
  if (options.ui) return uiBenchCommand(options)
  for (const b of options.backend ?? []) {
    if (!(BACKEND_NAMES as readonly string[]).includes(b)) throw new LabError(`unknown backend '${b}' (choose from ${BACKEND_NAMES.join(', ')})`)
  }
  for (const m of options.model ?? []) {
    if (!(m in BENCH_MODELS)) throw new LabError(`unknown bench model '${m}' (choose from ${Object.keys(BENCH_MODELS).join(', ')})`)
  }
  const report = await runBench({
    backends: options.backend as BackendName[] | undefined,
    models: options.model,
    windows: options.windows ? Number(options.windows) : undefined,
    torchDevice: options.torchDevice,
    torchThreads: options.torchThreads ? Number(options.torchThreads) : undefined,
    onProgress: options.json ? undefined : (line) => process.stderr.write(`${line}\n`),
  })
  if (options.json) console.log(JSON.stringify(report))
  else console.log(formatReport(report))
  return 0
}

const ms = (v: number | undefined) => (v === undefined ? '-' : v < 10 ? v.toFixed(2) : v.toFixed(1))

/** The bench report as the table the README's bench notes quote. */
export function formatReport(r: BenchReport): string {
  const rows = r.rows.map((row) => {
    const t = row.timing
    if (!t) return [row.backend, row.model, '-', '-', '-', '-', '-', '-', '-', row.skipped ?? '']
    return [
      row.backend,
      row.model,
      t.engine,
      `${ms(t.msPerStep.median)} (${ms(t.msPerStep.min)}–${ms(t.msPerStep.max)})`,
      (1000 / t.msPerStep.median).toFixed(1),
      row.pytorch ? ms(row.pytorch.msPerStep.median) : '-',
      row.ratio ? row.ratio.toFixed(2) : '-',
      `${(100 * t.evalOverhead).toFixed(1)}%`,
      t.peakRssMb.toFixed(0),
      '',
    ]
  })
  return [
    `Grokking Lab bench, ${r.date}, ${r.host.cpus} CPUs, Node ${r.host.node}, ${r.host.platform}; reference: ${r.pytorch}`,
    formatTable(['backend', 'model', 'engine', 'ms/step median (min–max)', 'steps/s', 'PyTorch ms', 'ratio', 'eval overhead', 'peak RSS MB', 'note'], rows),
    r.library
      ? `library: snapshot write ${ms(r.library.snapshotWriteMs)} ms (${r.library.snapshotMb.toFixed(2)} MB); ` +
        `plots of a 100,000-step run through the API: ${ms(r.library.openPlotsMs)} ms (${r.library.plotPoints} points)`
      : 'library: not timed',
    ...(r.batched.length
      ? r.batched.map(
          (b) =>
            `batched runs on ${b.backend}: ${b.runs} × ${b.preset} (${b.steps} steps) ${b.batched ? 'as one batch' : 'one after another (no fast path)'} ` +
            `in ${(b.batchMs / 1000).toFixed(1)} s, one run alone ${(b.oneRunMs / 1000).toFixed(1)} s: ${b.ratio.toFixed(2)}× one run`,
        )
      : ['batched runs: not timed']),
    'engine: fast path = per-token tables with a hand-written backward, same maths (onnxruntime on the CPU; WGSL on webgpu for the embed-MLP); tfjs = tfjs autodiff',
    'ratio = PyTorch ms / ours (> 1: we are faster); eval overhead = what one evaluation adds / (eval_every × ms/step), at the default eval_every',
  ].join('\n')
}

/** `bench --ui`: the app's own timings in Chromium (bench/ui-bench.ts), which needs the dev install. */
async function uiBenchCommand(options: BenchCliOptions): Promise<number> {
  const { runUiBench } = await import('../../../bench/ui-bench')
  const { formatHeatmapBench, runHeatmapBench } = await import('../../../bench/heatmap-bench')
  const { formatRunOpen } = await import('../../../bench/run-open-bench')
  const say = options.json ? undefined : (line: string) => process.stderr.write(`${line}\n`)
  const r = await runUiBench({ say })
  const heatmap = await runHeatmapBench({ say })
  if (options.json) {
    console.log(JSON.stringify({ ...r, heatmap }))
    return 0
  }
  const span = (s: { median: number; min: number; max: number }) => `${s.median.toFixed(0)} ms (${s.min.toFixed(0)}–${s.max.toFixed(0)})`
  console.log(
    [
      `Grokking Lab UI bench, ${new Date().toISOString()}, Chromium headless`,
      `library of ${r.runs.toLocaleString('en-US')} runs: first rows ${span(r.firstRowsMs)}; a λ range filter to its rows ${span(r.filteredMs)}`,
      formatRunOpen(r.openRun),
      `live run (${r.liveSeconds.toFixed(0)} s of modadd-mlp-small, eval every 10 steps): longest task ${r.liveLongTasks ? `${r.liveLongestTaskMs.toFixed(0)} ms (${r.liveLongTasks} over 50 ms)` : 'under 50 ms (no long task)'}`,
      formatHeatmapBench(heatmap),
    ].join('\n'),
  )
  return 0
}
