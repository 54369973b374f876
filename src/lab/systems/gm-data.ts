import type { RunConfig } from '../../shared/run-config'
import type { ParamSpec } from '../models/model'
import { makeModularDataset, type ModularSplit } from '../tasks/modular-arithmetic'
import { makeUnorderedModularDataset, sumOfOneHots } from '../tasks/unordered-pairs'
import type { GmData } from './gm-closed-form'

/** A split of gm-two-layer's task on the host: X = sum of one-hots, Y one-hot, and the label indices. */
export interface GmSplit extends GmData {
  label: Int32Array
}

function toGm(s: ModularSplit, p: number): GmSplit {
  const n = s.label.length
  const y = new Float64Array(n * p)
  for (let i = 0; i < n; i++) y[i * p + s.label[i]] = 1
  return { x: sumOfOneHots(s, p), y, n, p, label: s.label }
}

/** The config's modular pairs (ordered or a ≤ b) as gm-two-layer's train and test splits. */
export function makeGmSplits(c: RunConfig): { train: GmSplit; test: GmSplit } {
  const data = c.pairs === 'unordered' ? makeUnorderedModularDataset(c.p, c.op, c.frac, c.seed) : makeModularDataset(c.p, c.op, c.frac, c.seed)
  return { train: toGm(data.train, c.p), test: toGm(data.test, c.p) }
}

/**
 * The ridge λ of the paper's units for a real run: the trainer minimizes (1/(np))‖HW − Y‖² +
 * (wd/2)‖θ‖² (MSE over all entries, SGD's coupled decay), which is (1/(np))·(‖HW − Y‖² + λ‖θ‖²).
 */
export function paperLambda(c: RunConfig, n: number): number {
  return (n * c.p * c.wd) / 2
}

/** E [p, hidden] (the embedding the Fourier views read) and W [hidden, p] (the head), Gaussian 1/√fan_in. */
export function gmTwoLayerSpecs(c: Pick<RunConfig, 'p' | 'hidden'>): ParamSpec[] {
  return [
    { name: 'E', shape: [c.p, c.hidden], group: 'embedding', init: { kind: 'normal', std: 1 / Math.sqrt(c.p) } },
    { name: 'W', shape: [c.hidden, c.p], group: 'head', init: { kind: 'normal', std: 1 / Math.sqrt(c.hidden) } },
  ]
}
