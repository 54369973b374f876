// WGSL kernels of the transformer-1L's forward pass on WebGPU (the GEMMs, the cross-entropy and the
// per-member reduction are the embed-MLP's, in embed-mlp-wgsl.ts). As in transformer-graphs.ts,
// only the "=" position is computed: the rows of positions 0 and 1 are tables over the p tokens,
// stacked with the "=" row as T = 2p + 1 rows per member [X0; X1; x2]. Every sum runs in a fixed
// order (no atomics), so a run repeats itself bit for bit.

import { STAT } from './embed-mlp-wgsl'

/** The uniform block of the transformer's own kernels (24 u32): sizes, the packed tensors' offsets and per-member sizes, and per-kernel extras. */
export const TF_FIELDS = [
  'K',
  'N',
  'p',
  'd',
  'heads',
  'dh',
  'hidden',
  'flags',
  'oWE',
  'oPOS',
  'oWQ',
  'oWK',
  'oWV',
  'sWE',
  'sPOS',
  'sW',
  'seg',
  'segOff',
  'rowOff',
  'srcOff',
  /** 1/√d_head as f32 bits, so the kernels scale by exactly the float the graphs use. */
  'scale',
  'pad0',
  'pad1',
  'pad2',
] as const
export type TfParams = Record<(typeof TF_FIELDS)[number], number>
export const TF_STRUCT = `struct TF { ${TF_FIELDS.map((f) => `${f}: u32`).join(', ')} }`

/**
 * X [K, T, d]: tokens + pos0, tokens + pos1, "=" + pos2; and the heads' projections side by side
 * as columns Wc [K, d, 3d] = [W_Q | W_K | W_V] (column h·d_head + j of a block is head h's j), so
 * one GEMM X·Wc gives every row's query, key and value. Thread gid.x of member gid.y.
 */
export const PREPARE = /* wgsl */ `
${TF_STRUCT}
@group(0) @binding(0) var<uniform> t: TF;
@group(0) @binding(1) var<storage, read> P: array<f32>;
@group(0) @binding(2) var<storage, read_write> X: array<f32>;
@group(0) @binding(3) var<storage, read_write> Wc: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let k = gid.y;
  let e = gid.x;
  let d = t.d;
  let xs = (2u * t.p + 1u) * d;
  if (e < xs) {
    let row = e / d;
    let c = e % d;
    let we = t.oWE + k * t.sWE;
    let pos = t.oPOS + k * t.sPOS;
    var v: f32;
    if (row < t.p) { v = P[we + row * d + c] + P[pos + c]; }
    else if (row < 2u * t.p) { v = P[we + (row - t.p) * d + c] + P[pos + d + c]; }
    else { v = P[we + t.p * d + c] + P[pos + 2u * d + c]; }
    X[k * xs + e] = v;
    return;
  }
  let f = e - xs;
  if (f >= 3u * d * d) { return; }
  let i = f / (3u * d);
  let col = f % (3u * d);
  let which = col / d;
  let head = (col % d) / t.dh;
  let j = col % t.dh;
  var base = t.oWQ;
  if (which == 1u) { base = t.oWK; } else if (which == 2u) { base = t.oWV; }
  Wc[k * 3u * d * d + f] = P[base + k * t.sW + head * d * t.dh + i * t.dh + j];
}
`

/** Scores S [K, T, heads] = scale · key(row)·query("="), per head: thread gid.x = row·heads + head of member gid.y. */
export const SCORES = /* wgsl */ `
${TF_STRUCT}
@group(0) @binding(0) var<uniform> t: TF;
@group(0) @binding(1) var<storage, read> QKV: array<f32>;
@group(0) @binding(2) var<storage, read_write> S: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let k = gid.y;
  let rows = 2u * t.p + 1u;
  if (gid.x >= rows * t.heads) { return; }
  let row = gid.x / t.heads;
  let head = gid.x % t.heads;
  let w = 3u * t.d;
  let base = k * rows * w;
  var acc = 0.0;
  for (var j = 0u; j < t.dh; j++) {
    acc += QKV[base + row * w + t.d + head * t.dh + j] * QKV[base + 2u * t.p * w + head * t.dh + j];
  }
  S[k * rows * t.heads + gid.x] = acc * bitcast<f32>(t.scale);
}
`

