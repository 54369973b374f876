import type { FastShape } from '../model-graphs'
import { MAX_GRID } from './gpu-passes'
import { TILE } from './embed-mlp-wgsl'

/**
 * The widest side of each transformer kernel's grid that depends on the shape alone (the model and
 * K), as transformer-kernels.ts and the passes lay them out. Grids that grow with the pairs are
 * spread over two sides (attend, rows, add) or stay far below the limit (GEMMs: N/64 rows of
 * tiles, 4M pairs; split-K: K·N/512), so the shape decides whether a run fits.
 */
export function transformerGridSides(shape: FastShape): Record<string, number> {
  const { members: K, p, d, hidden: H } = shape
  const heads = shape.heads ?? 1
  const T = 2 * p + 1
  const groups = (n: number) => Math.ceil(n / 64)
  return {
    prepare: groups(T * d + 3 * d * d),
    scores: groups(T * heads),
    scoresBack: groups(T * 3 * d),
    embedBack: groups((p + 1) * d + 3 * d + 3 * d * d),
    // Only on train sets split in chunks, but the partial sums are sized for it at every shape.
    splitSum: groups(d * Math.max(p, H, d)),
    tokenSum: K * p,
    // A workgroup per column when summing over many pairs.
    columnSum: Math.max(H, heads + d),
    members: K,
    gemm: Math.ceil(Math.max(T, 3 * d, H, p) / TILE),
  }
}

/** Why `shape` cannot run on WebGPU's grids (a kernel over 65,535 workgroups on one side), or undefined when it can. */
export function transformerGridProblem(shape: FastShape): string | undefined {
  const over = Object.entries(transformerGridSides(shape)).find(([, n]) => n > MAX_GRID)
  if (!over) return undefined
  const [kernel, n] = over
  const runs = shape.members > 1 ? ` × ${shape.members} runs` : ''
  return (
    `transformer-1L of p ${shape.p}, d ${shape.d}, hidden ${shape.hidden}${runs} needs ${n} workgroups on one side for its ${kernel} kernel, over WebGPU's ${MAX_GRID}: ` +
    `use a smaller ${kernel === 'tokenSum' || kernel === 'members' ? 'batch (sweep --batch N) or p' : 'd, p or hidden'}, or train on the CPU (--backend wasm)`
  )
}
