import { metricNodes, mergeConstants } from './metric-graphs'
import { float32, int64, type GraphConstant, type GraphNode, type GraphSpec, type GraphValue } from './onnx-graph'

/** Sizes of K models of one kind trained side by side (K = 1 for a single run); `heads` for the transformer. */
export interface FastShape {
  p: number
  d: number
  hidden: number
  members: number
  heads?: number
}

export interface GraphPart {
  nodes: GraphNode[]
  constants: GraphConstant[]
}

/**
 * A model the onnxruntime fast path trains. Its forward pass reads the standard inputs (each tensor
 * with a leading member axis K; `ia`/`ib`, the rows of the per-token tables stacked as [K·p, …], where
 * member k's token t is row k·p + t) and yields `logits` [K, N, p] and its ReLU layer's pre-activations
 * `Z` [K, N, hidden]. Its backward pass goes from `dlogits` to `d<tensor>` for every tensor, and may
 * use every forward value, the segment tables `seg_a`/`seg_b` (see segmentSums) and `pair_ones`
 * (see sumOverPairs).
 */
export interface ModelGraphs {
  tensors: readonly string[]
  memberShapes(s: FastShape): Record<string, number[]>
  forward(s: FastShape): GraphPart
  backward(s: FastShape): GraphPart
}

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

/** `segment_ones` [1, seg] for segmentSums, seg read from `seg_a` at run time. */
function segmentOnes(): GraphPart {
  return {
    nodes: [
      ['Shape', ['seg_a'], ['seg_shape']],
      ['Slice', ['seg_shape', 'axis1', 'axis2'], ['seg_width']],
      ['Concat', ['one_row', 'seg_width'], ['segment_ones_shape'], { axis: 0 }],
      ['Expand', ['one_scalar', 'segment_ones_shape'], ['segment_ones']],
    ],
    constants: [int64('one_row', [1]), int64('axis1', [1]), int64('axis2', [2]), float32('one_scalar', [], [1])],
  }
}

/**
 * `out` [K, 1, width] = the sum over pairs of `x` [K, N, width], as a product with `pair_ones` [K, 1, N]:
 * onnxruntime's ReduceSum over a middle axis runs single-threaded and unvectorized (4.6 ms against
 * 0.16 ms for the product, on the transformer's [1, 3830, 512]).
 */
export const sumOverPairs = (x: string, out: string): GraphNode => ['MatMul', ['pair_ones', x], [out]]

/** `pair_ones` [K, 1, N] for sumOverPairs, N read from `dlogits` at run time. */
function pairOnes(s: FastShape): GraphPart {
  return {
    nodes: [
      ['Shape', ['dlogits'], ['dlogits_shape']],
      ['Slice', ['dlogits_shape', 'axis1', 'axis2'], ['pair_count']],
      ['Concat', ['member_one', 'pair_count'], ['pair_ones_shape'], { axis: 0 }],
      ['Expand', ['one_scalar', 'pair_ones_shape'], ['pair_ones']],
    ],
    constants: [int64('member_one', [s.members, 1]), int64('axis1', [1]), int64('axis2', [2]), float32('one_scalar', [], [1])],
  }
}

/** The model's tensors as graph inputs, each with its leading member axis. */
function paramInputs(g: ModelGraphs, s: FastShape): GraphValue[] {
  const shapes = g.memberShapes(s)
  return g.tensors.map((name) => ({ name, type: 'float32', shape: [s.members, ...shapes[name]] }))
}

const indexInputs: GraphValue[] = [
  { name: 'ia', type: 'int64', shape: ['rows'] },
  { name: 'ib', type: 'int64', shape: ['rows'] },
]

/**
 * One training step's loss and gradients for K members, written out by hand (no autodiff): mean
 * cross-entropy against `target` (one-hot / N); dlogits = softmax / N − target, then the model's backward.
 */
export function stepGraph(g: ModelGraphs, s: FastShape): GraphSpec {
  const fwd = g.forward(s)
  const bwd = g.backward(s)
  const ones = pairOnes(s)
  const segOnes = segmentOnes()
  const shapes = g.memberShapes(s)
  const lossNodes: GraphNode[] = [
    ['LogSoftmax', ['logits'], ['logp'], { axis: 2 }],
    ['Mul', ['target', 'logp'], ['tl']],
    ['ReduceSum', ['tl', 'axes12'], ['neg_loss'], { keepdims: 0 }],
    ['Neg', ['neg_loss'], ['loss']],
    ['Exp', ['logp'], ['softmax']],
    ['Mul', ['softmax', 'inv_n'], ['softmax_n']],
    ['Sub', ['softmax_n', 'target'], ['dlogits']],
  ]
  return {
    inputs: [
      ...paramInputs(g, s),
      ...indexInputs,
      { name: 'target', type: 'float32', shape: [s.members, 'n', s.p] },
      { name: 'inv_n', type: 'float32', shape: [] },
      { name: 'seg_a', type: 'int64', shape: [s.members * s.p, 'seg'] },
      { name: 'seg_b', type: 'int64', shape: [s.members * s.p, 'seg'] },
    ],
    outputs: [
      { name: 'loss', type: 'float32', shape: [s.members] },
      ...g.tensors.map((t): GraphValue => ({ name: `d${t}`, type: 'float32', shape: [s.members, ...shapes[t]] })),
    ],
    nodes: [...fwd.nodes, ...lossNodes, ...ones.nodes, ...segOnes.nodes, ...bwd.nodes],
    constants: mergeConstants(fwd.constants, [int64('axes12', [1, 2])], ones.constants, segOnes.constants, bwd.constants),
  }
}

/** Logits [K, N, p] of K members on a set of pairs. */
export function forwardGraph(g: ModelGraphs, s: FastShape): GraphSpec {
  const fwd = g.forward(s)
  return {
    inputs: [...paramInputs(g, s), ...indexInputs],
    outputs: [{ name: 'logits', type: 'float32', shape: [s.members, 'n', s.p] }],
    nodes: fwd.nodes,
    constants: fwd.constants,
  }
}

/**
 * A training step that also measures the train set at the same weights (the evaluation steps of a
 * full-batch run): the step's forward pass serves both.
 */
export function stepMetricsGraph(g: ModelGraphs, s: FastShape): GraphSpec {
  const step = stepGraph(g, s)
  const m = metricNodes(s, { withLoss: false, train: true })
  return {
    inputs: [...step.inputs, ...m.inputs],
    outputs: [...step.outputs, ...m.outputs],
    nodes: [...step.nodes, ...m.nodes],
    constants: mergeConstants(step.constants ?? [], m.constants),
  }
}

/**
 * An evaluation of K members on a set of pairs, reduced in the graph so only numbers come back:
 * mean cross-entropy and accuracy against `labels`, and on the train set (`train`) the margin, ReLU
 * share and churn of metricNodes.
 */
export function metricsGraph(g: ModelGraphs, s: FastShape, train: boolean): GraphSpec {
  const fwd = g.forward(s)
  const m = metricNodes(s, { withLoss: true, train })
  return {
    inputs: [...paramInputs(g, s), ...indexInputs, ...m.inputs],
    outputs: m.outputs,
    nodes: [...fwd.nodes, ['LogSoftmax', ['logits'], ['logp'], { axis: 2 }], ...m.nodes],
    constants: mergeConstants(fwd.constants, m.constants),
  }
}
