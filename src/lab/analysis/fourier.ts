import type { FourierSummary } from '../../shared/analysis-types'
import type { DenseMatrix } from './dense-matrix'
import { gini, ipr, keysAboveGap } from '../../shared/concentration'

export { keysAboveGap }
import { columnPowers, ROUNDOFF_POWER } from './fourier-basis'

export type { FourierSummary }

export interface FrequencyPower {
  p: number
  /** power[k] for k = 0…⌊p/2⌋: ‖cos_k coefficients‖² + ‖sin_k coefficients‖²; power[0] is the constant. */
  power: number[]
  /** Σ_k power[k], equal to ‖E‖_F² (Parseval, the basis is orthonormal). */
  total: number
}

/** Fourier power per frequency of an embedding E [p, d] (rows = tokens), summed over the d columns. */
export function frequencyPower(E: DenseMatrix): FrequencyPower {
  const p = E.rows
  const cols = columnPowers(E, p)
  const power = new Array<number>(Math.floor(p / 2) + 1).fill(0)
  for (const c of cols) for (let k = 0; k < power.length; k++) power[k] += c[k]
  return { p, power, total: power.reduce((s, v) => s + v, 0) }
}

export interface FourierSummaryOptions {
  /** How many of the strongest frequencies topKShare counts. Default 5. */
  topK?: number
  /** Smallest drop, as a ratio, between the last key frequency's share and the next one's. Default 2. */
  keyGap?: number
  /** The keys together must carry at least keyFactor × what as many flat frequencies would. Default 2. */
  keyFactor?: number
  /** At most this many key frequencies are reported. Default 12. */
  maxKeys?: number
}

/** Key frequencies, top-K share and concentration of an embedding E [p, d]'s Fourier spectrum. */
export function fourierSummary(E: DenseMatrix, options: FourierSummaryOptions = {}): FourierSummary {
  return summarizePower(frequencyPower(E), options)
}

function summarizePower(fp: FrequencyPower, options: FourierSummaryOptions): FourierSummary {
  const { topK = 5, keyFactor = 2, keyGap = 2, maxKeys = 12 } = options
  const power = fp.power.slice(1)
  const frequencies = power.map((_, i) => i + 1)
  const F = power.length
  const raw = power.reduce((s, v) => s + v, 0)
  const nonConstant = raw > ROUNDOFF_POWER * fp.total ? raw : 0
  const share = power.map((v) => (nonConstant > 0 ? v / nonConstant : 0))
  // Strongest first; ties broken by lower frequency so results do not depend on sort stability.
  const order = frequencies.slice().sort((a, b) => power[b - 1] - power[a - 1] || a - b)
  const keyFrequencies = nonConstant > 0 ? keysAboveGap(order.map((k) => share[k - 1]), F, keyGap, keyFactor, maxKeys).map((i) => order[i]) : []
  const topKShare = order.slice(0, Math.max(0, topK)).reduce((s, k) => s + share[k - 1], 0)
  const norms = power.map(Math.sqrt)
  return {
    p: fp.p,
    frequencies,
    power,
    share,
    constantPower: fp.power[0],
    totalPower: fp.total,
    keyFrequencies,
    topK,
    topKShare,
    gini: gini(norms),
    ipr: ipr(norms),
  }
}

export interface FrequencyByStep {
  /** Snapshot steps, ascending. */
  steps: number[]
  /** Non-constant frequencies 1…⌊p/2⌋. */
  frequencies: number[]
  /** share[i][j]: share of non-constant power at frequencies[i] in the snapshot at steps[j]. */
  share: number[][]
  /** Non-constant power per step, so a fading embedding is not mistaken for a flat one. */
  power: number[]
}

/** Frequency × step table of Fourier power shares for a run's embedding snapshots (all with the same p). */
export function frequencyByStep(snapshots: readonly { step: number; E: DenseMatrix }[]): FrequencyByStep {
  if (snapshots.length === 0) return { steps: [], frequencies: [], share: [], power: [] }
  const p = snapshots[0].E.rows
  const sorted = snapshots.slice().sort((a, b) => a.step - b.step)
  const summaries = sorted.map(({ E }) => {
    if (E.rows !== p) throw new Error(`frequencyByStep: snapshots mix p = ${p} and p = ${E.rows}`)
    return summarizePower(frequencyPower(E), {})
  })
  const frequencies = summaries[0].frequencies
  return {
    steps: sorted.map((s) => s.step),
    frequencies,
    share: frequencies.map((_, i) => summaries.map((s) => s.share[i])),
    power: summaries.map((s) => s.power.reduce((a, v) => a + v, 0)),
  }
}

