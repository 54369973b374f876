import type { GraphConstant, GraphNode, GraphSpec, GraphValue } from './onnx-graph'

/** Sizes of K embed-MLPs trained side by side (K = 1 for a single run). */
export interface EmbedMlpShape {
  p: number
  d: number
  hidden: number
  members: number
}

/** The tensors in the order the graphs take them, each with a leading member axis K. */
export const EMBED_MLP_TENSORS = ['E', 'W_in', 'b_in', 'W_out', 'b_out'] as const

export function memberShapes(s: EmbedMlpShape): Record<(typeof EMBED_MLP_TENSORS)[number], number[]> {
  return { E: [s.p, s.d], W_in: [2 * s.d, s.hidden], b_in: [s.hidden], W_out: [s.hidden, s.p], b_out: [s.p] }
}

const int64 = (name: string, values: number[]): GraphConstant => ({
  name,
  type: 'int64',
  shape: [values.length],
  data: BigInt64Array.from(values.map(BigInt)),
})

function paramInputs(s: EmbedMlpShape): GraphValue[] {
  const shapes = memberShapes(s)
  return EMBED_MLP_TENSORS.map((name) => ({ name, type: 'float32', shape: [s.members, ...shapes[name]] }))
}

/**
 * The forward pass on per-token tables: E·W_in splits into an a-half and a b-half, each a [p, hidden]
 * table per member, and every example gathers one row of each. `ia`/`ib` index the tables of all
 * members stacked as [K·p, hidden] (member k's token t is row k·p + t), so one Gather serves all K.
 */
function forwardNodes(s: EmbedMlpShape): { nodes: GraphNode[]; constants: GraphConstant[] } {
  const constants = [
    int64('zero', [0]),
    int64('d', [s.d]),
    int64('two_d', [2 * s.d]),
    int64('axis1', [1]),
    int64('table_rows', [s.members * s.p, s.hidden]),
    int64('by_member', [s.members, -1, s.hidden]),
  ]
  const nodes: GraphNode[] = [
    ['Slice', ['W_in', 'zero', 'd', 'axis1'], ['W1a']],
    ['Slice', ['W_in', 'd', 'two_d', 'axis1'], ['W1b']],
    ['MatMul', ['E', 'W1a'], ['Pa0']],
    ['Unsqueeze', ['b_in', 'axis1'], ['b_in3']],
    ['Add', ['Pa0', 'b_in3'], ['Pa']],
    ['MatMul', ['E', 'W1b'], ['Pb']],
    ['Reshape', ['Pa', 'table_rows'], ['Pa_rows']],
    ['Reshape', ['Pb', 'table_rows'], ['Pb_rows']],
    ['Gather', ['Pa_rows', 'ia'], ['Ha'], { axis: 0 }],
    ['Gather', ['Pb_rows', 'ib'], ['Hb'], { axis: 0 }],
    ['Add', ['Ha', 'Hb'], ['Z_rows']],
    ['Reshape', ['Z_rows', 'by_member'], ['Z']],
    ['Relu', ['Z'], ['H']],
    ['MatMul', ['H', 'W_out'], ['logits0']],
    ['Unsqueeze', ['b_out', 'axis1'], ['b_out3']],
    ['Add', ['logits0', 'b_out3'], ['logits']],
  ]
  return { nodes, constants }
}

const indexInputs: GraphValue[] = [
  { name: 'ia', type: 'int64', shape: ['rows'] },
  { name: 'ib', type: 'int64', shape: ['rows'] },
]

/**
 * One training step's loss and gradients for K members, written out by hand (no autodiff): mean
 * cross-entropy against `target` (one-hot / N), backward through the head, the ReLU and the per-token
 * tables, whose gradients sum the hidden layer's gradient over the rows of each token (in a fixed order).
 */
