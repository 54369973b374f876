import { EmbedMlpOnnx, makeRowFeed } from '../src/lab/fast/embed-mlp-onnx'
import { loadOnnxRuntime } from '../src/lab/fast/onnx-runtime'
import { makeModularDataset } from '../src/lab/tasks/modular-arithmetic'
import { HostOptimizer } from '../src/lab/training/host-optimizer'
import { parseRunConfig } from '../src/shared/run-config'
const { ort } = await loadOnnxRuntime()
const p = 31, d = 64, h = 256
const time = async (label: string, f: () => Promise<unknown> | unknown) => { for (let i = 0; i < 5; i++) await f(); const ts = []; for (let i = 0; i < 30; i++) { const t = performance.now(); await f(); ts.push(performance.now() - t) } ts.sort((a, b) => a - b); console.log(label, ts[15].toFixed(2)) }
const r = (n: number, s: number) => Float32Array.from({ length: n }, () => (Math.random() * 2 - 1) * s)
for (const K of [1, 8]) {
  const data = Array.from({ length: K }, (_, k) => makeModularDataset(p, 'add', 0.6, k))
  const e = await EmbedMlpOnnx.create(ort!, { p, d, hidden: h, members: K })
  const w = data.map(() => ({ E: r(p * d, 1), W_in: r(2 * d * h, 0.06), b_in: r(h, 0.06), W_out: r(h * p, 0.04), b_out: r(p, 0.04) }))
  const train = makeRowFeed(data.map((x) => x.train), p, true)
  await time(`K=${K} step`, () => e.gradients(w, train))
  const opt = w.map(() => new HostOptimizer(parseRunConfig({ p, frac: 0.5, steps: 1, lr: 1e-3, wd: 1 }), { E: p * d, W_in: 2 * d * h, b_in: h, W_out: h * p, b_out: p }))
  const g = (await e.gradients(w, train)).grads
  await time(`K=${K} optimizers`, () => w.forEach((m, k) => opt[k].apply(m, g[k])))
}
