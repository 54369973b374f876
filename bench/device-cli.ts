// The grokking-lab command as one bundled file, for a lent GPU machine with no npm (see
// scripts/bundle-device-bench.mjs); GROKKING_LAB_WORKER_SCRIPT points at the bundled worker.
import { main } from '../src/cli/main'

const code = await main(process.argv)
process.exitCode = code
setTimeout(() => process.exit(code), 300).unref()
