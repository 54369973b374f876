// Starts the training worker process. It loads the TypeScript engine through tsx, so the CLI runs
// from a clean clone without a build step; the desktop app bundles the same module instead.
import { register } from 'tsx/esm/api'

register()
const { workerMain } = await import('../src/lab/worker/worker-main.ts')
workerMain()
