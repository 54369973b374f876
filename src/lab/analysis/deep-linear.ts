import { assertDenseMatrix, frobeniusSquared, matmul, matmulChain, transpose, type DenseMatrix } from './dense-matrix'
import { schattenPowerSum, singularValues } from './spectral'

// Layers are always given in application order: layers[0] = W_1 acts on the input first, and
// W_l has shape [out_l, in_l], so the end-to-end map is M = W_L ⋯ W_1.

function checkChain(layers: readonly DenseMatrix[]): void {
  if (layers.length === 0) throw new Error('deep linear net: need at least one layer')
  layers.forEach((w, l) => assertDenseMatrix(w, `layer ${l + 1}`))
  for (let l = 1; l < layers.length; l++) {
    if (layers[l].cols !== layers[l - 1].rows) {
      throw new Error(
        `deep linear net: layer ${l + 1} expects ${layers[l].cols} inputs but layer ${l} gives ${layers[l - 1].rows}`,
      )
    }
  }
}

/** End-to-end map M = W_L ⋯ W_1, shape [out_L, in_1]. */
export function endToEnd(layers: readonly DenseMatrix[]): DenseMatrix {
  checkChain(layers)
  return matmulChain([...layers].reverse())
}

/** Structural energy Σ_l (λ_l/2)‖W_l‖_F²; a single λ applies to every layer. */
export function structuralEnergy(layers: readonly DenseMatrix[], lambdas: number | readonly number[]): number {
  checkChain(layers)
  if (typeof lambdas !== 'number' && lambdas.length !== layers.length) {
    throw new Error(`structuralEnergy: ${lambdas.length} λ's for ${layers.length} layers`)
  }
  let e = 0
  layers.forEach((w, l) => {
    const lambda = typeof lambdas === 'number' ? lambdas : lambdas[l]
    e += (lambda / 2) * frobeniusSquared(w)
  })
  return e
}

/**
 * Minimum of the equal-λ structural energy over all factorizations of the current M:
 * (λL/2)·‖M‖_{S_{2/L}}^{2/L}. Attained exactly when the layers are balanced.
 */
export function schattenFloor(layers: readonly DenseMatrix[], lambda: number): number {
  const L = layers.length
  // Σσ^{2/L} directly: raising the quasi-norm to 1/p and back to p would only add round-off.
  return ((lambda * L) / 2) * schattenPowerSum(singularValues(endToEnd(layers)), 2 / L)
}

/**
 * Relative imbalance Σ_l ‖W_{l+1}ᵀW_{l+1} − W_l W_lᵀ‖_F / Σ_l ‖W_l‖_F². Zero exactly when balanced,
 * and scale-free so one threshold δ works across widths and weight scales; 0 for L = 1 or all-zero weights.
 */
export function balancednessGap(layers: readonly DenseMatrix[]): number {
  checkChain(layers)
  let denom = 0
  for (const w of layers) denom += frobeniusSquared(w)
  if (denom === 0) return 0
  let num = 0
  for (let l = 0; l + 1 < layers.length; l++) {
    const next = layers[l + 1]
    const cur = layers[l]
    const a = matmul(transpose(next), next)
    const b = matmul(cur, transpose(cur))
    let d = 0
    for (let i = 0; i < a.data.length; i++) d += (a.data[i] - b.data[i]) ** 2
    num += Math.sqrt(d)
  }
  return num / denom
}

export interface DeepLinearSummary {
  energy: number
  floor: number
  /** energy − floor ≥ 0 (up to round-off): what balancing alone could still shed. */
  gap: number
  /** gap / energy, 0 when the energy is 0. */
  relativeGap: number
  balancednessGap: number
}

/** Energy, its Schatten floor, their gap and the balancedness gap, for equal λ on every layer. */
export function deepLinearSummary(layers: readonly DenseMatrix[], lambda: number): DeepLinearSummary {
  const energy = structuralEnergy(layers, lambda)
  const floor = schattenFloor(layers, lambda)
  const gap = energy - floor
  return {
    energy,
    floor,
    gap,
    relativeGap: energy === 0 ? 0 : gap / energy,
    balancednessGap: balancednessGap(layers),
  }
}
