import { metricNodes } from './metric-graphs'
import { mergeConstants, pairOnes, segmentOnes, type GraphPart } from './graph-parts'
import { int64, type GraphNode, type GraphSpec, type GraphValue } from './onnx-graph'

/** Sizes of K models of one kind trained side by side (K = 1 for a single run); `heads` for the transformer. */
export interface FastShape {
  p: number
  d: number
  hidden: number
  members: number
  heads?: number
}

/**
 * A model the onnxruntime fast path trains. Its forward pass reads the standard inputs (each tensor
 * with a leading member axis K; `ia`/`ib`, the rows of the per-token tables stacked as [K·p, …], where
 * member k's token t is row k·p + t) and yields `logits` [K, N, p] and its ReLU layer's pre-activations
 * `Z` [K, N, hidden]. Its backward pass goes from `dlogits` to `d<tensor>` for every tensor, and may
 * use every forward value, the segment tables `seg_a`/`seg_b` (see segmentSums in graph-parts.ts)
 * and `pair_ones` (see sumOverPairs).
 */
export interface ModelGraphs {
  tensors: readonly string[]
  memberShapes(s: FastShape): Record<string, number[]>
  forward(s: FastShape): GraphPart
  backward(s: FastShape): GraphPart
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
    constants: mergeConstants(fwd.constants),
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
