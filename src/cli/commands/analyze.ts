import { LabError } from '../../shared/lab-error'
import { analyzeRun, type RunAnalysis } from '../../lab/analysis/run-analysis'
import type { FourierSummary } from '../../lab/analysis/fourier'
import { resolveLibraryPath } from '../../lab/store/default-location'
import { RunStore } from '../../lab/store/run-store'
import { formatTable } from '../format-table'
import { parseRunId } from '../run-id'

export interface AnalyzeOptions {
  db?: string
  json?: boolean
  step?: string
  epsilon?: string
  accuracy?: string
  delta?: string
  churn?: string
}

function threshold(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const v = Number(raw)
  if (!Number.isFinite(v) || v <= 0) throw new LabError(`--${name} must be a positive number, got '${raw}'`)
  return v
}

/** `grokking-lab analyze RUN`: clocks, final measurements, Fourier and spectral summaries at a snapshot. */
export function analyzeCommand(runArg: string, options: AnalyzeOptions): number {
  const store = RunStore.open(resolveLibraryPath(options.db))
  try {
    const runId = parseRunId(runArg)
    const steps = store.snapshotSteps(runId)
    if (steps.length === 0) throw new LabError(`run ${runId} has no weight snapshots to analyse yet`)
    let step: number | undefined
    if (options.step !== undefined) {
      step = Number(options.step)
      if (!steps.includes(step)) throw new LabError(`run ${runId} has no snapshot at step ${options.step} (snapshots: ${steps.join(', ')})`)
    }
    const analysis = analyzeRun(store, runId, {
      step,
      thresholds: {
        epsilon: threshold('epsilon', options.epsilon),
        accuracy: threshold('accuracy', options.accuracy),
        delta: threshold('delta', options.delta),
        churn: threshold('churn', options.churn),
      },
    })
    console.log(options.json ? JSON.stringify(analysis) : formatAnalysis(analysis))
    return 0
  } finally {
    store.close()
  }
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`

function fourierLine(label: string, f: FourierSummary): string {
  const keys = f.keyFrequencies.map((k) => `${k} (${pct(f.share[k - 1])})`).join(', ') || 'none (flat)'
  return `${label}: key frequencies ${keys}; top-${f.topK} share ${pct(f.topKShare)}, Gini ${f.gini.toFixed(3)}, IPR ${f.ipr.toFixed(3)} (flat: ${(1 / f.frequencies.length).toFixed(3)})`
}

/** The analysis as text for a terminal. */
export function formatAnalysis(a: RunAnalysis): string {
  const c = a.clocks
  const t = c.thresholds
  const show = (v: number | null) => (v === null ? '-' : String(v))
  const lines = [
    `run ${a.runId}, weights at step ${a.step}`,
    `clocks: T_fit(ε=${t.epsilon}) ${show(c.T_fit)}  T_margin ${show(c.T_margin)}  T_mem ${show(c.T_mem)}  T_gen ${show(c.T_gen)}  ` +
      `T_struct(δ=${t.delta}) ${show(c.T_struct)}  T_freeze ${show(c.T_freeze)}  delay ${show(c.delay)}  ratio ${c.ratio?.toFixed(2) ?? '-'}`,
    formatTable(['measurement', 'final'], Object.entries(a.final).filter(([k]) => !k.startsWith('norm/')).map(([k, v]) => [k, v])),
  ]
  const f = a.fourier
  if (f) {
    lines.push(fourierLine('embedding', f.embedding), fourierLine('unembedding', f.unembed))
    if (f.outputMap) lines.push(fourierLine('W_out·W_U', f.outputMap))
    const counts = Object.entries(f.neurons.dominantFrequencyCounts).sort((x, y) => y[1] - x[1]).slice(0, 8)
    lines.push(`neurons by dominant frequency: ${counts.map(([k, n]) => `${k}: ${n}`).join(', ')} (mean share ${pct(f.neurons.meanFraction)})`)
  }
  lines.push(formatTable(['tensor', 'shape', 'σ_1…σ_3', 'nuclear', 'eff. rank', 'stable rank'],
    a.spectra.map((s) => [s.tensor, `${s.rows}×${s.cols}`, s.topSingularValues.slice(0, 3).map((v) => v.toFixed(2)).join(' '), s.nuclearNorm, s.effectiveRank, s.stableRank])))
  return lines.join('\n')
}
