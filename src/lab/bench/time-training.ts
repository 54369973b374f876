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
  /** Extra training time with measurements every `eval_every` steps: ms/step with them / without − 1. */
  evalOverhead: number
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
    // Windows without and with measurements alternate, so drift in the machine's speed hits both alike.
    const perStep: number[] = []
    const measured: number[] = []
    const evalTimes: number[] = []
    const evalsPerWindow = Math.max(1, Math.round(stepsPerWindow / config.eval_every))
    for (let w = 0; w < opts.windows; w++) {
      const t0 = performance.now()
      await trainer.trainSteps(evalsPerWindow * config.eval_every)
      perStep.push((performance.now() - t0) / (evalsPerWindow * config.eval_every))
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
      const t1 = performance.now()
      for (let i = 0; i < evalsPerWindow; i++) {
        const e0 = performance.now()
        await trainer.evaluate()
        evalTimes.push(performance.now() - e0)
        await trainer.trainSteps(config.eval_every)
      }
      measured.push((performance.now() - t1) / (evalsPerWindow * config.eval_every))
    }
    const msPerStep = summarize(perStep)
    const evalMs = summarize(evalTimes).median
    return {
      engine: status.active ? 'fast path' : 'tfjs',
      msPerStep,
      windows: opts.windows,
      stepsPerWindow,
      evalMs,
      evalOverhead: summarize(measured).median / msPerStep.median - 1,
      peakRssMb: peakRss / 2 ** 20,
      tensorBytesMb: tf.memory().numBytes / 2 ** 20,
    }
  } finally {
    trainer.dispose()
  }
}
