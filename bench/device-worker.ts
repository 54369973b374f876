// The training worker as one bundled file, for the lent GPU machine (see device-cli.ts).
import { workerMain } from '../src/lab/worker/worker-main'

workerMain()
