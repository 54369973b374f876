import type { RunConfig } from '../../shared/run-config'
import { Trainer, type TrainingSession } from '../training/trainer'
import { summarize } from './stats'

export interface EvalOverheadTiming {
  evalEvery: number
  /** ms per step of the training loop with an evaluation every `evalEvery` steps, per window. */
  withEval: { median: number; min: number; max: number }
  /** The same loop with no evaluation in the window. */
  without: { median: number; min: number; max: number }
  /** withEval.median / without.median − 1: what measuring costs a run, as a fraction of its training time. */
  overhead: number
  windows: number
  stepsPerWindow: number
}

/**
 * Times a run's own loop (Trainer.advance: evaluations with their gradient norms as due, no
 * snapshots or checkpoints) at eval_every `evalEvery` against the same loop that never evaluates,
 * in alternating windows of whole evaluation intervals so drift in the machine's speed hits both alike.
 */
export async function timeEvalOverhead(
  config: RunConfig,
  opts: { evalEvery: number; warmupSteps: number; windows: number; windowMs: number },
): Promise<EvalOverheadTiming> {
  // Far past any step timed here, so neither loop reaches its last step (which evaluates too).
  const steps = 100_000_000
  const measured = new Trainer({ ...config, steps, eval_every: opts.evalEvery })
  const plain = new Trainer({ ...config, steps, eval_every: steps })
  try {
    const sessions = [await measured.begin(), await plain.begin()]
    // Step 0 evaluates in both; the warm-up takes it, and the first evaluations' one-off costs.
    for (let i = 0; i < Math.max(opts.warmupSteps, opts.evalEvery + 1); i++) {
      await measured.advance(sessions[0])
      await plain.advance(sessions[1])
    }
    // Realign the measured loop so each window starts on an evaluation step.
    while (measured.stepsDone % opts.evalEvery !== 0) await measured.advance(sessions[0])
    const probeStart = performance.now()
    await advanceBy(plain, sessions[1], opts.evalEvery)
    const probeMs = (performance.now() - probeStart) / opts.evalEvery
    const intervals = Math.max(1, Math.round(opts.windowMs / Math.max(probeMs, 1e-3) / opts.evalEvery))
    const stepsPerWindow = intervals * opts.evalEvery
    const withEval: number[] = []
    const without: number[] = []
    for (let w = 0; w < opts.windows; w++) {
      withEval.push(await windowMs(measured, sessions[0], stepsPerWindow))
      without.push(await windowMs(plain, sessions[1], stepsPerWindow))
    }
    const a = summarize(withEval)
    const b = summarize(without)
    return { evalEvery: opts.evalEvery, withEval: a, without: b, overhead: a.median / b.median - 1, windows: opts.windows, stepsPerWindow }
  } finally {
    measured.dispose()
    plain.dispose()
  }
}

async function advanceBy(trainer: Trainer, session: TrainingSession, steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) await trainer.advance(session)
  // trainSteps(0) waits for the device's queued work, so an async backend's window ends honestly.
  await trainer.trainSteps(0)
}

async function windowMs(trainer: Trainer, session: TrainingSession, steps: number): Promise<number> {
  const t0 = performance.now()
  await advanceBy(trainer, session, steps)
  return (performance.now() - t0) / steps
}