export function embedMlpStepGraph(s: EmbedMlpShape): GraphSpec {
  const fwd = forwardNodes(s)
  const T = (x: string) => ['Transpose', [x], [`${x}_T`], { perm: [0, 2, 1] }] as GraphNode
  const nodes: GraphNode[] = [
    ...fwd.nodes,
    ['LogSoftmax', ['logits'], ['logp'], { axis: 2 }],
    ['Mul', ['target', 'logp'], ['tl']],
    ['ReduceSum', ['tl', 'axes12'], ['neg_loss'], { keepdims: 0 }],
    ['Neg', ['neg_loss'], ['loss']],
    ['Exp', ['logp'], ['softmax']],
    ['Mul', ['softmax', 'inv_n'], ['softmax_n']],
    ['Sub', ['softmax_n', 'target'], ['dlogits']],
    T('H'),
    ['MatMul', ['H_T', 'dlogits'], ['dW_out']],
    ['ReduceSum', ['dlogits', 'axis1'], ['db_out'], { keepdims: 0 }],
    T('W_out'),
    ['MatMul', ['dlogits', 'W_out_T'], ['dH']],
    // The ReLU passes the gradient where the unit is on (onnxruntime's Sign is slow; Where is not).
    ['Min', ['H', 'one_f'], ['H_capped']],
    ['Ceil', ['H_capped'], ['on_f']],
    ['Mul', ['dH', 'on_f'], ['dZ']],
    ['Reshape', ['dZ', 'hidden_rows'], ['dZ_rows']],
    // The tables' gradients sum the hidden gradients of the rows that use each token. A fixed-order
    // sum per token (gather the rows listed in seg_a / seg_b, padded with a zero row, then reduce)
    // rather than ScatterND's add, whose multi-threaded kernel sums duplicates in a varying order.
    ['Concat', ['dZ_rows', 'zero_row'], ['dZ_padded'], { axis: 0 }],
    ['Gather', ['dZ_padded', 'seg_a'], ['dZa_rows'], { axis: 0 }],
    ['Gather', ['dZ_padded', 'seg_b'], ['dZb_rows'], { axis: 0 }],
    ['ReduceSum', ['dZa_rows', 'axis1'], ['dPa_rows'], { keepdims: 0 }],
    ['ReduceSum', ['dZb_rows', 'axis1'], ['dPb_rows'], { keepdims: 0 }],
    ['Reshape', ['dPa_rows', 'tables'], ['dPa']],
    ['Reshape', ['dPb_rows', 'tables'], ['dPb']],
    ['ReduceSum', ['dPa', 'axis1'], ['db_in'], { keepdims: 0 }],
    T('E'),
    ['MatMul', ['E_T', 'dPa'], ['dW1a']],
    ['MatMul', ['E_T', 'dPb'], ['dW1b']],
    ['Concat', ['dW1a', 'dW1b'], ['dW_in'], { axis: 1 }],
    T('W1a'),
    T('W1b'),
    ['MatMul', ['dPa', 'W1a_T'], ['dEa']],
    ['MatMul', ['dPb', 'W1b_T'], ['dEb']],
    ['Add', ['dEa', 'dEb'], ['dE']],
  ]
  const shapes = memberShapes(s)
  return {
    inputs: [
      ...paramInputs(s),
      ...indexInputs,
      { name: 'target', type: 'float32', shape: [s.members, 'n', s.p] },
      { name: 'inv_n', type: 'float32', shape: [] },
      { name: 'seg_a', type: 'int64', shape: [s.members * s.p, 'seg'] },
      { name: 'seg_b', type: 'int64', shape: [s.members * s.p, 'seg'] },
    ],
    outputs: [
      { name: 'loss', type: 'float32', shape: [s.members] },
      ...EMBED_MLP_TENSORS.map((t): GraphValue => ({ name: `d${t}`, type: 'float32', shape: [s.members, ...shapes[t]] })),
    ],
    nodes,
    constants: [
      ...fwd.constants,
      int64('axes12', [1, 2]),
      int64('hidden_rows', [-1, s.hidden]),
      { name: 'one_f', type: 'float32', shape: [], data: Float32Array.of(1) },
      int64('tables', [s.members, s.p, s.hidden]),
      { name: 'zero_row', type: 'float32', shape: [1, s.hidden], data: new Float32Array(s.hidden) },
    ],
  }
}

/** Logits [K, N, p] of K members on a set of pairs. */
export function embedMlpForwardGraph(s: EmbedMlpShape): GraphSpec {
  const fwd = forwardNodes(s)
  return {
    inputs: [...paramInputs(s), ...indexInputs],
    outputs: [{ name: 'logits', type: 'float32', shape: [s.members, 'n', s.p] }],
    nodes: fwd.nodes,
    constants: fwd.constants,
  }
}

interface GraphPart {
  nodes: GraphNode[]
  inputs: GraphValue[]
  outputs: GraphValue[]
  constants: GraphConstant[]
}

/**
 * Measurements from `logits`, `logp` and `Z` against `labels`: accuracy, and the mean cross-entropy
 * when `withLoss`; with `train` also the minimum margin (correct logit − best other), the ReLU pattern
 * (kept by the caller for the next churn), its share of active units and the churn against
 * `previous_active`.
 */
