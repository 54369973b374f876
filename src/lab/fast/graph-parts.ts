import { float32, int64, type GraphConstant, type GraphNode } from './onnx-graph'

/** Nodes and the constants they read: a piece of a graph, merged into a GraphSpec by model-graphs.ts. */
export interface GraphPart {
  nodes: GraphNode[]
  constants: GraphConstant[]
}

/** What the graph parts need of the shape: K members. */
interface PartShape {
  members: number
}

/** Node transposing the last two axes of `x` [K, a, b] into `${x}_T` (onnxruntime fuses it into the MatMul that reads it). */
export const transposed = (x: string): GraphNode => ['Transpose', [x], [`${x}_T`], { perm: [0, 2, 1] }]

/** Node slicing `x` along `axis` from `from` to `to` (names of int64 constants) into `out`. */
export const slice = (x: string, from: string, to: string, axis: string, out: string): GraphNode => ['Slice', [x, from, to, axis], [out]]

/**
 * Nodes that sum the rows of `rows` [K·N, width] per token into each `out` [K·p, width], one per
 * segment table, in a fixed order: gather the rows `seg_a` (`seg_b`) lists for each token, padded with
 * index K·N (a zero row appended once), then add them up as a product with a row of ones (a quarter
 * faster than ReduceSum). Not ScatterND's add, whose multi-threaded kernel sums duplicates in a
 * varying order.
 */
export function segmentSums(rows: string, width: number, sums: ['seg_a' | 'seg_b', string][]): GraphPart {
  const zero = `zero_row_${width}`
  return {
    nodes: [
      ['Concat', [rows, zero], [`${rows}_padded`], { axis: 0 }],
      ...sums.flatMap(([seg, out]): GraphNode[] => [
        ['Gather', [`${rows}_padded`, seg], [`${out}_gathered`], { axis: 0 }],
        ['MatMul', ['segment_ones', `${out}_gathered`], [`${out}_3`]],
        ['Reshape', [`${out}_3`, `rows_of_${width}`], [out]],
      ]),
    ],
    constants: [float32(zero, [1, width], new Float32Array(width)), int64(`rows_of_${width}`, [-1, width])],
  }
}

/**
 * `dZ` = `dH` where the ReLU is on (`Z` > 0), else 0: Greater, Cast, Mul. A quarter faster here than
 * Min(H, 1), Ceil, Mul; Where and Sign are slower still.
 */
export function reluGradient(): GraphPart {
  return {
    nodes: [
      ['Greater', ['Z', 'zero_f'], ['relu_on']],
      ['Cast', ['relu_on'], ['relu_on_f'], { to: 1 }],
      ['Mul', ['dH', 'relu_on_f'], ['dZ']],
    ],
    constants: [float32('zero_f', [], [0])],
  }
}

/**
 * `out` [K, 1, width] = the sum over pairs of `x` [K, N, width], as a product with `pair_ones` [K, 1, N]:
 * onnxruntime's ReduceSum over a middle axis runs single-threaded and unvectorized (4.6 ms against
 * 0.16 ms for the product, on the transformer's [1, 3831, 512]).
 */
export const sumOverPairs = (x: string, out: string): GraphNode => ['MatMul', ['pair_ones', x], [out]]

/** `out` = ones of shape [...leading, n], n being axis 1 of `source` at run time: a row to sum by a product. */
function onesRow(out: string, source: string, leading: number[]): GraphPart {
  return {
    nodes: [
      ['Shape', [source], [`${out}_source_shape`]],
      ['Slice', [`${out}_source_shape`, 'axis1', 'axis2'], [`${out}_n`]],
      ['Concat', [`${out}_leading`, `${out}_n`], [`${out}_shape`], { axis: 0 }],
      ['Expand', ['one_scalar', `${out}_shape`], [out]],
    ],
    constants: [int64(`${out}_leading`, leading), int64('axis1', [1]), int64('axis2', [2]), float32('one_scalar', [], [1])],
  }
}

/** `pair_ones` [K, 1, N] for sumOverPairs, N read from `dlogits`. */
export const pairOnes = (s: PartShape): GraphPart => onesRow('pair_ones', 'dlogits', [s.members, 1])

/** `segment_ones` [1, seg] for segmentSums, seg read from `seg_a`. */
export const segmentOnes = (): GraphPart => onesRow('segment_ones', 'seg_a', [1])

const sameConstant = (a: GraphConstant, b: GraphConstant) =>
  a.type === b.type &&
  a.shape.join() === b.shape.join() &&
  Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength))

/**
 * Constants of all lists, each name once. Parts of a graph come from several modules and share
 * names (axes, shapes): a name given two different values would corrupt the graph, so it throws.
 */
export function mergeConstants(...lists: GraphConstant[][]): GraphConstant[] {
  const byName = new Map<string, GraphConstant>()
  for (const c of lists.flat()) {
    const seen = byName.get(c.name)
    if (seen && !sameConstant(seen, c)) throw new Error(`graph constant '${c.name}' is defined twice with different values`)
    byName.set(c.name, c)
  }
  return [...byName.values()]
}
