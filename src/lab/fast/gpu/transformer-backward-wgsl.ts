// WGSL kernels of the transformer-1L's backward pass on WebGPU, the reverse of transformer-wgsl.ts.
// Each pair's gradients on its table rows are summed per token through the padded index lists of
// the feed, in list order: a gather, never a scatter-add, so every sum has a fixed order.

import { TF_STRUCT } from './transformer-wgsl'

/**
 * Per pair and head, from dz [K·N, d]: the weighted values' and the softmax's gradients. Writes
 * three regions of dpair (position 0, 1, 2; each [K·N, heads + d], K·N·(heads + d) apart): the
 * score's gradient in column `head`, the value's in columns heads + head·d_head + j.
 */
export const ATTEND_BACK = /* wgsl */ `
${TF_STRUCT}
@group(0) @binding(0) var<uniform> t: TF;
@group(0) @binding(1) var<storage, read> dz: array<f32>;
@group(0) @binding(2) var<storage, read> attn: array<f32>;
@group(0) @binding(3) var<storage, read> QKV: array<f32>;
@group(0) @binding(4) var<storage, read> idx: array<i32>;
@group(0) @binding(5) var<storage, read_write> dpair: array<f32>;

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
  let w = 3u * t.d;
  let vb = k * rows * w + 2u * t.d + head * t.dh;
  let W = t.heads + t.d;
  let region = t.K * t.N * W;
  let a0 = attn[i * 3u];
  let a1 = attn[i * 3u + 1u];
  let a2 = attn[i * 3u + 2u];
  var da0 = 0.0;
  var da1 = 0.0;
  var da2 = 0.0;
  for (var j = 0u; j < t.dh; j++) {
    let g = dz[row * t.d + head * t.dh + j];
    da0 += g * QKV[vb + a * w + j];
    da1 += g * QKV[vb + (t.p + b) * w + j];
    da2 += g * QKV[vb + 2u * t.p * w + j];
    let col = row * W + t.heads + head * t.dh + j;
    dpair[col] = g * a0;
    dpair[region + col] = g * a1;
    dpair[2u * region + col] = g * a2;
  }
  let centre = a0 * da0 + a1 * da1 + a2 * da2;
  dpair[row * W + head] = a0 * (da0 - centre);
  dpair[region + row * W + head] = a1 * (da1 - centre);
  dpair[2u * region + row * W + head] = a2 * (da2 - centre);
}
`

/**
 * The tables' gradients of one position: for member k's token (stacked row gid.y = k·p + token)
 * and column gid.x, the sum over the pairs its padded list (at segOff, `seg` wide, padded with
 * ≥ K·N) names, in order, of dpair's region at srcOff; written to dTab [K, T, heads + d] at row
 * rowOff + token.
 */
export const TOKEN_SUM = /* wgsl */ `
${TF_STRUCT}
@group(0) @binding(0) var<uniform> t: TF;
@group(0) @binding(1) var<storage, read> dpair: array<f32>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> dTab: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let W = t.heads + t.d;
  let c = gid.x;
  let r = gid.y;
  if (c >= W) { return; }
  let k = r / t.p;
  let token = r % t.p;
  var total = 0.0;
  for (var j = 0u; j < t.seg; j++) {
    let pair = u32(idx[t.segOff + r * t.seg + j]);
    if (pair >= t.K * t.N) { break; }
    total += dpair[t.srcOff + pair * W + c];
  }
  dTab[(k * (2u * t.p + 1u) + t.rowOff + token) * W + c] = total;
}
`

/**
 * From the tables' gradients dTab [K, T, heads + d] to those of the rows' query, key and value,
 * dQKV [K, T, 3d]: the key's is scale·dS·query, the "=" row's query sums scale·dS·key over the T
 * rows in order (the other rows' queries reach nothing), the value's is copied. Thread gid.x of member gid.y.
 */
