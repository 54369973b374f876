import { useBackend } from '../src/lab/backends/select-backend'
import { Trainer } from '../src/lab/training/trainer'
import { parseRunConfig } from '../src/shared/run-config'
import { getPreset } from '../src/lab/presets'
await useBackend('wasm')
const t = new Trainer(parseRunConfig(getPreset('modadd-mlp').config))
await t.trainSteps(5)
for (let r = 0; r < 3; r++) {
  let t0 = performance.now(); await t.trainSteps(60); const win = (performance.now() - t0) / 60
  const singles: number[] = []
  for (let i = 0; i < 30; i++) { t0 = performance.now(); await t.trainSteps(1); singles.push(performance.now() - t0) }
  singles.sort((a, b) => a - b)
  console.log('window ms/step', win.toFixed(1), 'single median', singles[15].toFixed(1), 'single mean', (singles.reduce((a, b) => a + b) / 30).toFixed(1))
}
process.exit(0)
