import { reluGradient, segmentSums, slice, sumOverPairs, transposed as T, type GraphPart } from './graph-parts'
import type { FastShape, ModelGraphs } from './model-graphs'
import { float32, int64, type GraphNode } from './onnx-graph'

const WE = 'embed.W_E'
const POS = 'pos_embed.W_pos'
const WQ = 'blocks.0.attn.W_Q'
const WK = 'blocks.0.attn.W_K'
const WV = 'blocks.0.attn.W_V'
const WO = 'blocks.0.attn.W_O'
const WIN = 'blocks.0.mlp.W_in'
const BIN = 'blocks.0.mlp.b_in'
const WOUT = 'blocks.0.mlp.W_out'
const BOUT = 'blocks.0.mlp.b_out'
const WU = 'unembed.W_U'

/** transformer-1L's tensors (TransformerLens names), in the order the graphs take them. */
export const TRANSFORMER_TENSORS = [WE, POS, WQ, WK, WV, WO, WIN, BIN, WOUT, BOUT, WU] as const

function heads(s: FastShape): { h: number; dh: number } {
  if (!s.heads || s.d % s.heads !== 0) throw new Error(`d (${s.d}) must split into heads (${s.heads})`)
  return { h: s.heads, dh: s.d / s.heads }
}

function memberShapes(s: FastShape): Record<string, number[]> {
  const { h, dh } = heads(s)
  return {
    [WE]: [s.p + 1, s.d],
    [POS]: [3, s.d],
    [WQ]: [h, s.d, dh],
    [WK]: [h, s.d, dh],
    [WV]: [h, s.d, dh],
    [WO]: [h, dh, s.d],
    [WIN]: [s.d, s.hidden],
    [BIN]: [s.hidden],
    [WOUT]: [s.hidden, s.d],
    [BOUT]: [s.d],
    [WU]: [s.d, s.p + 1],
  }
}

/**
 * The forward pass at the "=" position (the only one a one-layer model's loss reads), on per-token
 * tables. Position 0 holds a, position 1 holds b: their keys, values and attention scores are
 * tables over the p tokens ([K, p, …], stacked with position 2's row as X = [X0; X1; x2]), so each
 * pair gathers one row of each; the "=" row's query, key and value are the same for every pair.
 * Then per pair: a softmax over the 3 scores per head, the weighted values, W_O, the ReLU MLP and
 * the unembedding, as createTransformer1L computes them.
 */
