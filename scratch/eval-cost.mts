import { useBackend } from '../src/lab/backends/select-backend'
import { Trainer } from '../src/lab/training/trainer'
import { parseRunConfig } from '../src/shared/run-config'
import { getPreset } from '../src/lab/presets'
await useBackend('wasm')
const t = new Trainer(parseRunConfig(getPreset('modadd-mlp').config))
await t.trainSteps(5)
const a: number[] = [], b: number[] = []
for (let i = 0; i < 30; i++) {
  let t0 = performance.now(); await t.trainSteps(1); a.push(performance.now() - t0)
  t0 = performance.now(); await t.evaluate(); await t.trainSteps(1); b.push(performance.now() - t0)
}
const med = (x: number[]) => x.sort((p, q) => p - q)[x.length >> 1]
console.log('step', med(a).toFixed(1), 'eval+step', med(b).toFixed(1), 'eval cost', (med(b) - med(a)).toFixed(1), 'ms → overhead at eval_every 20:', ((100 * (med(b) - med(a))) / (20 * med(a))).toFixed(1), '%')
process.exit(0)
