import type { RunStore } from '../lab/store/run-store'

/** The one-object result of a training command (`train --json`, `resume --json`). */
export function runResultJson(store: RunStore, runId: number) {
  const run = store.getRun(runId)
  const s = store.summary(runId)
  return {
    runId,
    name: run.name,
    status: run.status,
    steps: run.stepsDone,
    backend: run.backend,
    msPerStep: run.msPerStep,
    trainLoss: s?.trainLoss ?? null,
    testLoss: s?.testLoss ?? null,
    trainAcc: s?.trainAcc ?? null,
    testAcc: s?.testAcc ?? null,
    minTrainMargin: s?.minTrainMargin ?? null,
    T_mem: s?.tMem ?? null,
    T_gen: s?.tGen ?? null,
    db: store.path,
  }
}

/** Everything `show RUN --json` prints: the run, its summary, each metric summarized, its snapshots. */
export function runDetailJson(store: RunStore, runId: number) {
  const run = store.getRun(runId)
  const metrics = store.readSeries(runId).map((s) => {
    const finite = s.values.filter((v) => Number.isFinite(v))
    return {
      name: s.name,
      points: s.steps.length,
      firstStep: s.steps[0],
      lastStep: s.steps[s.steps.length - 1],
      first: s.values[0],
      last: s.values[s.values.length - 1],
      min: finite.length ? Math.min(...finite) : null,
      max: finite.length ? Math.max(...finite) : null,
    }
  })
  const snapshotSteps = store.snapshotSteps(runId)
  const tensors = snapshotSteps.length ? store.snapshotTensors(runId, snapshotSteps[snapshotSteps.length - 1]) : []
  return {
    run,
    summary: runResultJson(store, runId),
    metrics,
    snapshots: { count: snapshotSteps.length, steps: snapshotSteps, tensors },
    checkpointStep: store.checkpointStep(runId),
    clocks: store.loadClocks(runId) ?? null,
  }
}
