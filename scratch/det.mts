import { EmbedMlpOnnx, makeRowFeed } from '../src/lab/fast/embed-mlp-onnx'
import { loadOnnxRuntime } from '../src/lab/fast/onnx-runtime'
import { makeModularDataset } from '../src/lab/tasks/modular-arithmetic'
const { ort } = await loadOnnxRuntime()
const p = 97, d = 128, h = 512
const data = makeModularDataset(p, 'add', 0.4, 0)
const threads = Number(process.argv[2] ?? 2)
const e = await EmbedMlpOnnx.create(ort!, { p, d, hidden: h, members: 1 }, threads)
let seed = 1; const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1
const r = (n: number, s: number) => Float32Array.from({ length: n }, () => rnd() * s)
const w = [{ E: r(p * d, 1), W_in: r(2 * d * h, 0.06), b_in: r(h, 0.06), W_out: r(h * p, 0.04), b_out: r(p, 0.04) }]
const train = makeRowFeed([data.train], p, true)
const ref = (await e.gradients(w, train)).grads[0]
for (let i = 0; i < 20; i++) {
  const g = (await e.gradients(w, train)).grads[0]
  for (const k of Object.keys(ref)) { let diff = 0; for (let j = 0; j < ref[k].length; j++) diff = Math.max(diff, Math.abs(ref[k][j] - g[k][j])); if (diff > 0) console.log('run', i, k, 'differs by', diff) }
}
console.log('threads', threads, 'done')
process.exit(0)
