// WGSL kernels of the embed-MLP fast path on WebGPU. Every sum runs in a fixed order (no atomics),
// so a run repeats itself bit for bit on the same GPU. K members of one shape share each dispatch:
// workgroup_id.z (or .y) is the member, and each operand carries its own per-member stride.

/** Flags of the GEMM kernel's epilogue (bits 2–3 of `flags`). */
export const EPILOGUE = { none: 0, bias: 1, mask: 2, accumulate: 3 } as const

/**
 * The GEMM kernel's uniform block, in the order of its fields (20 u32). `splits` > 1 cuts the inner
 * dimension into chunks of `kChunk`, each workgroup z = member·splits + split writing its partial
 * product `cSplit` apart (summed afterwards in order, by COLUMN_SUM): a long inner dimension then
 * fills the GPU instead of a few workgroups.
 */
export const GEMM_FIELDS = ['M', 'N', 'Kd', 'flags', 'aOff', 'lda', 'aStride', 'bOff', 'ldb', 'bStride', 'cOff', 'ldc', 'cStride', 'xOff', 'ldx', 'xStride', 'splits', 'kChunk', 'cSplit', 'pad'] as const
export type GemmParams = Record<(typeof GEMM_FIELDS)[number], number>

/** Output tile of one GEMM workgroup (TILE × TILE, 16 × 16 threads of 4 × 4 outputs). */
export const TILE = 64

/**
 * C = op(A)·op(B) per member, op = transpose when flags bit 0 (A) or bit 1 (B) is set, then an
 * epilogue: + bias X[j], × (X[i, j] > 0) (a ReLU mask), or += into C. Offsets and leading
 * dimensions are in elements, so operands may be sub-matrices of the packed weight buffers.
 */
export const GEMM = /* wgsl */ `
struct G { ${GEMM_FIELDS.map((f) => `${f}: u32`).join(', ')} }
@group(0) @binding(0) var<uniform> g: G;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;
@group(0) @binding(4) var<storage, read> X: array<f32>;

const TM = 64u;
const TK = 16u;
var<workgroup> As: array<f32, 1024>; // [TK][TM]
var<workgroup> Bs: array<f32, 1024>; // [TK][TM]

fn loadA(base: u32, i: u32, l: u32, end: u32) -> f32 {
  if (i >= g.M || l >= end) { return 0.0; }
  if ((g.flags & 1u) != 0u) { return A[base + l * g.lda + i]; }
  return A[base + i * g.lda + l];
}
fn loadB(base: u32, l: u32, j: u32, end: u32) -> f32 {
  if (l >= end || j >= g.N) { return 0.0; }
  if ((g.flags & 2u) != 0u) { return B[base + j * g.ldb + l]; }
  return B[base + l * g.ldb + j];
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let m = wg.z / g.splits;
  let split = wg.z % g.splits;
  let row0 = wg.y * TM;
  let col0 = wg.x * TM;
  let t = lid.y * 16u + lid.x;
  let aBase = g.aOff + m * g.aStride;
  let bBase = g.bOff + m * g.bStride;
  let transA = (g.flags & 1u) != 0u;
  let transB = (g.flags & 2u) != 0u;
  let kStart = split * g.kChunk;
  let kEnd = min(g.Kd, kStart + g.kChunk);
  var acc: array<f32, 16>;
  for (var k0 = kStart; k0 < kEnd; k0 += TK) {
    for (var e = 0u; e < 4u; e++) {
      let idx = t + e * 256u;
      // Neighbouring threads read neighbouring addresses, whichever way the operand is stored.
      var kk = idx / TM; var ii = idx % TM;
      if (!transA) { ii = idx / TK; kk = idx % TK; }
      As[kk * TM + ii] = loadA(aBase, row0 + ii, k0 + kk, kEnd);
      var kb = idx / TM; var jj = idx % TM;
      if (transB) { jj = idx / TK; kb = idx % TK; }
      Bs[kb * TM + jj] = loadB(bBase, k0 + kb, col0 + jj, kEnd);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var a: array<f32, 4>;
      var b: array<f32, 4>;
      for (var r = 0u; r < 4u; r++) {
        a[r] = As[kk * TM + lid.y * 4u + r];
        b[r] = Bs[kk * TM + lid.x * 4u + r];
      }
      for (var r = 0u; r < 4u; r++) {
        for (var c = 0u; c < 4u; c++) { acc[r * 4u + c] = fma(a[r], b[c], acc[r * 4u + c]); }
      }
    }
    workgroupBarrier();
  }
  let epilogue = (g.flags >> 2u) & 3u;
  for (var r = 0u; r < 4u; r++) {
    let i = row0 + lid.y * 4u + r;
    if (i >= g.M) { continue; }
    for (var c = 0u; c < 4u; c++) {
      let j = col0 + lid.x * 4u + c;
      if (j >= g.N) { continue; }
      let at = g.cOff + m * g.cStride + split * g.cSplit + i * g.ldc + j;
      var v = acc[r * 4u + c];
      if (epilogue == 1u) { v = v + X[g.xOff + m * g.xStride + j]; }
      else if (epilogue == 2u) { v = select(0.0, v, X[g.xOff + m * g.xStride + i * g.ldx + j] > 0.0); }
      else if (epilogue == 3u) { v = v + C[at]; }
      C[at] = v;
    }
  }
}
`

