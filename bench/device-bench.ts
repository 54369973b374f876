// Entry of the bench bundle carried to a lent GPU machine (no npm there): times the webgpu and
// wasm backends beside PyTorch on the same GPU, without the SQLite library. See scripts/bundle-device-bench.mjs.
import type { BackendName } from '../src/shared/backend'
import { runBench } from '../src/lab/bench/run-bench'
import { formatReport } from '../src/cli/commands/bench'

const args = process.argv.slice(2)
const backends = (args[0] ?? 'webgpu,wasm').split(',') as BackendName[]
const torchDevice = args[1] ?? 'cuda'
const report = await runBench({ backends, torchDevice, library: false, onProgress: (l) => console.error(l) })
console.log(formatReport(report))
console.log(JSON.stringify(report))
process.exit(0)
