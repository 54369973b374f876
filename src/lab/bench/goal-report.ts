import { formatTable } from '../../cli/format-table'
import type { RunConfig } from '../../shared/run-config'
import type { ReferenceTiming } from './pytorch-reference'
import type { BatchedTiming } from './time-batched'
import type { EvalOverheadTiming } from './time-eval-overhead'
import type { StepTiming } from './time-training'

/** Issue 17's three GPU measures, each beside PyTorch on the same device where it has a counterpart. */
export interface GoalReport {
  date: string
  host: { cpus: number; node: string; platform: string }
  /** The tfjs backend and its adapter, as the probe described it. */
  backend: string
  adapter: string
  /** A software renderer (Mesa) or shrunken shapes (`--quick`): the numbers then say nothing of a GPU. */
  software: boolean
  quick: boolean
  /** 'PyTorch 2.x on cuda (python3)', or why PyTorch did not run. */
  pytorch: string
  transformer: { config: RunConfig; ours: StepTiming; pytorch?: ReferenceTiming; pytorchError?: string }
  evalOverhead: { config: RunConfig; ours: EvalOverheadTiming; pytorch?: ReferenceTiming; pytorchError?: string }
  batched: { config: RunConfig; ours: BatchedTiming }
}

/** One line of the goal table; `met` is undefined when the measure lacks what its goal needs. */
export interface GoalLine {
  id: 'a' | 'b' | 'c'
  measure: string
  ours: string
  pytorch: string
  ratio: string
  goal: string
  met: boolean | undefined
  /** The number the goal is judged on (ratio, overhead fraction, batch/one). */
  value: number | undefined
}

/** The goals of issue 17, so the table and the tests read them from one place. */
export const GOALS = { transformerRatio: 1.5, evalOverhead: 0.1, batchedRatio: 3 } as const

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1))
const pct = (f: number) => `${f >= 0 ? '+' : ''}${(100 * f).toFixed(1)}%`
const shape = (c: RunConfig) => `p ${c.p} f ${c.frac} d ${c.d} hidden ${c.hidden}${c.model === 'transformer-1l' ? ` heads ${c.heads}` : ''}`
const verdict = (met: boolean | undefined) => (met === undefined ? 'unmeasured' : met ? 'met' : 'NOT met')

/** Judges each of the three measures against its goal: ours, PyTorch's, their ratio. */
export function goalLines(r: GoalReport): GoalLine[] {
  const t = r.transformer
  const tRatio = t.pytorch ? t.pytorch.msPerStep.median / t.ours.msPerStep.median : undefined
  const e = r.evalOverhead
  const eRef = e.pytorch?.msPerStepEval && e.pytorch.evalOverhead !== undefined ? e.pytorch : undefined
  const b = r.batched.ours
  return [
    {
      id: 'a',
      measure: `transformer-1L ${shape(t.config)}, ms/step (${t.ours.engine})`,
      ours: `${ms(t.ours.msPerStep.median)} (${ms(t.ours.msPerStep.min)}–${ms(t.ours.msPerStep.max)})`,
      pytorch: t.pytorch ? `${ms(t.pytorch.msPerStep.median)} (${t.pytorch.device})` : `- (${t.pytorchError ?? 'not run'})`,
      ratio: tRatio === undefined ? '-' : `${tRatio.toFixed(2)}×`,
      goal: `PyTorch/ours ≥ ${GOALS.transformerRatio}`,
      met: tRatio === undefined ? undefined : tRatio >= GOALS.transformerRatio,
      value: tRatio,
    },
    {
      id: 'b',
      measure: `embed-MLP ${shape(e.config)}, time per step evaluating every ${e.ours.evalEvery} vs never`,
      ours: `${pct(e.ours.overhead)} (${ms(e.ours.withEval.median)} vs ${ms(e.ours.without.median)} ms)`,
      pytorch: eRef ? `${pct(eRef.evalOverhead!)} (${ms(eRef.msPerStepEval!.median)} vs ${ms(eRef.msPerStep.median)} ms)` : `- (${e.pytorchError ?? 'not run'})`,
      // How much faster a run's whole loop, evaluations included, is than PyTorch's.
      ratio: eRef ? `${(eRef.msPerStepEval!.median / e.ours.withEval.median).toFixed(2)}×` : '-',
      goal: `ours < ${100 * GOALS.evalOverhead}%`,
      met: e.ours.overhead < GOALS.evalOverhead,
      value: e.ours.overhead,
    },
    {
      id: 'c',
      measure: `${b.runs} × transformer-1L ${shape(r.batched.config)}, ${b.steps} steps, ${b.batched ? 'as one batch' : 'one after another (no fast-path batch)'} vs one run`,
      ours: `${b.ratio.toFixed(2)}× (${(b.batchMs / 1000).toFixed(2)} s vs ${(b.oneRunMs / 1000).toFixed(2)} s)`,
      pytorch: '- (the goal compares our batch with our one run)',
      ratio: '-',
      goal: `< ${GOALS.batchedRatio}× one run`,
      met: b.batched && b.ratio < GOALS.batchedRatio,
      value: b.ratio,
    },
  ]
}

/** The report as printed on the GPU machine: a header, the goal table, and what the columns mean. */
export function formatGoalReport(r: GoalReport): string {
  const lines = goalLines(r)
  const warning =
    r.software || r.quick
      ? [`NOTE: ${[r.software ? 'a software renderer' : '', r.quick ? 'shrunken shapes and few steps (--quick)' : ''].filter(Boolean).join(' and ')}: these numbers say nothing about a GPU`]
      : []
  return [
    `Grokking Lab, issue 17's GPU measures, ${r.date}, ${r.host.cpus} CPUs, Node ${r.host.node}, ${r.host.platform}`,
    `ours: ${r.backend} on ${r.adapter}; reference: ${r.pytorch}`,
    ...warning,
    formatTable(
      ['', 'measure', 'ours', 'PyTorch', 'ratio', 'goal', 'verdict'],
      lines.map((l) => [`(${l.id})`, l.measure, l.ours, l.pytorch, l.ratio, l.goal, verdict(l.met)]),
    ),
    '(a) ms per full-batch AdamW step, median (min–max) of timed windows; ratio = PyTorch ms / ours (> 1: we are faster)',
    "(b) extra time per step of a run's loop with its evaluations (and their gradient norms) against the same loop never evaluating; " +
      "PyTorch's evaluation is the usual loss and accuracy of both splits; ratio = PyTorch ms / ours, evaluations included",
    '(c) wall time of the batch (evaluations every eval_every, snapshots read, no library writes) over one run alone',
  ].join('\n')
}
