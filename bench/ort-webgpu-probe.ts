// For a lent GPU machine (bundled as .device/ort-probe.mjs): onnxruntime-node carries its own
// WebGPU execution provider (Dawn, Vulkan only). This times the fast path's step graphs of both
// reference models on it against onnxruntime's CPU provider, and checks that both give the same
// gradients. Where no adapter is found (Mesa's lavapipe lacks a feature it needs), it says so.
import { encodeGraph } from '../src/lab/fast/onnx-graph'
import { EMBED_MLP_GRAPHS } from '../src/lab/fast/embed-mlp-graphs'
import { stepGraph, type FastShape, type ModelGraphs } from '../src/lab/fast/model-graphs'
import { loadOnnxRuntime } from '../src/lab/fast/onnx-runtime'
import { makeRowFeed } from '../src/lab/fast/row-feed'
import { TRANSFORMER_GRAPHS } from '../src/lab/fast/transformer-graphs'
import { Rng } from '../src/lab/random'
import { makeModularDataset } from '../src/lab/tasks/modular-arithmetic'

const { ort, reason } = await loadOnnxRuntime()
if (!ort) throw new Error(reason)
const models: [string, ModelGraphs, FastShape, number][] = [
  ['embed-mlp p 97', EMBED_MLP_GRAPHS, { p: 97, d: 128, hidden: 512, members: 1 }, 0.4],
  ['transformer-1l p 113', TRANSFORMER_GRAPHS, { p: 113, d: 128, hidden: 512, heads: 4, members: 1 }, 0.3],
]
for (const [label, graphs, shape, frac] of models) {
  const feed = makeRowFeed([makeModularDataset(shape.p, 'add', frac, 0).train], shape.p, true)
  const rng = new Rng(1, 0)
  const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
    ia: new ort.Tensor('int64', feed.ia, [feed.ia.length]),
    ib: new ort.Tensor('int64', feed.ib, [feed.ib.length]),
    target: new ort.Tensor('float32', feed.target!, [1, feed.rows, shape.p]),
    inv_n: new ort.Tensor('float32', Float32Array.of(1 / feed.rows), []),
    seg_a: new ort.Tensor('int64', feed.segA!, [shape.p, feed.seg!]),
    seg_b: new ort.Tensor('int64', feed.segB!, [shape.p, feed.seg!]),
  }
  for (const [name, dims] of Object.entries(graphs.memberShapes(shape))) {
    const size = dims.reduce((a, b) => a * b, 1)
    feeds[name] = new ort.Tensor('float32', Float32Array.from({ length: size }, () => rng.uniform(-0.1, 0.1)), [1, ...dims])
  }
  const model = encodeGraph(stepGraph(graphs, shape))
  const results: Record<string, { ms: number; grads: Record<string, Float32Array> }> = {}
  for (const provider of ['cpu', 'webgpu']) {
    try {
      const session = await ort.InferenceSession.create(model, { executionProviders: [provider], logSeverityLevel: 3 })
      for (let i = 0; i < 3; i++) await session.run(feeds)
      const times: number[] = []
      let out = await session.run(feeds)
      for (let i = 0; i < 20; i++) {
        const t = performance.now()
        out = await session.run(feeds)
        times.push(performance.now() - t)
      }
      times.sort((a, b) => a - b)
      const grads = Object.fromEntries(graphs.tensors.map((t) => [t, out[`d${t}`].data as Float32Array]))
      results[provider] = { ms: times[10], grads }
      console.log(`${label} on onnxruntime ${provider}: ${times[10].toFixed(2)} ms/step (median of 20, gradients read back)`)
    } catch (e) {
      console.log(`${label} on onnxruntime ${provider}: unavailable (${String((e as Error).message ?? e).split('\n')[0].slice(0, 300)})`)
    }
  }
  if (results.cpu && results.webgpu) {
    let worst = 0
    for (const t of graphs.tensors) {
      const a = results.cpu.grads[t]
      const b = results.webgpu.grads[t]
      const scale = Math.max(...a.map(Math.abs)) || 1
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale)
    }
    console.log(`${label}: largest gradient difference between the providers, relative to each tensor's largest: ${worst.toExponential(2)}`)
  }
}
process.exit(0)
