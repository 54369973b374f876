import type { ModularOp } from '../../shared/run-config'
import { LabError } from '../../shared/lab-error'
import { Rng, RNG_STREAM } from '../random'

/** A split of the modular-arithmetic table: operand pairs and labels, as plain typed arrays. */
export interface ModularSplit {
  a: Int32Array
  b: Int32Array
  label: Int32Array
}

export interface ModularDataset {
  p: number
  op: ModularOp
  train: ModularSplit
  test: ModularSplit
}

/** (a ∘ b) mod p for the operations of SCIENCE.md; null where the op is undefined (b = 0 for div). */
export function applyOp(op: ModularOp, a: number, b: number, p: number): number | null {
  const mod = (x: number) => ((x % p) + p) % p
  switch (op) {
    case 'add':
      return mod(a + b)
    case 'sub':
      return mod(a - b)
    case 'mul':
      return mod(a * b)
    case 'div':
      return b === 0 ? null : mod(a * modInverse(b, p))
    case 'sq_sum':
      return mod(a * a + b * b)
    case 'quad':
      return mod(a * a + a * b + b * b)
  }
}

/** Multiplicative inverse of b mod prime p (Fermat), exact for p < 2^26. */
export function modInverse(b: number, p: number): number {
  let result = 1
  let base = b % p
  let e = p - 2
  while (e > 0) {
    if (e & 1) result = Number((BigInt(result) * BigInt(base)) % BigInt(p))
    base = Number((BigInt(base) * BigInt(base)) % BigInt(p))
    e >>= 1
  }
  return result
}

/** All valid pairs (a, b), labelled, split by a seeded shuffle into round(frac·n) train pairs and the rest. */
export function makeModularDataset(p: number, op: ModularOp, frac: number, seed: number): ModularDataset {
  const pairs: [number, number, number][] = []
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      const y = applyOp(op, a, b, p)
      if (y !== null) pairs.push([a, b, y])
    }
  }
  new Rng(seed, RNG_STREAM.split).shuffle(pairs)
  const nTrain = Math.round(frac * pairs.length)
  if (nTrain < 1 || nTrain >= pairs.length) {
    throw new LabError(`frac ${frac} leaves an empty train or test set for p = ${p}; choose frac so that both hold at least one pair`)
  }
  return { p, op, train: toSplit(pairs.slice(0, nTrain)), test: toSplit(pairs.slice(nTrain)) }
}

function toSplit(rows: [number, number, number][]): ModularSplit {
  return {
    a: Int32Array.from(rows, (r) => r[0]),
    b: Int32Array.from(rows, (r) => r[1]),
    label: Int32Array.from(rows, (r) => r[2]),
  }
}