function forward(s: FastShape): GraphPart {
  const { h, dh } = heads(s)
  const K = s.members
  const p = s.p
  const headColumns = (w: string, out: string): GraphNode[] => [
    ['Transpose', [w], [`${out}_t`], { perm: [0, 2, 1, 3] }],
    ['Reshape', [`${out}_t`, 'columns'], [out]],
  ]
  /** Rows of a [K, p, h·width] table gathered per pair into [K, N, h, width]. */
  const gather = (table: string, index: 'ia' | 'ib', rows: string, perPair: string, out: string): GraphNode[] => [
    ['Reshape', [table, rows], [`${table}_rows`]],
    ['Gather', [`${table}_rows`, index], [`${out}_rows`], { axis: 0 }],
    ['Reshape', [`${out}_rows`, perPair], [out]],
  ]
  const nodes: GraphNode[] = [
    slice(WE, 'zero', 'p', 'axis1', 'tokens'),
    slice(WE, 'p', 'p1', 'axis1', 'eq'),
    slice(POS, 'zero', 'one', 'axis1', 'pos0'),
    slice(POS, 'one', 'two', 'axis1', 'pos1'),
    slice(POS, 'two', 'three', 'axis1', 'pos2'),
    ['Add', ['tokens', 'pos0'], ['X0']],
    ['Add', ['tokens', 'pos1'], ['X1']],
    ['Add', ['eq', 'pos2'], ['x2']],
    ['Concat', ['X0', 'X1', 'x2'], ['X'], { axis: 1 }],
    ...headColumns(WQ, 'Wq'),
    ...headColumns(WK, 'Wk'),
    ...headColumns(WV, 'Wv'),
    ['MatMul', ['X', 'Wk'], ['Ktab']],
    ['MatMul', ['X', 'Wv'], ['Vtab']],
    ['MatMul', ['x2', 'Wq'], ['q']],
    ['Reshape', ['Ktab', 'table_heads'], ['Ktab4']],
    ['Reshape', ['q', 'one_heads'], ['q4']],
    ['Mul', ['Ktab4', 'q4'], ['kq']],
    ['ReduceSum', ['kq', 'axis3'], ['Sraw'], { keepdims: 0 }],
    ['Mul', ['Sraw', 'scale'], ['Stab']],
    slice('Stab', 'zero', 'p', 'axis1', 'S0'),
    slice('Stab', 'p', 'two_p', 'axis1', 'S1'),
    slice('Stab', 'two_p', 'two_p1', 'axis1', 's2'),
    slice('Vtab', 'zero', 'p', 'axis1', 'V0'),
    slice('Vtab', 'p', 'two_p', 'axis1', 'V1'),
    slice('Vtab', 'two_p', 'two_p1', 'axis1', 'v2'),
    ...gather('S0', 'ia', 'score_rows', 'pair_heads1', 'sc0'),
    ...gather('S1', 'ib', 'score_rows', 'pair_heads1', 'sc1'),
    ['Reshape', ['s2', 'one_heads1'], ['s2_4']],
    ['Shape', ['sc0'], ['sc_shape']],
    ['Expand', ['s2_4', 'sc_shape'], ['sc2']],
    ['Concat', ['sc0', 'sc1', 'sc2'], ['scores'], { axis: 3 }],
    ['Softmax', ['scores'], ['attn'], { axis: 3 }],
    slice('attn', 'zero', 'one', 'axis3', 'a0'),
    slice('attn', 'one', 'two', 'axis3', 'a1'),
    slice('attn', 'two', 'three', 'axis3', 'a2'),
    ...gather('V0', 'ia', 'value_rows', 'pair_heads', 'V0g'),
    ...gather('V1', 'ib', 'value_rows', 'pair_heads', 'V1g'),
    ['Reshape', ['v2', 'one_heads'], ['v2_4']],
    ['Mul', ['a0', 'V0g'], ['z0']],
    ['Mul', ['a1', 'V1g'], ['z1']],
    ['Mul', ['a2', 'v2_4'], ['z2']],
    ['Add', ['z0', 'z1'], ['z01']],
    ['Add', ['z01', 'z2'], ['z4']],
    ['Reshape', ['z4', 'pair_columns'], ['z']],
    ['Reshape', [WO, 'wo_rows'], ['Wo']],
    ['MatMul', ['z', 'Wo'], ['attn_out']],
    ['Add', ['attn_out', 'x2'], ['resid']],
    ['MatMul', ['resid', WIN], ['Z0']],
    ['Unsqueeze', [BIN, 'axis1'], ['b_in3']],
    ['Add', ['Z0', 'b_in3'], ['Z']],
    ['Relu', ['Z'], ['H']],
    ['MatMul', ['H', WOUT], ['mlp0']],
    ['Unsqueeze', [BOUT, 'axis1'], ['b_out3']],
    ['Add', ['mlp0', 'b_out3'], ['mlp']],
    ['Add', ['resid', 'mlp'], ['final']],
    slice(WU, 'zero', 'p', 'axis2', 'WUp'),
    ['MatMul', ['final', 'WUp'], ['logits']],
  ]
  const constants = [
    int64('zero', [0]),
    int64('one', [1]),
    int64('two', [2]),
    int64('three', [3]),
    int64('p', [p]),
    int64('p1', [p + 1]),
    int64('two_p', [2 * p]),
    int64('two_p1', [2 * p + 1]),
    int64('axis1', [1]),
    int64('axis2', [2]),
    int64('axis3', [3]),
    int64('columns', [K, s.d, h * dh]),
    int64('table_heads', [K, 2 * p + 1, h, dh]),
    int64('one_heads', [K, 1, h, dh]),
    int64('one_heads1', [K, 1, h, 1]),
    int64('score_rows', [K * p, h]),
    int64('value_rows', [K * p, h * dh]),
    int64('pair_heads', [K, -1, h, dh]),
    int64('pair_heads1', [K, -1, h, 1]),
    int64('pair_columns', [K, -1, h * dh]),
    int64('wo_rows', [K, h * dh, s.d]),
    float32('scale', [], [1 / Math.sqrt(dh)]),
  ]
  return { nodes, constants }
}

/**
 * Backward from dlogits, in the reverse order of forward(): unembedding, MLP, W_O, the attention
 * softmax and the weighted values per pair; then each pair's gradients on its table rows are summed
 * per token (fixed order), and the tables' gradients flow to W_Q, W_K, W_V, the embedding and the
 * positions. The "=" column of W_U gets no gradient: the logits read only the p answers.
 */
