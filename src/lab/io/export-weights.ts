import { LabError } from '../../shared/lab-error'
import type { RunStore } from '../store/run-store'
import { writeSafetensorsFile } from './safetensors'

export interface ExportResult {
  path: string
  runId: number
  step: number
  tensors: number
}

/**
 * Writes a run's snapshot at `step` (default: its last) to `out` as F32 safetensors with the
 * lab's tensor names and shapes, which `importModel` reads back bit for bit.
 */
export function exportWeights(store: RunStore, runId: number, out: string, step?: number): ExportResult {
  if (!out) throw new LabError('give the output file with --out FILE.safetensors')
  const run = store.getRun(runId)
  const steps = store.snapshotSteps(runId)
  if (steps.length === 0) throw new LabError(`run ${runId} has no weight snapshots to export`)
  const at = step ?? steps[steps.length - 1]
  const tensors = store.readSnapshot(runId, at)
  const c = run.config
  // Enough to re-import without guessing: model kind, p and op; safetensors metadata is str → str.
  const metadata = { format: 'grokking-lab', model: c.model, p: String(c.p), op: c.op, run: String(runId), step: String(at) }
  writeSafetensorsFile(out, tensors, metadata)
  return { path: out, runId, step: at, tensors: tensors.length }
}
