import { HostOptimizer } from '../src/lab/training/host-optimizer'
import { parseRunConfig } from '../src/shared/run-config'
const n = 350000
const w = { a: new Float32Array(n).fill(0.1) }, g = { a: new Float32Array(n).fill(0.01) }
const opt = new HostOptimizer(parseRunConfig({ p: 5, frac: 0.5, steps: 1, lr: 1e-3, wd: 1 }), { a: n })
for (let i = 0; i < 50; i++) opt.apply(w, g)
let t = performance.now(); for (let i = 0; i < 200; i++) opt.apply(w, g); console.log('ns/elem', ((performance.now() - t) * 1e6 / 200 / n).toFixed(2))
