import type { ModularOp } from '../../shared/run-config'
import { LabError } from '../../shared/lab-error'
import { Rng, RNG_STREAM } from '../random'
import { applyOp, type ModularDataset, type ModularSplit } from './modular-arithmetic'

/** Ops with (a ∘ b) = (b ∘ a): the only ones an unordered pair {a, b} determines. */
export const COMMUTATIVE_OPS: readonly ModularOp[] = ['add', 'mul', 'sq_sum', 'quad']

/**
 * All unordered pairs 0 ≤ a ≤ b < p (Musat 2025), labelled (a ∘ b) mod p, split by a seeded shuffle
 * into round(frac·n) train pairs and the rest; n = p(p+1)/2.
 */
export function makeUnorderedModularDataset(p: number, op: ModularOp, frac: number, seed: number): ModularDataset {
  if (!COMMUTATIVE_OPS.includes(op)) throw new LabError(`pairs=unordered needs a commutative op (${COMMUTATIVE_OPS.join(', ')}); ${op} is not`)
  const pairs: [number, number, number][] = []
  for (let a = 0; a < p; a++) for (let b = a; b < p; b++) pairs.push([a, b, applyOp(op, a, b, p)!])
  new Rng(seed, RNG_STREAM.split).shuffle(pairs)
  const nTrain = Math.round(frac * pairs.length)
  if (nTrain < 1 || nTrain >= pairs.length) {
    throw new LabError(`frac ${frac} leaves an empty train or test set for p = ${p}; choose frac so that both hold at least one pair`)
  }
  const split = (rows: [number, number, number][]): ModularSplit => ({
    a: Int32Array.from(rows, (r) => r[0]),
    b: Int32Array.from(rows, (r) => r[1]),
    label: Int32Array.from(rows, (r) => r[2]),
  })
  return { p, op, train: split(pairs.slice(0, nTrain)), test: split(pairs.slice(nTrain)) }
}

/** Inputs x = e_a + e_b of a split as a row-major [n, p] matrix (a = b gives 2·e_a). */
export function sumOfOneHots(s: ModularSplit, p: number): Float64Array {
  const n = s.a.length
  const x = new Float64Array(n * p)
  for (let i = 0; i < n; i++) {
    x[i * p + s.a[i]] += 1
    x[i * p + s.b[i]] += 1
  }
  return x
}
