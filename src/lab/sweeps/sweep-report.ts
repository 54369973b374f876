import type { ClockFit, Clocks, Phase, SweepReport, SweepReportRun } from '../../shared/analysis-types'
import { computeClocks } from '../analysis/clocks'
import type { RunStore } from '../store/run-store'
import { linearFit, scalingForm } from './scaling-fit'
import { SweepStore } from './sweep-store'

export type { ClockFit, Phase, SweepReport, SweepReportRun }

const SERIES = ['train_loss', 'train_acc', 'test_acc', 'min_train_margin', 'structural_energy', 'relu_churn']
const CLOCKS = ['T_mem', 'T_gen', 'T_struct', 'T_fit'] as const
const EPSILONS = [1e-1, 1e-2, 1e-3, 1e-4]

/** Classifies a run by its clocks: generalization counts as delayed when it took over twice as long as memorization. */
export function classifyPhase(c: Clocks, evalEvery: number): Phase {
  if (c.T_mem === null) return 'no fit'
  if (c.T_gen === null) return 'memorized'
  const delay = c.T_gen - c.T_mem
  return delay > Math.max(c.T_mem, 2 * evalEvery) ? 'grokked' : 'generalized without delay'
}

/** Clocks, phases and scaling fits of every run of a sweep. */
export function sweepReport(store: RunStore, sweepId: number): SweepReport {
  const sweeps = new SweepStore(store)
  const sweep = sweeps.getSweep(sweepId)
  const keys = sweep.axes.map((a) => a.key)
  const epsFits: { x: number; y: number }[] = []
  const runs = sweeps.sweepRuns(sweepId).map(({ run, point }) => {
    const series = store.readSeries(run.id, SERIES)
    const clocks = computeClocks(series)
    for (const eps of EPSILONS) {
      const c = computeClocks(series, { epsilon: eps })
      if (c.T_fit !== null && c.T_margin !== null) epsFits.push({ x: Math.log(1 / eps), y: c.T_fit - c.T_margin })
    }
    return { runId: run.id, status: run.status, point, clocks, phase: classifyPhase(clocks, run.config.eval_every) }
  })
  const fits: ClockFit[] = []
  for (const key of keys) {
    const others = keys.filter((k) => k !== key)
    const groups = new Map<string, SweepReportRun[]>()
    for (const r of runs) {
      const fixed = JSON.stringify(others.map((k) => r.point[k]))
      groups.set(fixed, [...(groups.get(fixed) ?? []), r])
    }
    for (const group of groups.values()) {
      const fixed = Object.fromEntries(others.map((k) => [k, group[0].point[k]]))
      for (const clock of CLOCKS) {
        const { form, predicted } = scalingForm(clock, key, sweep.baseConfig)
        const usable = group.filter((r) => r.clocks[clock] !== null && r.clocks[clock]! > 0 && Number(r.point[key]) > 0)
        const x = usable.map((r) => Math.log(Number(r.point[key])))
        const y = usable.map((r) => (form === 'power' ? Math.log(r.clocks[clock]!) : r.clocks[clock]!))
        fits.push({ clock, key, form, fixed, fit: linearFit(x, y), predicted, censored: group.length - usable.length })
      }
    }
  }
  const phases: Record<Phase, number> = { 'no fit': 0, memorized: 0, grokked: 0, 'generalized without delay': 0 }
  for (const r of runs) phases[r.phase] += 1
  return {
    sweepId,
    name: sweep.name,
    keys,
    runs,
    fits,
    fitClock: { epsilons: EPSILONS, fit: linearFit(epsFits.map((p) => p.x), epsFits.map((p) => p.y)) },
    phases,
  }
}