export const SCORES_BACK = /* wgsl */ `
${TF_STRUCT}
@group(0) @binding(0) var<uniform> t: TF;
@group(0) @binding(1) var<storage, read> dTab: array<f32>;
@group(0) @binding(2) var<storage, read> QKV: array<f32>;
@group(0) @binding(3) var<storage, read_write> dQKV: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let k = gid.y;
  let rows = 2u * t.p + 1u;
  let w = 3u * t.d;
  if (gid.x >= rows * w) { return; }
  let row = gid.x / w;
  let col = gid.x % w;
  let W = t.heads + t.d;
  let base = k * rows * w;
  let tb = k * rows * W;
  let scale = bitcast<f32>(t.scale);
  var v = 0.0;
  if (col < t.d) {
    if (row == 2u * t.p) {
      let head = col / t.dh;
      for (var r = 0u; r < rows; r++) { v += (dTab[tb + r * W + head] * scale) * QKV[base + r * w + t.d + col]; }
    }
  } else if (col < 2u * t.d) {
    let c = col - t.d;
    v = (dTab[tb + row * W + c / t.dh] * scale) * QKV[base + 2u * t.p * w + c];
  } else {
    v = dTab[tb + row * W + t.heads + col - 2u * t.d];
  }
  dQKV[base + gid.x] = v;
}
`

/**
 * The embedding's, positions' and projections' gradients into the packed gradients G, from
 * dX [K, T, d] (the tables' rows), dx2 [K, d] (the "=" row's residual-stream sum over pairs) and
 * dWc [K, d, 3d] (the projections as columns, back to [heads, d, d_head] each). Thread gid.x of member gid.y.
 */
export const EMBED_BACK = /* wgsl */ `
${TF_STRUCT}
@group(0) @binding(0) var<uniform> t: TF;
@group(0) @binding(1) var<storage, read> dX: array<f32>;
@group(0) @binding(2) var<storage, read> dx2: array<f32>;
@group(0) @binding(3) var<storage, read> dWc: array<f32>;
@group(0) @binding(4) var<storage, read_write> G: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let k = gid.y;
  let e = gid.x;
  let d = t.d;
  let xb = k * (2u * t.p + 1u) * d;
  let eq = xb + 2u * t.p * d;
  if (e < (t.p + 1u) * d) {
    let row = e / d;
    let c = e % d;
    var v: f32;
    if (row < t.p) { v = dX[xb + row * d + c] + dX[xb + (t.p + row) * d + c]; }
    else { v = dX[eq + c] + dx2[k * d + c]; }
    G[t.oWE + k * t.sWE + e] = v;
    return;
  }
  let f = e - (t.p + 1u) * d;
  if (f < 3u * d) {
    let which = f / d;
    let c = f % d;
    var v = 0.0;
    if (which == 2u) { v = dX[eq + c] + dx2[k * d + c]; }
    else { for (var r = 0u; r < t.p; r++) { v += dX[xb + (which * t.p + r) * d + c]; } }
    G[t.oPOS + k * t.sPOS + f] = v;
    return;
  }
  let g = f - 3u * d;
  if (g >= 3u * d * d) { return; }
  let which = g / (d * d);
  let rest = g % (d * d);
  let head = rest / (d * t.dh);
  let i = (rest % (d * t.dh)) / t.dh;
  let j = rest % t.dh;
  var base = t.oWQ;
  if (which == 1u) { base = t.oWK; } else if (which == 2u) { base = t.oWV; }
  G[base + k * t.sW + rest] = dWc[k * d * 3u * d + i * 3u * d + which * d + head * t.dh + j];
}
`

/** The uniform block of SPLIT_SUM (8 u32). */
export const SPLIT_FIELDS = ['K', 'splits', 'M', 'N', 'outOff', 'outStride', 'ldo', 'pad'] as const
export type SplitParams = Record<(typeof SPLIT_FIELDS)[number], number>

/**
 * A weight gradient summed over pairs in chunks (the GEMM's split-K, partials [K, splits, M·N]):
 * the chunks added in order into out[outOff + k·outStride + i·ldo + j]. Thread gid.x = i·N + j of member gid.y.
 */
export const SPLIT_SUM = /* wgsl */ `
struct SP { ${SPLIT_FIELDS.map((f) => `${f}: u32`).join(', ')} }
@group(0) @binding(0) var<uniform> s: SP;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let k = gid.y;
  let size = s.M * s.N;
  if (gid.x >= size) { return; }
  let base = k * s.splits * size + gid.x;
  var total = 0.0;
  for (var i = 0u; i < s.splits; i++) { total += src[base + i * size]; }
  dst[s.outOff + k * s.outStride + (gid.x / s.N) * s.ldo + gid.x % s.N] = total;
}
`
