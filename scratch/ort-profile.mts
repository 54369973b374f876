import { makeRowFeed } from '../src/lab/fast/embed-mlp-onnx'
import { embedMlpStepGraph, EMBED_MLP_TENSORS, memberShapes } from '../src/lab/fast/embed-mlp-graphs'
import { encodeGraph } from '../src/lab/fast/onnx-graph'
import { loadOnnxRuntime } from '../src/lab/fast/onnx-runtime'
import { makeModularDataset } from '../src/lab/tasks/modular-arithmetic'
import fs from 'node:fs'
const { ort } = await loadOnnxRuntime()
const p = Number(process.argv[2] ?? 31), d = Number(process.argv[3] ?? 64), h = Number(process.argv[4] ?? 256), K = Number(process.argv[5] ?? 8), frac = Number(process.argv[6] ?? 0.6)
const shape = { p, d, hidden: h, members: K }
const s = await ort!.InferenceSession.create(encodeGraph(embedMlpStepGraph(shape)), { intraOpNumThreads: 2, graphOptimizationLevel: 'all', enableProfiling: true, profileFilePrefix: '/tmp/ortprof', extra: { session: { intra_op: { allow_spinning: '0' } } } } as any)
const data = Array.from({ length: K }, (_, k) => makeModularDataset(p, 'add', frac, k))
const feed = makeRowFeed(data.map((x) => x.train), p, true)
const shapes = memberShapes(shape)
const feeds: any = {}
for (const n of EMBED_MLP_TENSORS) { const size = K * shapes[n].reduce((a, b) => a * b, 1); feeds[n] = new ort!.Tensor('float32', Float32Array.from({ length: size }, () => Math.random() * 0.1 - 0.05), [K, ...shapes[n]]) }
feeds.ia = new ort!.Tensor('int64', feed.ia, [feed.ia.length]); feeds.ib = new ort!.Tensor('int64', feed.ib, [feed.ib.length])
feeds.target = new ort!.Tensor('float32', feed.target!, [K, feed.rows, p]); feeds.inv_n = new ort!.Tensor('float32', Float32Array.of(1 / feed.rows), []); feeds.seg_a = new ort!.Tensor('int64', feed.segA!, [K * p, feed.seg!]); feeds.seg_b = new ort!.Tensor('int64', feed.segB!, [K * p, feed.seg!]); console.log('seg width', feed.seg)
for (let i = 0; i < 30; i++) await s.run(feeds)
await s.release(); const file = fs.readdirSync('/tmp').filter((f) => f.startsWith('ortprof')).map((f) => '/tmp/' + f).sort().pop()!
const ev = JSON.parse(fs.readFileSync(file, 'utf8')).filter((e: any) => e.cat === 'Node' && e.name.endsWith('_kernel_time'))
const by = new Map<string, number>()
for (const e of ev) by.set(e.args.op_name + ' ' + e.name.replace('_kernel_time', ''), (by.get(e.args.op_name + ' ' + e.name.replace('_kernel_time', '')) ?? 0) + e.dur / 30)
console.log([...by.entries()].sort((a, b) => b[1] - a[1]).slice(0, 16).map(([k, v]) => `${(v / 1000).toFixed(3)} ms ${k}`).join('\n'))
console.log('total', ([...by.values()].reduce((a, b) => a + b, 0) / 1000).toFixed(2))
