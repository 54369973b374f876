import type { Trainer, TrainerCallbacks, TrainOutcome } from './trainer'

/**
 * Trains the members of a batch (trainers sharing one fast-path batch) step by step in turn, so
 * each round's single batched computation serves every member at the same step. Every member
 * starts before any steps, since the batch needs all their weights.
 */
export async function trainInLockstep(trainers: Trainer[], callbacks: TrainerCallbacks[]): Promise<TrainOutcome[]> {
  // Asked once per round, so every member stops at the same step (and checkpoint).
  let stop = false
  const sessions = []
  for (const [k, t] of trainers.entries()) sessions.push(await t.begin({ ...callbacks[k], shouldStop: () => stop }))
  const running = trainers.map(() => true)
  while (running.some(Boolean)) {
    stop = callbacks.some((cb) => cb.shouldStop?.())
    for (const [k, t] of trainers.entries()) if (running[k]) running[k] = await t.advance(sessions[k])
  }
  const outcomes: TrainOutcome[] = []
  for (const [k, t] of trainers.entries()) outcomes.push(await t.finish(sessions[k]))
  return outcomes
}
