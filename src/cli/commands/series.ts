import { LabError } from '../../shared/lab-error'
import { parseTimeAxis, toTimeAxis } from '../../lab/analysis/time-axis'
import { resolveLibraryPath } from '../../lab/store/default-location'
import { RunStore } from '../../lab/store/run-store'
import { formatTable } from '../format-table'
import { parseRunId } from '../run-id'

/** `grokking-lab series RUN…`: metric curves of one or more runs on a chosen time axis. */
export function seriesCommand(runArgs: string[], options: { metric?: string[]; timeAxis?: string; every?: string; db?: string; json?: boolean }): number {
  const axis = parseTimeAxis(options.timeAxis)
  const metrics = options.metric?.length ? options.metric : ['train_acc', 'test_acc']
  const every = options.every ? Number(options.every) : 1
  if (!Number.isInteger(every) || every < 1) throw new LabError(`--every must be a positive integer, got '${options.every}'`)
  const store = RunStore.open(resolveLibraryPath(options.db), { readonly: true })
  try {
    const curves = runArgs.map(parseRunId).flatMap((runId) => {
      const run = store.getRun(runId)
      const found = store.readSeries(runId, metrics)
      const missing = metrics.filter((m) => !found.some((s) => s.name === m))
      if (missing.length) throw new LabError(`run ${runId} has no metric ${missing.join(', ')} (it has: ${store.metricNames(runId).join(', ')})`)
      return found.map((s) => {
        const { x, keep } = toTimeAxis(s.steps, axis, run.config)
        const y = s.values.filter((_, i) => keep[i])
        return { runId, metric: s.name, timeAxis: axis, x: x.filter((_, i) => i % every === 0), y: y.filter((_, i) => i % every === 0) }
      })
    })
    if (options.json) {
      console.log(JSON.stringify(curves))
      return 0
    }
    for (const c of curves) {
      console.log(`run ${c.runId} ${c.metric} against ${axis}`)
      console.log(formatTable([axis, c.metric], c.x.map((x, i) => [x, c.y[i]])))
    }
    return 0
  } finally {
    store.close()
  }
}
