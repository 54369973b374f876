// Entry of the bench bundle carried to a lent GPU machine (no npm there): times the webgpu and
// wasm backends beside PyTorch on the same GPU, without the SQLite library. See scripts/bundle-device-bench.mjs.
//   bench.mjs [BACKENDS [TORCH_DEVICE]]      the whole bench (default: webgpu,wasm cuda)
//   bench.mjs --issue17 [--quick] [--torch-device cuda] [--backend webgpu]
//                                            issue 17's three goals, one table and one JSON line
import type { BackendName } from '../src/shared/backend'
import { runGoalBench } from '../src/lab/bench/goal-bench'
import { formatGoalReport } from '../src/lab/bench/goal-report'
import { runBench } from '../src/lab/bench/run-bench'
import { formatReport } from '../src/cli/commands/bench'

const args = process.argv.slice(2)
const flag = (name: string) => args.includes(name)
const option = (name: string) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const say = (line: string) => console.error(line)

if (flag('--issue17')) {
  const report = await runGoalBench({
    backend: (option('--backend') ?? 'webgpu') as BackendName,
    torchDevice: option('--torch-device') ?? 'cuda',
    quick: flag('--quick'),
    onProgress: say,
  })
  console.log(formatGoalReport(report))
  console.log(JSON.stringify(report))
} else {
  const backends = (args[0] ?? 'webgpu,wasm').split(',') as BackendName[]
  const torchDevice = args[1] ?? 'cuda'
  const report = await runBench({ backends, torchDevice, library: false, onProgress: say })
  console.log(formatReport(report))
  console.log(JSON.stringify(report))
}
process.exit(0)
