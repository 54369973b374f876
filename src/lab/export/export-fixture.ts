// A small library for export tests: one modular run with 5,000 stored evaluations (more than any
// downsampled view keeps), clocks, and a snapshot, made directly in the store (no training).
import path from 'node:path'
import { parseRunConfig } from '../../shared/run-config'
import { createLabService, type LabService } from '../api/lab-service'
import { RunStore } from '../store/run-store'

export const FIXTURE_STEPS = 5000

/** Opens a lab over a new library in `dir` holding that run; returns it and the run id. */
export function exportFixture(dir: string): { service: LabService; runId: number; dbPath: string } {
  const dbPath = path.join(dir, 'lib.sqlite')
  const store = RunStore.open(dbPath)
  const runId = store.createRun({ name: 'fixture', preset: 'modadd-mlp-small', config: parseRunConfig({ p: 7, steps: FIXTURE_STEPS, lr: 1e-3, wd: 1, seed: 3 }), appVersion: 'test', tags: [] })
  const rows = []
  for (let step = 0; step < FIXTURE_STEPS; step++) {
    rows.push({ name: 'train_acc', step, value: Math.min(1, step / 500), wallSeconds: step })
    rows.push({ name: 'test_acc', step, value: 1 / (1 + Math.exp(-(step - 3000) / 200)), wallSeconds: step })
    rows.push({ name: 'train_loss', step, value: 2 * Math.exp(-step / 300) + 1e-6, wallSeconds: step })
    rows.push({ name: 'test_loss', step, value: 2 / (1 + step / 1000), wallSeconds: step })
  }
  store.appendMetrics(runId, rows)
  const E = new Float32Array(7 * 4).map((_, i) => Math.cos((2 * Math.PI * 2 * Math.floor(i / 4)) / 7) * (i % 4 === 0 ? 1 : 0.3))
  store.writeSnapshot(runId, FIXTURE_STEPS - 1, [{ name: 'E', shape: [7, 4], data: E }])
  store.finishRun(runId, 'completed', { stepsDone: FIXTURE_STEPS })
  store.close()
  return { service: createLabService({ dbPath, mode: 'browser' }, () => {}), runId, dbPath }
}
