/**
 * Evaluations reported in order as their results come back from the device, while the run goes
 * on: a chain of deliveries that the trainer drains before anything that must follow them
 * (snapshots, checkpoints, the end of the run).
 */
export class EvalDelivery {
  private chain: Promise<void> = Promise.resolve()

  /** Queues `deliver` after every earlier one; if it fails, the failure surfaces at the next drained(). */
  add(deliver: () => Promise<void>): void {
    const next = this.chain.then(deliver)
    // Marked handled here: drained() takes the failure up.
    next.catch(() => undefined)
    this.chain = next
  }

  /** Resolves once every queued delivery is done, or rejects with the first that failed. */
  drained(): Promise<void> {
    return this.chain
  }
}
