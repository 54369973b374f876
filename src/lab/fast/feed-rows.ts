// Apart from batch-fit.ts so that fast-path.ts can size a batch's sets without loading the GPU modules.
import type { RunConfig } from '../../shared/run-config'
import { makeModularDataset } from '../tasks/modular-arithmetic'
import type { FeedRows } from './gpu/gpu-memory'

/** Pairs per member in a run's train and test sets and its minibatches (the same for every seed). */
export function feedRows(c: RunConfig): FeedRows {
  const split = makeModularDataset(c.p, c.op, c.frac, c.seed)
  const train = split.train.a.length
  return { train, test: split.test.a.length, batch: c.batch_size ? Math.min(c.batch_size, train) : undefined }
}
