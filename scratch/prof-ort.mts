import { EmbedMlpOnnx, makeRowFeed } from '../src/lab/fast/embed-mlp-onnx'
import { loadOnnxRuntime } from '../src/lab/fast/onnx-runtime'
import { makeModularDataset } from '../src/lab/tasks/modular-arithmetic'
const { ort } = await loadOnnxRuntime()
const p = 97, d = 128, h = 512
const data = makeModularDataset(p, 'add', 0.4, 0)
const e = await EmbedMlpOnnx.create(ort!, { p, d, hidden: h, members: 1 })
const r = (n: number, s: number) => Float32Array.from({ length: n }, () => (Math.random() * 2 - 1) * s)
const w = [{ E: r(p * d, 1), W_in: r(2 * d * h, 0.06), b_in: r(h, 0.06), W_out: r(h * p, 0.04), b_out: r(p, 0.04) }]
const train = makeRowFeed([data.train], p, true), test = makeRowFeed([data.test], p, false)
const prev = new Uint8Array(train.rows * h)
const time = async (label: string, f: () => Promise<unknown>) => { for (let i = 0; i < 3; i++) await f(); const ts = []; for (let i = 0; i < 15; i++) { const t = performance.now(); await f(); ts.push(performance.now() - t) } ts.sort((a, b) => a - b); console.log(label, ts[7].toFixed(1)) }
await time('step', () => e.gradients(w, train))
await time('train metrics', () => e.metrics(w, train, prev))
await time('test metrics', () => e.metrics(w, test))
await time('test logits', () => e.logits(w, test))
await time('alternating step+train+test', async () => { await e.gradients(w, train); await e.metrics(w, train, prev); await e.metrics(w, test) })
