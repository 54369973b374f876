// The optimizer kernel of resident training on WebGPU (see gpu-optimizer.ts).

/** Per (tensor, member): the constants of one optimizer update (HostOptimizer.deviceConstants). */
export const OPT = { kind: 0, lr: 1, wd: 2, beta1: 3, beta2: 4, eps: 5, stepSize: 6, sqrtBc2: 7, shrink: 8, coupled: 9, momentum: 10, width: 12 } as const

/**
 * One optimizer update of every member's weights in place, torch.optim's rules as HostOptimizer
 * has them (kind 0: SGD with optional momentum, its buffer in m; 1: Adam / AdamW). `slices` holds
 * each packed tensor's offset and per-member size; `hyper` the constants per (tensor, member).
 */
export const OPTIMIZER = /* wgsl */ `
struct U { total: u32, K: u32, tensors: u32, pad: u32 }
@group(0) @binding(0) var<uniform> u: U;
@group(0) @binding(1) var<storage, read_write> w: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;
@group(0) @binding(5) var<storage, read> hyper: array<f32>;
@group(0) @binding(6) var<storage, read> slices: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let i = gid.x + gid.y * nw.x * 256u;
  if (i >= u.total) { return; }
  var t = 0u;
  while (t + 1u < u.tensors && i >= slices[(t + 1u) * 2u]) { t++; }
  let member = (i - slices[t * 2u]) / slices[t * 2u + 1u];
  let h = (t * u.K + member) * ${OPT.width}u;
  let wi = w[i];
  if (hyper[h + ${OPT.kind}u] == 0.0) {
    var gi = g[i] + hyper[h + ${OPT.wd}u] * wi;
    let mom = hyper[h + ${OPT.momentum}u];
    if (mom > 0.0) {
      gi = mom * m[i] + gi;
      m[i] = gi;
    }
    w[i] = wi - hyper[h + ${OPT.lr}u] * gi;
    return;
  }
  let gi = g[i] + hyper[h + ${OPT.coupled}u] * wi;
  let b1 = hyper[h + ${OPT.beta1}u];
  let b2 = hyper[h + ${OPT.beta2}u];
  let mi = b1 * m[i] + (1.0 - b1) * gi;
  let vi = b2 * v[i] + (1.0 - b2) * gi * gi;
  m[i] = mi;
  v[i] = vi;
  w[i] = wi * hyper[h + ${OPT.shrink}u] - (hyper[h + ${OPT.stepSize}u] * mi) / (sqrt(vi) / hyper[h + ${OPT.sqrtBc2}u] + hyper[h + ${OPT.eps}u]);
}
`