function backward(s: FastShape): GraphPart {
  const relu = reluGradient()
  const { h, dh } = heads(s)
  const K = s.members
  const hd = h * dh
  const headsBack = (cols: string, out: string): GraphNode[] => [
    ['Reshape', [cols, 'd_heads'], [`${cols}_4`]],
    ['Transpose', [`${cols}_4`], [out], { perm: [0, 2, 1, 3] }],
  ]
  // Each pair's gradients on its rows of position 0's (1's) tables: the score per head, then the value.
  const perToken = (i: 0 | 1): GraphNode[] => [
    ['Reshape', [`ds${i}`, 'pair_rows_h'], [`ds${i}_rows`]],
    ['Reshape', [`dV${i}g`, 'pair_rows_hd'], [`dV${i}g_rows`]],
    ['Concat', [`ds${i}_rows`, `dV${i}g_rows`], [`dtab${i}_rows`], { axis: 1 }],
  ]
  const sums0 = segmentSums('dtab0_rows', h + hd, [['seg_a', 'dtab0']])
  const sums1 = segmentSums('dtab1_rows', h + hd, [['seg_b', 'dtab1']])
  const tableGrads = (i: 0 | 1): GraphNode[] => [
    ['Slice', [`dtab${i}`, 'zero', 'h', 'axis1'], [`dS${i}_rows`]],
    ['Slice', [`dtab${i}`, 'h', 'h_hd', 'axis1'], [`dV${i}_rows`]],
    ['Reshape', [`dS${i}_rows`, 'token_h'], [`dS${i}`]],
    ['Reshape', [`dV${i}_rows`, 'token_hd'], [`dV${i}`]],
  ]
  const nodes: GraphNode[] = [
    // Unembedding and MLP.
    T('final'),
    ['MatMul', ['final_T', 'dlogits'], ['dWUp']],
    ['Concat', ['dWUp', 'zero_column'], [`d${WU}`], { axis: 2 }],
    T('WUp'),
    ['MatMul', ['dlogits', 'WUp_T'], ['dfinal']],
    sumOverPairs('dfinal', 'db_out'),
    ['Reshape', ['db_out', 'member_d'], [`d${BOUT}`]],
    T('H'),
    ['MatMul', ['H_T', 'dfinal'], [`d${WOUT}`]],
    T(WOUT),
    ['MatMul', ['dfinal', `${WOUT}_T`], ['dH']],
    ...relu.nodes,
    sumOverPairs('dZ', 'db_in'),
    ['Reshape', ['db_in', 'member_hidden'], [`d${BIN}`]],
    T('resid'),
    ['MatMul', ['resid_T', 'dZ'], [`d${WIN}`]],
    T(WIN),
    ['MatMul', ['dZ', `${WIN}_T`], ['dresid_mlp']],
    ['Add', ['dfinal', 'dresid_mlp'], ['dresid']],
    // W_O, and the residual stream's start (the "=" row, the same for every pair).
    T('z'),
    ['MatMul', ['z_T', 'dresid'], ['dWo']],
    ['Reshape', ['dWo', 'wo_heads'], [`d${WO}`]],
    T('Wo'),
    ['MatMul', ['dresid', 'Wo_T'], ['dz_attn']],
    sumOverPairs('dresid', 'dx2_resid'),
    // Weighted values and the softmax over the 3 positions.
    ['Reshape', ['dz_attn', 'pair_heads'], ['dz4']],
    ['Mul', ['dz4', 'a0'], ['dV0g']],
    ['Mul', ['dz4', 'a1'], ['dV1g']],
    ['Mul', ['dz4', 'a2'], ['dv2g']],
    ['Reshape', ['dv2g', 'pair_columns'], ['dv2g_columns']],
    sumOverPairs('dv2g_columns', 'dv2'),
    ['Mul', ['dz4', 'V0g'], ['dzv0']],
    ['Mul', ['dz4', 'V1g'], ['dzv1']],
    ['Mul', ['dz4', 'v2_4'], ['dzv2']],
    ['ReduceSum', ['dzv0', 'axis3'], ['da0'], { keepdims: 1 }],
    ['ReduceSum', ['dzv1', 'axis3'], ['da1'], { keepdims: 1 }],
    ['ReduceSum', ['dzv2', 'axis3'], ['da2'], { keepdims: 1 }],
    ['Concat', ['da0', 'da1', 'da2'], ['dattn'], { axis: 3 }],
    ['Mul', ['attn', 'dattn'], ['attn_dattn']],
    ['ReduceSum', ['attn_dattn', 'axis3'], ['attn_dattn_sum'], { keepdims: 1 }],
    ['Sub', ['dattn', 'attn_dattn_sum'], ['dattn_centred']],
    ['Mul', ['attn', 'dattn_centred'], ['dscores']],
    slice('dscores', 'zero', 'one', 'axis3', 'ds0'),
    slice('dscores', 'one', 'two', 'axis3', 'ds1'),
    slice('dscores', 'two', 'three', 'axis3', 'ds2'),
    // Per-token sums into the tables of positions 0 and 1; position 2's row sums over every pair.
    ...perToken(0),
    ...perToken(1),
    ...sums0.nodes,
    ...sums1.nodes,
    ...tableGrads(0),
    ...tableGrads(1),
    ['Reshape', ['ds2', 'pair_h'], ['ds2_columns']],
    sumOverPairs('ds2_columns', 'ds2_3'),
    ['Concat', ['dS0', 'dS1', 'ds2_3'], ['dStab'], { axis: 1 }],
    ['Concat', ['dV0', 'dV1', 'dv2'], ['dVtab'], { axis: 1 }],
    // Scores = scale · Σ_j K·q per head.
    ['Mul', ['dStab', 'scale'], ['dStab_scaled']],
    ['Unsqueeze', ['dStab_scaled', 'axis3'], ['dStab4']],
    ['Mul', ['dStab4', 'q4'], ['dKtab4']],
    ['Reshape', ['dKtab4', 'table_columns'], ['dKtab']],
    ['Mul', ['dStab4', 'Ktab4'], ['dq_rows']],
    ['ReduceSum', ['dq_rows', 'axis1'], ['dq4'], { keepdims: 1 }],
    ['Reshape', ['dq4', 'one_hd'], ['dq']],
    // The tables' projections.
    T('X'),
    ['MatMul', ['X_T', 'dKtab'], ['dWk']],
    ['MatMul', ['X_T', 'dVtab'], ['dWv']],
    T('x2'),
    ['MatMul', ['x2_T', 'dq'], ['dWq']],
    ...headsBack('dWq', `d${WQ}`),
    ...headsBack('dWk', `d${WK}`),
    ...headsBack('dWv', `d${WV}`),
    T('Wk'),
    T('Wv'),
    T('Wq'),
    ['MatMul', ['dKtab', 'Wk_T'], ['dXk']],
    ['MatMul', ['dVtab', 'Wv_T'], ['dXv']],
    ['Add', ['dXk', 'dXv'], ['dX']],
    ['MatMul', ['dq', 'Wq_T'], ['dx2_q']],
    slice('dX', 'zero', 'p', 'axis1', 'dX0'),
    slice('dX', 'p', 'two_p', 'axis1', 'dX1'),
    slice('dX', 'two_p', 'two_p1', 'axis1', 'dx2_tables'),
    ['Add', ['dx2_tables', 'dx2_q'], ['dx2_tables_q']],
    ['Add', ['dx2_tables_q', 'dx2_resid'], ['dx2']],
    // Embedding and positions: X0 = tokens + pos0, X1 = tokens + pos1, x2 = "=" + pos2.
    ['Add', ['dX0', 'dX1'], ['dtokens']],
    ['Concat', ['dtokens', 'dx2'], [`d${WE}`], { axis: 1 }],
    ['ReduceSum', ['dX0', 'axis1'], ['dpos0'], { keepdims: 1 }],
    ['ReduceSum', ['dX1', 'axis1'], ['dpos1'], { keepdims: 1 }],
    ['Concat', ['dpos0', 'dpos1', 'dx2'], [`d${POS}`], { axis: 1 }],
  ]
  const constants = [
    ...sums0.constants,
    ...sums1.constants,
    int64('h', [h]),
    int64('h_hd', [h + hd]),
    int64('d_heads', [K, s.d, h, dh]),
    int64('wo_heads', [K, h, dh, s.d]),
    int64('pair_rows_h', [-1, h]),
    int64('pair_rows_hd', [-1, hd]),
    int64('token_h', [K, s.p, h]),
    int64('token_hd', [K, s.p, hd]),
    int64('pair_h', [K, -1, h]),
    int64('member_d', [K, s.d]),
    int64('member_hidden', [K, s.hidden]),
    int64('one_hd', [K, 1, hd]),
    int64('table_columns', [K, 2 * s.p + 1, hd]),
    ...relu.constants,
    float32('zero_column', [K, s.d, 1], new Float32Array(K * s.d)),
  ]
  return { nodes, constants }
}

/** transformer-1L for the onnxruntime fast path. */
export const TRANSFORMER_GRAPHS: ModelGraphs = { tensors: TRANSFORMER_TENSORS, memberShapes, forward, backward }
