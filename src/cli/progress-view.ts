import cliProgress from 'cli-progress'
import type { TrainingEvent } from '../shared/run-types'

const fmt = (v: number | undefined, digits = 4) => (v === undefined || Number.isNaN(v) ? '-' : v.toPrecision(digits))

/**
 * Shows a training worker's events: a progress bar on a terminal, a throttled line per eval
 * otherwise, nothing in --json mode (stdout then carries only the final JSON).
 */
export function createProgressView(mode: { json: boolean; tty: boolean }): { onEvent(e: TrainingEvent): void; stop(): void } {
  if (mode.json) return { onEvent: () => {}, stop: () => {} }
  let metrics: Record<string, number> = {}
  let stepsPerSecond = 0
  if (!mode.tty) {
    let lastLine = 0
    return {
      onEvent(e) {
        if (e.type === 'started') console.log(`run ${e.runId}: training on ${e.backend} (${e.engine}) from step ${e.fromStep} to ${e.totalSteps}`)
        if (e.type === 'tick') stepsPerSecond = e.stepsPerSecond
        if (e.type === 'eval' && (Date.now() - lastLine > 2000 || e.step === e.totalSteps)) {
          lastLine = Date.now()
          const m = e.metrics
          console.log(`step ${e.step}/${e.totalSteps}  train loss ${fmt(m.train_loss)} acc ${fmt(m.train_acc, 3)}  test loss ${fmt(m.test_loss)} acc ${fmt(m.test_acc, 3)}  ${stepsPerSecond.toFixed(1)} steps/s`)
        }
      },
      stop() {},
    }
  }
  const bar = new cliProgress.SingleBar(
    {
      format: '{bar} {value}/{total} | train loss {trainLoss} acc {trainAcc} | test loss {testLoss} acc {testAcc} | {sps} steps/s',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  )
  const payload = () => ({
    trainLoss: fmt(metrics.train_loss),
    trainAcc: fmt(metrics.train_acc, 3),
    testLoss: fmt(metrics.test_loss),
    testAcc: fmt(metrics.test_acc, 3),
    sps: stepsPerSecond.toFixed(1),
  })
  return {
    onEvent(e) {
      if (e.type === 'started') {
        process.stderr.write(`run ${e.runId}: training on ${e.backend}\n`)
        bar.start(e.totalSteps, e.fromStep, payload())
      } else if (e.type === 'tick') {
        stepsPerSecond = e.stepsPerSecond
        bar.update(e.step, payload())
      } else if (e.type === 'eval') {
        metrics = e.metrics
        bar.update(e.step, payload())
      }
    },
    stop: () => bar.stop(),
  }
}
