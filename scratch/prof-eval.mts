import * as tf from '@tensorflow/tfjs'
import { useBackend } from '../src/lab/backends/select-backend'
import { Trainer } from '../src/lab/training/trainer'
import { parseRunConfig } from '../src/shared/run-config'
import { getPreset } from '../src/lab/presets'
await useBackend('wasm')
const c = parseRunConfig(getPreset('modadd-mlp').config)
const t = new Trainer(c)
console.log(await t.engine())
await t.trainSteps(3)
const sys = t.system
for (let i = 0; i < 4; i++) {
  const t0 = performance.now()
  await sys.measureHost!()
  const t1 = performance.now()
  await t.trainSteps(1)
  const t2 = performance.now()
  await t.evaluate()
  const t3 = performance.now()
  await t.evaluate()
  const t4 = performance.now()
  console.log('measureHost', (t1-t0).toFixed(1), 'step', (t2-t1).toFixed(1), 'evaluate(after step)', (t3-t2).toFixed(1), 'evaluate again', (t4-t3).toFixed(1))
}