function metricNodes(s: EmbedMlpShape, opts: { withLoss: boolean; train: boolean }): GraphPart {
  const nodes: GraphNode[] = [
    ['Unsqueeze', ['labels', 'axis2'], ['labels3']],
    ['ArgMax', ['logits'], ['predicted'], { axis: 2, keepdims: 0 }],
    ['Equal', ['predicted', 'labels'], ['hit']],
    ['Cast', ['hit'], ['hit_f'], { to: 1 }],
    ['ReduceMean', ['hit_f', 'axis1'], ['acc'], { keepdims: 0 }],
  ]
  const outputs: GraphValue[] = [{ name: 'acc', type: 'float32', shape: [s.members] }]
  const inputs: GraphValue[] = [{ name: 'labels', type: 'int64', shape: [s.members, 'n'] }]
  const constants: GraphConstant[] = [int64('axis2', [2]), int64('axes12', [1, 2])]
  if (opts.withLoss) {
    nodes.push(
      ['GatherElements', ['logp', 'labels3'], ['label_logp'], { axis: 2 }],
      ['ReduceMean', ['label_logp', 'axes12'], ['mean_logp'], { keepdims: 0 }],
      ['Neg', ['mean_logp'], ['loss']],
    )
    outputs.unshift({ name: 'loss', type: 'float32', shape: [s.members] })
  }
  if (opts.train) {
    inputs.push({ name: 'previous_active', type: 'bool', shape: [s.members, 'n', s.hidden] })
    nodes.push(
      ['GatherElements', ['logits', 'labels3'], ['correct'], { axis: 2 }],
      // The correct class pushed far down, so the row max is the best other logit.
      ['OneHot', ['labels', 'depth', 'off_on'], ['pushed'], { axis: -1 }],
      ['Sub', ['logits', 'pushed'], ['others']],
      ['ReduceMax', ['others', 'axis2'], ['best_other'], { keepdims: 1 }],
      ['Sub', ['correct', 'best_other'], ['margins']],
      ['ReduceMin', ['margins', 'axes12'], ['min_margin'], { keepdims: 0 }],
      ['Greater', ['Z', 'zero_f'], ['active']],
      ['Cast', ['active'], ['active_f'], { to: 1 }],
      ['ReduceMean', ['active_f', 'axes12'], ['relu_active'], { keepdims: 0 }],
      ['Xor', ['active', 'previous_active'], ['flipped']],
      ['Cast', ['flipped'], ['flipped_f'], { to: 1 }],
      ['ReduceMean', ['flipped_f', 'axes12'], ['relu_churn'], { keepdims: 0 }],
    )
    outputs.push(
      { name: 'min_margin', type: 'float32', shape: [s.members] },
      { name: 'relu_active', type: 'float32', shape: [s.members] },
      { name: 'relu_churn', type: 'float32', shape: [s.members] },
      { name: 'active', type: 'bool', shape: [s.members, 'n', s.hidden] },
    )
    constants.push(
      int64('depth', [s.p]),
      { name: 'off_on', type: 'float32', shape: [2], data: Float32Array.of(0, 1e30) },
      { name: 'zero_f', type: 'float32', shape: [], data: Float32Array.of(0) },
    )
  }
  return { nodes, inputs, outputs, constants }
}

/** Constants of both lists, each name once. */
function mergeConstants(...lists: GraphConstant[][]): GraphConstant[] {
  const byName = new Map<string, GraphConstant>()
  for (const c of lists.flat()) byName.set(c.name, c)
  return [...byName.values()]
}

/**
 * A training step that also measures the train set at the same weights (the evaluation steps of a
 * full-batch run): the step's forward pass serves both.
 */
export function embedMlpStepMetricsGraph(s: EmbedMlpShape): GraphSpec {
  const step = embedMlpStepGraph(s)
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
export function embedMlpMetricsGraph(s: EmbedMlpShape, train: boolean): GraphSpec {
  const fwd = forwardNodes(s)
  const m = metricNodes(s, { withLoss: true, train })
  return {
    inputs: [...paramInputs(s), ...indexInputs, ...m.inputs],
    outputs: m.outputs,
    nodes: [...fwd.nodes, ['LogSoftmax', ['logits'], ['logp'], { axis: 2 }], ...m.nodes],
    constants: mergeConstants(fwd.constants, m.constants),
  }
}