/** Uniform block shared by the row-wise kernels (8 u32). */
export const ROW_FIELDS = ['K', 'N', 'p', 'hidden', 'flags', 'rowsA', 'rowsB', 'labels'] as const
export type RowParams = Record<(typeof ROW_FIELDS)[number], number>
const ROW_STRUCT = `struct R { ${ROW_FIELDS.map((f) => `${f}: u32`).join(', ')} }`

/** Columns of the per-row statistics [K·N, 5]. */
export const STAT = { loss: 0, hit: 1, margin: 2, active: 3, flips: 4, width: 5 } as const

/**
 * The hidden layer: H = ReLU(Pa[ia] + Pb[ib]) for every pair, one workgroup per pair. With flags
 * bit 0 it also counts the pair's active units and their flips against `pattern`, the ReLU pattern of
 * the last measurement, which it replaces.
 */
export const HIDDEN = /* wgsl */ `
${ROW_STRUCT}
@group(0) @binding(0) var<uniform> r: R;
@group(0) @binding(1) var<storage, read> tables: array<f32>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> H: array<f32>;
@group(0) @binding(4) var<storage, read_write> stats: array<f32>;
@group(0) @binding(5) var<storage, read_write> pattern: array<u32>;

var<workgroup> counts: array<vec2<f32>, 64>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let measuring = (r.flags & 1u) != 0u;
  let bHalf = r.K * r.p * r.hidden;
  // Rows beyond the grid's width are taken in strides (the grid is capped at 65,535 per side).
  for (var n = wg.x; n < r.N; n += nw.x) {
    let row = wg.y * r.N + n;
    let ta = u32(idx[r.rowsA + row]) * r.hidden;
    let tb = bHalf + u32(idx[r.rowsB + row]) * r.hidden;
    var onCount = 0.0;
    var flips = 0.0;
    for (var c = lid.x; c < r.hidden; c += 64u) {
      let z = tables[ta + c] + tables[tb + c];
      H[row * r.hidden + c] = max(z, 0.0);
      if (measuring) {
        let on = select(0u, 1u, z > 0.0);
        onCount += f32(on);
        flips += f32(on ^ pattern[row * r.hidden + c]);
        pattern[row * r.hidden + c] = on;
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

/**
 * Cross-entropy per pair, one thread per pair: its loss, whether the argmax (first of ties) hits
 * the label, and its margin (label logit − best other). With flags bit 1 the logits are replaced
 * by d(mean loss)/d(logits) = (softmax − one-hot) / N.
 */
export const ROWS = /* wgsl */ `
${ROW_STRUCT}
@group(0) @binding(0) var<uniform> r: R;
@group(0) @binding(1) var<storage, read_write> logits: array<f32>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> stats: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let row = gid.x + gid.y * nw.x * 64u;
  if (row >= r.K * r.N) { return; }
  let base = row * r.p;
  let label = u32(idx[r.labels + row]);
  var top = logits[base];
  var best = 0u;
  var other = -3.4e38;
  for (var j = 0u; j < r.p; j++) {
    let v = logits[base + j];
    if (v > top) { top = v; best = j; }
    if (j != label) { other = max(other, v); }
  }
  var total = 0.0;
  for (var j = 0u; j < r.p; j++) { total += exp(logits[base + j] - top); }
  let correct = logits[base + label];
  stats[row * ${STAT.width}u + ${STAT.loss}u] = top + log(total) - correct;
  stats[row * ${STAT.width}u + ${STAT.hit}u] = select(0.0, 1.0, best == label);
  stats[row * ${STAT.width}u + ${STAT.margin}u] = correct - other;
  if ((r.flags & 2u) != 0u) {
    let scale = 1.0 / (total * f32(r.N));
    let invN = 1.0 / f32(r.N);
    for (var j = 0u; j < r.p; j++) {
      logits[base + j] = exp(logits[base + j] - top) * scale - select(0.0, invN, j == label);
    }
  }
}
`

/** Uniform block of the summing kernels (8 u32). */
export const SUM_FIELDS = ['K', 'rows', 'cols', 'inOff', 'inStride', 'outOff', 'outStride', 'seg'] as const
export type SumParams = Record<(typeof SUM_FIELDS)[number], number>
const SUM_STRUCT = `struct S { ${SUM_FIELDS.map((f) => `${f}: u32`).join(', ')} }`

/** out[k, c] = Σ_rows in[k, row, c], rows in order: a bias gradient. One thread per (column, member). */
export const COLUMN_SUM = /* wgsl */ `
${SUM_STRUCT}
@group(0) @binding(0) var<uniform> s: S;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c = gid.x;
  let k = gid.y;
  if (c >= s.cols) { return; }
  var total = 0.0;
  for (var i = 0u; i < s.rows; i++) { total += src[s.inOff + k * s.inStride + i * s.cols + c]; }
  dst[s.outOff + k * s.outStride + c] = total;
}
`

/**
 * COLUMN_SUM for many rows (a bias gradient over every pair): one workgroup per (column, member),
 * its threads striding over the rows, then a fixed-order tree. One thread walking thousands of rows
 * in turn took about a millisecond of latency per step.
 */
export const COLUMN_SUM_TREE = /* wgsl */ `
${SUM_STRUCT}
@group(0) @binding(0) var<uniform> s: S;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

