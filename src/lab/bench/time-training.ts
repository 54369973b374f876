import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/run-config'
import { Trainer } from '../training/trainer'
import { summarize } from './stats'

export interface StepTiming {
  /** Which engine computed the gradients: the fast path (onnxruntime) or tfjs autodiff. */
  engine: string
  /** Per-window ms per training step. */
  msPerStep: { median: number; min: number; max: number }
  windows: number
  stepsPerWindow: number
  /** Extra training time with measurements every `eval_every` steps: evalMs / (eval_every × ms/step). */
  evalOverhead: number
  /** What one evaluation adds to the step it precedes (median of paired samples). */
  evalMs: number
  peakRssMb: number
  tensorBytesMb: number
}

/**
 * Times full training steps of `config` on the active backend: a warm-up, then `windows`
 * windows of steps, each ended by a readback so async backends are measured honestly.
 */
export async function timeTraining(config: RunConfig, opts: { warmupSteps: number; windows: number; windowMs: number }): Promise<StepTiming> {
  const trainer = new Trainer(config)
  let peakRss = process.memoryUsage().rss
  try {
    const status = await trainer.engine()
    await trainer.trainSteps(opts.warmupSteps)
    // Size windows from a probe so each lasts about windowMs.
    const probeStart = performance.now()
    await trainer.trainSteps(2)
    const probeMs = (performance.now() - probeStart) / 2
    const stepsPerWindow = Math.max(1, Math.round(opts.windowMs / Math.max(probeMs, 1e-3)))
    const perStep: number[] = []
    for (let w = 0; w < opts.windows; w++) {
      const t0 = performance.now()
      await trainer.trainSteps(stepsPerWindow)
      perStep.push((performance.now() - t0) / stepsPerWindow)
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
    }
    // What one evaluation adds: a step alone against an evaluation and a step, paired and
    // interleaved so drift in the machine's speed hits both alike (the fast path's evaluation also
    // does part of the next step's work, which is why the step is in the pair).
    const alone: number[] = []
    const withEval: number[] = []
    for (let i = 0; i < 6 * opts.windows; i++) {
      const t0 = performance.now()
      await trainer.trainSteps(1)
      const t1 = performance.now()
      await trainer.evaluate()
      await trainer.trainSteps(1)
      alone.push(t1 - t0)
      withEval.push(performance.now() - t1)
    }
    const msPerStep = summarize(perStep)
    const evalMs = Math.max(0, summarize(withEval).median - summarize(alone).median)
    return {
      engine: status.active ? 'fast path' : 'tfjs',
      msPerStep,
      windows: opts.windows,
      stepsPerWindow,
      evalMs,
      evalOverhead: evalMs / (config.eval_every * msPerStep.median),
      peakRssMb: peakRss / 2 ** 20,
      tensorBytesMb: tf.memory().numBytes / 2 ** 20,
    }
  } finally {
    trainer.dispose()
  }
}
