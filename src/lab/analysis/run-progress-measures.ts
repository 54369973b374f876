import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/run-config'
import { buildModel, modelSpecs } from '../models/model-registry'
import { makeModularDataset, type ModularSplit } from '../tasks/modular-arithmetic'
import type { MetricRow, RunStore } from '../store/run-store'
import { makeTokenBatch } from '../training/token-batch'
import type { TensorData } from '../training/trainer'
import { logitFrequencyPower, logitKeyFrequencies, PROGRESS_MEASURE_OPS, progressMeasures } from './progress-measures'

/** The series this module writes, at every snapshot step. */
export const PROGRESS_SERIES = ['restricted_loss', 'excluded_loss', 'sum_sq_weights'] as const

/** Why a run has no progress measures, or null when it can have them. */
export function progressMeasuresBlocker(config: RunConfig): string | null {
  if (config.task !== 'modular' || !['embed-mlp', 'transformer-1l'].includes(config.model)) return 'progress measures are defined for the modular embed-MLP and transformer-1L'
  if (!PROGRESS_MEASURE_OPS.includes(config.op)) return `progress measures need op add or sub (this run is ${config.op})`
  return null
}

/** Logits [pairs, p] of a snapshot's weights on the pairs of `all`, on the current tf backend. */
export async function snapshotLogits(config: RunConfig, tensors: TensorData[], all: ModularSplit): Promise<Float32Array> {
  const byName = new Map(tensors.map((t) => [t.name, t.data]))
  const model = buildModel(config, modelSpecs(config).map((s) => byName.get(s.name)!))
  const batch = makeTokenBatch(all, config.p)
  try {
    const logits = tf.tidy(() => model.logits(batch))
    const values = (await logits.data()) as Float32Array
    logits.dispose()
    return values
  } finally {
    batch.dispose()
    model.params.forEach((q) => q.variable.dispose())
  }
}

/**
 * Computes Nanda et al.'s restricted and excluded losses and the sum of squared weights at every
 * snapshot of a modular run and stores them as series (replacing earlier values). The key
 * frequencies are those the last snapshot's logits use (logitKeyFrequencies), so every step is
 * measured against the circuit the run ends with, as in the paper. Returns the frequencies used.
 */
export async function recordProgressMeasures(store: RunStore, runId: number): Promise<{ keyFrequencies: number[]; steps: number }> {
  const config = store.getRun(runId).config
  const blocker = progressMeasuresBlocker(config)
  if (blocker) throw new Error(blocker)
  const steps = store.snapshotSteps(runId)
  if (steps.length === 0) return { keyFrequencies: [], steps: 0 }
  const { train, test } = makeModularDataset(config.p, config.op, config.frac, config.seed)
  const all: ModularSplit = {
    a: Int32Array.from([...train.a, ...test.a]),
    b: Int32Array.from([...train.b, ...test.b]),
    label: Int32Array.from([...train.label, ...test.label]),
  }
  const trainMask = new Uint8Array(all.a.length).fill(1, 0, train.a.length).fill(0, train.a.length)
  const last = await snapshotLogits(config, store.readSnapshot(runId, steps[steps.length - 1]), all)
  const keyFrequencies = logitKeyFrequencies(logitFrequencyPower({ p: config.p, op: config.op, ...all, logits: last }))
  // The measures are stored beside the evaluation at the same step, with its wall time.
  const wall = new Map<number, number>()
  const loss = store.readSeries(runId, ['train_loss'])[0]
  loss?.steps.forEach((s, i) => wall.set(s, loss.wallSeconds[i]))
  const rows: MetricRow[] = []
  for (const step of steps) {
    const tensors = store.readSnapshot(runId, step)
    const logits = await snapshotLogits(config, tensors, all)
    const m = progressMeasures({ p: config.p, op: config.op, ...all, train: trainMask, logits, keyFrequencies })
    const sumSq = tensors.reduce((s, t) => s + t.data.reduce((u, v) => u + v * v, 0), 0)
    const wallSeconds = wall.get(step) ?? 0
    rows.push(
      { name: 'restricted_loss', step, value: m.restrictedLoss, wallSeconds },
      { name: 'excluded_loss', step, value: m.excludedLoss, wallSeconds },
      { name: 'sum_sq_weights', step, value: sumSq, wallSeconds },
    )
  }
  store.appendMetrics(runId, rows)
  return { keyFrequencies, steps: steps.length }
}
