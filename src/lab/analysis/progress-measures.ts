import type { ModularOp } from '../../shared/run-config'
import { keysAboveGap } from './fourier'

/** Ops whose answer is a function of a ± b, so the logits' key directions are cos/sin of w(a ± b). */
export const PROGRESS_MEASURE_OPS: readonly ModularOp[] = ['add', 'sub']

export interface ProgressMeasureInput {
  p: number
  op: ModularOp
  /** Every pair of the table (p² of them), with labels; the order is free. */
  a: Int32Array
  b: Int32Array
  label: Int32Array
  /** 1 where the pair is in the training split. */
  train: Uint8Array
  /** Logits [pairs, p], row-major. */
  logits: Float32Array
  /** The key frequencies k (w = 2πk/p) the measures keep or remove. */
  keyFrequencies: number[]
}

export interface ProgressMeasures {
  /** Cross-entropy on every pair of logits restricted to the key directions (plus each answer's mean). */
  restrictedLoss: number
  /** Cross-entropy on the training pairs of logits with the key directions removed. */
  excludedLoss: number
}

/**
 * Nanda et al.'s progress measures from a model's logits on the whole table. For each answer c the
 * logit column over pairs is split along the directions cos(w_k s) and sin(w_k s), s = a ± b, of
 * the key frequencies: over all p² pairs these are orthogonal to each other and to the constant, so
 * projecting onto each in turn is the least-squares split. The restricted logits keep only that
 * part (and the column's mean), the excluded logits remove it. Everything is summed in float64.
 */
export function progressMeasures(input: ProgressMeasureInput): ProgressMeasures {
  const { p, a, label, train, logits, keyFrequencies } = input
  const n = a.length
  checkTable(input)
  const directions = keyFrequencies.flatMap((k) => pairDirections(input, k))
  const key = new Float64Array(n * p)
  const mean = new Float64Array(p)
  const column = new Float64Array(n)
  for (let c = 0; c < p; c++) {
    let sum = 0
    for (let i = 0; i < n; i++) sum += column[i] = logits[i * p + c]
    mean[c] = sum / n
    for (const d of directions) {
      let dot = 0
      let norm = 0
      for (let i = 0; i < n; i++) {
        dot += d[i] * column[i]
        norm += d[i] * d[i]
      }
      if (norm === 0) continue
      const coef = dot / norm
      for (let i = 0; i < n; i++) key[i * p + c] += coef * d[i]
    }
  }
  let restricted = 0
  let excluded = 0
  let trainCount = 0
  const row = new Float64Array(p)
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < p; c++) row[c] = mean[c] + key[i * p + c]
    restricted += crossEntropy(row, label[i])
    if (train[i]) {
      for (let c = 0; c < p; c++) row[c] = logits[i * p + c] - key[i * p + c]
      excluded += crossEntropy(row, label[i])
      trainCount++
    }
  }
  return { restrictedLoss: restricted / n, excludedLoss: trainCount ? excluded / trainCount : Number.NaN }
}

/** −log softmax(row)[target], computed stably. */
export function crossEntropy(row: ArrayLike<number>, target: number): number {
  let max = -Infinity
  for (let c = 0; c < row.length; c++) max = Math.max(max, row[c])
  let sum = 0
  for (let c = 0; c < row.length; c++) sum += Math.exp(row[c] - max)
  return Math.log(sum) + max - row[target]
}

function checkTable(input: Pick<ProgressMeasureInput, 'p' | 'op' | 'a'>): void {
  if (!PROGRESS_MEASURE_OPS.includes(input.op)) throw new Error(`progress measures need op add or sub, not ${input.op}`)
  if (input.a.length !== input.p * input.p) throw new Error(`progress measures need all ${input.p * input.p} pairs of the table, got ${input.a.length}`)
}

/** cos(w_k s) and sin(w_k s) over the pairs, s = a ± b mod p. */
function pairDirections(input: Pick<ProgressMeasureInput, 'p' | 'op' | 'a' | 'b'>, k: number): [Float64Array, Float64Array] {
  const { p, a, b } = input
  const sign = input.op === 'add' ? 1 : -1
  const cos = new Float64Array(a.length)
  const sin = new Float64Array(a.length)
  for (let i = 0; i < a.length; i++) {
    const s = (((a[i] + sign * b[i]) % p) + p) % p
    cos[i] = Math.cos((2 * Math.PI * k * s) / p)
    sin[i] = Math.sin((2 * Math.PI * k * s) / p)
  }
  return [cos, sin]
}

/**
 * Power of the logits along each frequency's cos/sin(w_k (a ± b)) directions, summed over the
 * answers: power[k − 1] for k = 1…⌊p/2⌋. A model that computes the answer by Nanda et al.'s
 * circuit puts nearly all of it on its few key frequencies.
 */
export function logitFrequencyPower(input: Pick<ProgressMeasureInput, 'p' | 'op' | 'a' | 'b' | 'logits'>): number[] {
  checkTable(input)
  const { p, logits } = input
  const n = input.a.length
  const power: number[] = []
  for (let k = 1; k <= Math.floor(p / 2); k++) {
    let total = 0
    for (const d of pairDirections(input, k)) {
      let norm = 0
      for (let i = 0; i < n; i++) norm += d[i] * d[i]
      for (let c = 0; c < p; c++) {
        let dot = 0
        for (let i = 0; i < n; i++) dot += d[i] * logits[i * p + c]
        total += (dot * dot) / norm
      }
    }
    power.push(total)
  }
  return power
}

/**
 * The key frequencies of a model's output: those above the spectrum's cliff (the rule the
 * embedding's Fourier view uses), or, where the power falls off without one, the fewest strongest
 * frequencies that carry `cover` of it. At most `maxKeys`.
 */
export function logitKeyFrequencies(power: number[], { cover = 0.8, maxKeys = 12 } = {}): number[] {
  const total = power.reduce((s, v) => s + v, 0)
  if (!(total > 0)) return []
  const order = power.map((v, i) => ({ k: i + 1, share: v / total })).sort((x, y) => y.share - x.share)
  // A cliff needs a frequency below it: with every frequency a key there is no spectrum to read.
  const cliff = keysAboveGap(order.map((o) => o.share), power.length, 2, 2, Math.min(maxKeys, power.length - 1))
  if (cliff.length) return cliff.map((i) => order[i].k).sort((x, y) => x - y)
  const keys: number[] = []
  let carried = 0
  for (const o of order) {
    if (carried >= cover || keys.length === maxKeys) break
    keys.push(o.k)
    carried += o.share
  }
  return keys.sort((x, y) => x - y)
}
