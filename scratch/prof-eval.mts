export {}
import * as tf from '@tensorflow/tfjs'
import { useBackend } from '../src/lab/backends/select-backend'
import { Trainer } from '../src/lab/training/trainer'
import { parseRunConfig } from '../src/shared/run-config'
import { getPreset } from '../src/lab/presets'
import { evaluate } from '../src/lab/training/evaluate'
await useBackend('wasm')
const c = parseRunConfig(getPreset('modadd-mlp').config)
const t = new Trainer(c)
await t.engine()
await t.trainSteps(3)
const sys = t.system
for (let i = 0; i < 3; i++) {
  let t0 = performance.now()
  await sys.prepareMeasure!()
  const t1 = performance.now()
  const vals = tf.tidy(() => { const m = sys.measure(); return tf.stack(Object.values(m.scalars)) })
  await vals.data()
  const t2 = performance.now()
  const pat = tf.tidy(() => sys.measure().pattern!) ; await pat.data()
  const t3 = performance.now()
  await t.evaluate()
  const t4 = performance.now()
  console.log('prepare', (t1-t0).toFixed(1), 'measure scalars', (t2-t1).toFixed(1), 'measure pattern', (t3-t2).toFixed(1), 'evaluate', (t4-t3).toFixed(1))
}
