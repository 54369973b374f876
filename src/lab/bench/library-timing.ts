import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseRunConfig, type RunConfig } from '../../shared/run-config'
import { dispatch } from '../api/dispatch'
import { createLabService } from '../api/lab-service'
import { initialValues } from '../models/model'
import { modelSpecs } from '../models/model-registry'
import { RunStore } from '../store/run-store'
import { summarize } from './stats'

export interface LibraryTiming {
  /** Median ms to write one weight snapshot of the model (one transaction). */
  snapshotWriteMs: number
  snapshotMb: number
  /** Median ms for the API to return the plot series of a 100,000-step run. */
  openPlotsMs: number
  plotPoints: number
}

const PLOT_METRICS = ['train_loss', 'test_loss', 'train_acc', 'test_acc', 'param_norm', 'structural_energy', 'min_train_margin']

/**
 * Times the library on a scratch file: snapshot writes of `config`'s model, and loading the
 * plots of a synthetic 100,000-step run (metrics every 20 steps) through the lab API.
 */
export async function timeLibrary(config: RunConfig): Promise<LibraryTiming> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokking-lab-bench-'))
  const file = path.join(dir, 'bench.sqlite')
  try {
    const store = RunStore.open(file)
    const specs = modelSpecs(config)
    const values = initialValues(specs, 0, 1)
    const tensors = specs.map((s, i) => ({ name: s.name, shape: s.shape, data: values[i] }))
    const id = store.createRun({ name: 'bench', preset: null, config, appVersion: 'bench' })
    const writes: number[] = []
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now()
      store.writeSnapshot(id, i, tensors)
      writes.push(performance.now() - t0)
    }
    const long = parseRunConfig({ ...config, steps: 100_000, eval_every: 20 })
    const longId = store.createRun({ name: 'long', preset: null, config: long, appVersion: 'bench' })
    const names = [...PLOT_METRICS, ...specs.map((s) => `norm/${s.name}`)]
    for (let step = 0; step <= long.steps; step += 20 * 50) {
      const rows = []
      for (let s = step; s < Math.min(step + 20 * 50, long.steps + 1); s += 20) {
        for (const name of names) rows.push({ name, step: s, value: Math.exp(-s / 30_000) + name.length, wallSeconds: s / 10 })
      }
      store.appendMetrics(longId, rows)
    }
    store.close()
    const service = createLabService({ dbPath: file, mode: 'browser' }, () => {})
    const loads: number[] = []
    let points = 0
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now()
      const series = await dispatch(service, 'runs:series', { runId: longId, names: PLOT_METRICS })
      loads.push(performance.now() - t0)
      points = series.reduce((n, s) => n + s.steps.length, 0)
    }
    await service.close()
    return {
      snapshotWriteMs: summarize(writes).median,
      snapshotMb: values.reduce((n, v) => n + v.byteLength, 0) / 2 ** 20,
      openPlotsMs: summarize(loads).median,
      plotPoints: points,
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
