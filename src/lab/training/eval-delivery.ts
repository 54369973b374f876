/**
 * Evaluations reported in order as their results come back from the device, while the run goes
 * on: a chain of deliveries that the trainer drains before anything that must follow them
 * (snapshots, checkpoints, the end of the run).
 */
export class EvalDelivery {
  private chain: Promise<void> = Promise.resolve()
  /** The first delivery's failure, kept as soon as it happens so the next step can fail the run. */
  private failure?: { error: unknown }

  /** Queues `deliver` after every earlier one; if it fails, the failure surfaces at the next throwIfFailed() or drained(). */
  add(deliver: () => Promise<void>): void {
    const next = this.chain.then(deliver)
    // Marked handled here: throwIfFailed() and drained() take the failure up.
    next.catch((error: unknown) => {
      this.failure ??= { error }
    })
    this.chain = next
  }

  /** Throws the first delivery failure seen so far, if any (a synchronous check, for every step). */
  throwIfFailed(): void {
    if (this.failure) throw this.failure.error
  }

  /** Resolves once every queued delivery is done, or rejects with the first that failed. */
  drained(): Promise<void> {
    return this.chain
  }
}
