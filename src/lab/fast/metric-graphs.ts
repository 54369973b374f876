import { int64, type GraphConstant, type GraphNode, type GraphValue } from './onnx-graph'

interface MetricPart {
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
export function metricNodes(s: { members: number; p: number; hidden: number }, opts: { withLoss: boolean; train: boolean }): MetricPart {
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
