import type { FastShape } from '../model-graphs'
import type { FeedRows } from './gpu-memory'
import { MAX_GRID } from './gpu-passes'
import { TILE } from './embed-mlp-wgsl'

/** Pairs per chunk of a weight gradient's sum over pairs (split-K), on long train sets. */
export const SPLIT_CHUNK = 512

/**
 * The widest side of each transformer kernel's grid, as transformer-kernels.ts and the passes lay
 * them out. Grids over the pairs are spread over two sides (attend, rows, add) or capped (relu),
 * but two grow with them on one side: the GEMMs' rows of 64-pair tiles, over the longest set, and
 * the split-K GEMMs' chunks × runs, over a step's pairs. `rows` gives the pairs per member (a
 * step's: the minibatch, else the train set); without it those two are left out, and the chunks'
 * sum (splitSum) is counted as if the train set were split.
 */
export function transformerGridSides(shape: FastShape, rows?: FeedRows, chunk = SPLIT_CHUNK): Record<string, number> {
  const { members: K, p, d, hidden: H } = shape
  const heads = shape.heads ?? 1
  const T = 2 * p + 1
  const groups = (n: number) => Math.ceil(n / 64)
  const stepRows = rows ? (rows.batch ?? rows.train) : undefined
  const splits = stepRows === undefined ? 2 : Math.ceil(stepRows / chunk)
  const sides: Record<string, number> = {
    prepare: groups(T * d + 3 * d * d),
    scores: groups(T * heads),
    scoresBack: groups(T * 3 * d),
    embedBack: groups((p + 1) * d + 3 * d + 3 * d * d),
    tokenSum: K * p,
    // A workgroup per column when summing over many pairs.
    columnSum: Math.max(H, heads + d),
    members: K,
    gemm: Math.ceil(Math.max(T, 3 * d, H, p) / TILE),
  }
  // Only a step on a set longer than one chunk sums partial products.
  if (splits > 1) sides.splitSum = groups(d * Math.max(p, H, d))
  if (!rows) return sides
  sides.gemmRows = Math.ceil(Math.max(rows.train, rows.test, stepRows!) / TILE)
  if (splits > 1) sides.splitGemm = K * splits
  return sides
}

/** What to change for each kernel over the limit. */
function remedy(kernel: string): string {
  if (kernel === 'tokenSum' || kernel === 'members') return 'a smaller batch (sweep --batch N) or p'
  if (kernel === 'gemmRows') return 'fewer pairs (a smaller p or frac)'
  if (kernel === 'splitGemm') return 'a smaller batch (sweep --batch N), a batch_size, or fewer pairs'
  return 'a smaller d, p or hidden'
}

/**
 * Why `shape` cannot run on WebGPU's grids (a kernel over 65,535 workgroups on one side), or
 * undefined when it can; with `rows` (pairs per member, feed-rows.ts) the grids that
 * grow with the pairs too.
 */
export function transformerGridProblem(shape: FastShape, rows?: FeedRows, chunk = SPLIT_CHUNK): string | undefined {
  const over = Object.entries(transformerGridSides(shape, rows, chunk)).find(([, n]) => n > MAX_GRID)
  if (!over) return undefined
  const [kernel, n] = over
  const runs = shape.members > 1 ? ` × ${shape.members} runs` : ''
  const pairs =
    rows && (kernel === 'gemmRows' || kernel === 'splitGemm')
      ? ` on ${rows.train} train and ${rows.test} test pairs${rows.batch !== undefined ? `, minibatches of ${rows.batch}` : ''}`
      : ''
  return (
    `transformer-1L of p ${shape.p}, d ${shape.d}, hidden ${shape.hidden}${runs}${pairs} needs ${n} workgroups on one side for its ${kernel} kernel, over WebGPU's ${MAX_GRID}: ` +
    `use ${remedy(kernel)}, or train on the CPU (--backend wasm)`
  )
}