/**
 * Attention of the "=" position per pair and head: a softmax over the scores of a's row, b's row
 * and the "=" row, then the weighted values z [K·N, d]; the weights go to attn [K·N, heads, 3] for
 * the backward pass. One thread per (pair, head).
 */
export const ATTEND = /* wgsl */ `
${TF_STRUCT}
@group(0) @binding(0) var<uniform> t: TF;
@group(0) @binding(1) var<storage, read> QKV: array<f32>;
@group(0) @binding(2) var<storage, read> S: array<f32>;
@group(0) @binding(3) var<storage, read> idx: array<i32>;
@group(0) @binding(4) var<storage, read_write> attn: array<f32>;
@group(0) @binding(5) var<storage, read_write> z: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let i = gid.x + gid.y * nw.x * 64u;
  if (i >= t.K * t.N * t.heads) { return; }
  let row = i / t.heads;
  let head = i % t.heads;
  let k = row / t.N;
  let a = u32(idx[row]) - k * t.p;
  let b = u32(idx[t.K * t.N + row]) - k * t.p;
  let rows = 2u * t.p + 1u;
  let sb = k * rows * t.heads + head;
  let s0 = S[sb + a * t.heads];
  let s1 = S[sb + (t.p + b) * t.heads];
  let s2 = S[sb + 2u * t.p * t.heads];
  let top = max(max(s0, s1), s2);
  let e0 = exp(s0 - top);
  let e1 = exp(s1 - top);
  let e2 = exp(s2 - top);
  let total = e0 + e1 + e2;
  let a0 = e0 / total;
  let a1 = e1 / total;
  let a2 = e2 / total;
  attn[i * 3u] = a0;
  attn[i * 3u + 1u] = a1;
  attn[i * 3u + 2u] = a2;
  let w = 3u * t.d;
  let vb = k * rows * w + 2u * t.d + head * t.dh;
  for (var j = 0u; j < t.dh; j++) {
    let v0 = QKV[vb + a * w + j];
    let v1 = QKV[vb + (t.p + b) * w + j];
    let v2 = QKV[vb + 2u * t.p * w + j];
    z[row * t.d + head * t.dh + j] = a0 * v0 + a1 * v1 + a2 * v2;
  }
}
`

/**
 * The MLP's ReLU in place on [K·N, hidden], one workgroup per pair. With flags bit 0 it also counts
 * the pair's active units and their flips against `pattern` (the last measurement's), which it replaces.
 */
export const RELU = /* wgsl */ `
${TF_STRUCT}
@group(0) @binding(0) var<uniform> t: TF;
@group(0) @binding(1) var<storage, read_write> H: array<f32>;
@group(0) @binding(2) var<storage, read_write> stats: array<f32>;
@group(0) @binding(3) var<storage, read_write> pattern: array<u32>;

var<workgroup> counts: array<vec2<f32>, 64>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let measuring = (t.flags & 1u) != 0u;
  for (var n = wg.x; n < t.N; n += nw.x) {
    let row = wg.y * t.N + n;
    var onCount = 0.0;
    var flips = 0.0;
    for (var c = lid.x; c < t.hidden; c += 64u) {
      let z = H[row * t.hidden + c];
      H[row * t.hidden + c] = max(z, 0.0);
      if (measuring) {
        let on = select(0u, 1u, z > 0.0);
        onCount += f32(on);
        flips += f32(on ^ pattern[row * t.hidden + c]);
        pattern[row * t.hidden + c] = on;
      }
    }
    if (measuring) {
      counts[lid.x] = vec2<f32>(onCount, flips);
      workgroupBarrier();
      for (var s = 32u; s > 0u; s >>= 1u) {
        if (lid.x < s) { counts[lid.x] += counts[lid.x + s]; }
        workgroupBarrier();
      }
      if (lid.x == 0u) {
        stats[row * ${STAT.width}u + ${STAT.active}u] = counts[0].x;
        stats[row * ${STAT.width}u + ${STAT.flips}u] = counts[0].y;
      }
      workgroupBarrier();
    }
  }
}
`

/** dst[i] += src[i] for i < n: the residual stream's sum after the MLP. */
export const ADD = /* wgsl */ `
struct A { n: u32, pad0: u32, pad1: u32, pad2: u32 }
@group(0) @binding(0) var<uniform> u: A;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let i = gid.x + gid.y * nw.x * 64u;
  if (i >= u.n) { return; }
  dst[i] = dst[i] + src[i];
}
`
