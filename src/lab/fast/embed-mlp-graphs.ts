import { int64, type GraphNode } from './onnx-graph'
import { reluGradient, segmentSums, sumOverPairs, transposed as T, type GraphPart } from './graph-parts'
import type { FastShape, ModelGraphs } from './model-graphs'

/** The tensors in the order the graphs take them, each with a leading member axis K. */
export const EMBED_MLP_TENSORS = ['E', 'W_in', 'b_in', 'W_out', 'b_out'] as const

/** One member's tensor shapes (without the member axis). */
export function memberShapes(s: FastShape): Record<(typeof EMBED_MLP_TENSORS)[number], number[]> {
  return { E: [s.p, s.d], W_in: [2 * s.d, s.hidden], b_in: [s.hidden], W_out: [s.hidden, s.p], b_out: [s.p] }
}

/**
 * The forward pass on per-token tables: E·W_in splits into an a-half and a b-half, each a [p, hidden]
 * table per member, and every example gathers one row of each. `ia`/`ib` index the tables of all
 * members stacked as [K·p, hidden] (member k's token t is row k·p + t), so one Gather serves all K.
 */
function forward(s: FastShape): GraphPart {
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

/**
 * Backward through the head, the ReLU and the per-token tables, whose gradients sum the hidden
 * layer's gradient over the rows of each token.
 */
function backward(s: FastShape): GraphPart {
  const relu = reluGradient()
  const perToken = segmentSums('dZ_rows', s.hidden, [
    ['seg_a', 'dPa_rows'],
    ['seg_b', 'dPb_rows'],
  ])
  const nodes: GraphNode[] = [
    T('H'),
    ['MatMul', ['H_T', 'dlogits'], ['dW_out']],
    sumOverPairs('dlogits', 'db_out3'),
    ['Reshape', ['db_out3', 'member_p'], ['db_out']],
    T('W_out'),
    ['MatMul', ['dlogits', 'W_out_T'], ['dH']],
    ...relu.nodes,
    ['Reshape', ['dZ', 'hidden_rows'], ['dZ_rows']],
    ...perToken.nodes,
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
  return {
    nodes,
    constants: [
      ...perToken.constants,
      int64('hidden_rows', [-1, s.hidden]),
      ...relu.constants,
      int64('tables', [s.members, s.p, s.hidden]),
      int64('member_p', [s.members, s.p]),
    ],
  }
}

/** The embed-MLP for the onnxruntime fast path. */
export const EMBED_MLP_GRAPHS: ModelGraphs = { tensors: EMBED_MLP_TENSORS, memberShapes, forward, backward }