var<workgroup> part: array<f32, 256>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let c = wg.x;
  let k = wg.y;
  var total = 0.0;
  for (var i = lid.x; i < s.rows; i += 256u) { total += src[s.inOff + k * s.inStride + i * s.cols + c]; }
  part[lid.x] = total;
  workgroupBarrier();
  for (var half = 128u; half > 0u; half >>= 1u) {
    if (lid.x < half) { part[lid.x] += part[lid.x + half]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) { dst[s.outOff + k * s.outStride + c] = part[0]; }
}
`

/**
 * The tables' gradients: for each stacked token row t (of both halves, 2·K·p), the sum of dZ over
 * the pairs listed for it in the padded index table (pad ≥ K·N), in list order. This is the
 * scatter-add of the per-token trick, written as a gather so its order is fixed.
 */
export const SEGMENT_SUM = /* wgsl */ `
${SUM_STRUCT}
@group(0) @binding(0) var<uniform> s: S;
@group(0) @binding(1) var<storage, read> dZ: array<f32>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> dT: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c = gid.x;
  let t = gid.y;
  if (c >= s.cols) { return; }
  // rows = K·N pairs in all; inOff = where the index lists start.
  var total = 0.0;
  for (var j = 0u; j < s.seg; j++) {
    let pair = u32(idx[s.inOff + t * s.seg + j]);
    if (pair >= s.rows) { break; }
    total += dZ[pair * s.cols + c];
  }
  dT[t * s.cols + c] = total;
}
`

/** Columns of a member's result row: the means of the per-row statistics. */
export const RESULT = { loss: 0, acc: 1, minMargin: 2, reluActive: 3, reluChurn: 4, width: 8 } as const

/** Per member, the mean loss, accuracy, ReLU share and churn and the minimum margin over its N pairs: one workgroup per member, a fixed-order tree. */
export const MEMBER_REDUCE = /* wgsl */ `
${ROW_STRUCT}
@group(0) @binding(0) var<uniform> r: R;
@group(0) @binding(1) var<storage, read> stats: array<f32>;
@group(0) @binding(2) var<storage, read_write> result: array<f32>;

var<workgroup> sums: array<vec4<f32>, 256>;
var<workgroup> mins: array<f32, 256>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let k = wg.x;
  var acc = vec4<f32>(0.0);
  var low = 3.4e38;
  for (var n = lid.x; n < r.N; n += 256u) {
    let at = (k * r.N + n) * ${STAT.width}u;
    acc += vec4<f32>(stats[at + ${STAT.loss}u], stats[at + ${STAT.hit}u], stats[at + ${STAT.active}u], stats[at + ${STAT.flips}u]);
    low = min(low, stats[at + ${STAT.margin}u]);
  }
  sums[lid.x] = acc;
  mins[lid.x] = low;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s >>= 1u) {
    if (lid.x < s) {
      sums[lid.x] += sums[lid.x + s];
      mins[lid.x] = min(mins[lid.x], mins[lid.x + s]);
    }
    workgroupBarrier();
  }
  if (lid.x == 0u) {
    let n = f32(r.N);
    let units = n * f32(r.hidden);
    let o = k * ${RESULT.width}u;
    result[o + ${RESULT.loss}u] = sums[0].x / n;
    result[o + ${RESULT.acc}u] = sums[0].y / n;
    result[o + ${RESULT.minMargin}u] = mins[0];
    result[o + ${RESULT.reluActive}u] = sums[0].z / units;
    result[o + ${RESULT.reluChurn}u] = sums[0].w / units;
  }
}
`

