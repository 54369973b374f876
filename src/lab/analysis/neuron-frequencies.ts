import type { DenseMatrix } from './dense-matrix'
import { dominantFrequency } from '../../shared/concentration'
import { columnPowers } from './fourier-basis'

export interface NeuronFrequencies {
  /** Per neuron, the frequency k ≥ 1 with most power; 0 for a neuron with no non-constant power. */
  frequency: number[]
  /** Per neuron, that frequency's share of the neuron's non-constant power (0 for a dead neuron). */
  fraction: number[]
  /** count[k]: how many neurons have dominant frequency k (count[0]: neurons with none). */
  count: number[]
}

/** Dominant frequency of each neuron from input weights W [p, h] (token axis first, one column per neuron). */
export function neuronFrequencies(W: DenseMatrix, p: number): NeuronFrequencies {
  const cols = columnPowers(W, p)
  const count = new Array<number>(Math.floor(p / 2) + 1).fill(0)
  const frequency: number[] = []
  const fraction: number[] = []
  for (const c of cols) {
    const d = dominantFrequency(c)
    frequency.push(d.frequency)
    fraction.push(d.fraction)
    count[d.frequency]++
  }
  return { frequency, fraction, count }
}
