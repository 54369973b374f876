import type Database from 'better-sqlite3'
import type { SnapshotList, SnapshotTensor } from '../../shared/api'
import { LabError } from '../../shared/lab-error'
import { blobToFloat32 } from './tensor-blob'

/** The run's snapshot steps and the names and shapes of the tensors each holds (read off its first snapshot). */
export function snapshotList(db: Database.Database, runId: number): SnapshotList {
  const steps = (db.prepare('SELECT DISTINCT step FROM snapshots WHERE run_id = ? ORDER BY step').all(runId) as { step: number }[]).map((r) => r.step)
  if (steps.length === 0) return { steps, tensors: [] }
  const tensors = db
    .prepare('SELECT tensor, shape_json FROM snapshots WHERE run_id = ? AND step = ? ORDER BY ordinal')
    .all(runId, steps[0]) as { tensor: string; shape_json: string }[]
  return { steps, tensors: tensors.map((t) => ({ name: t.tensor, shape: JSON.parse(t.shape_json) })) }
}

/** One tensor of one snapshot; throws LabError naming the steps or tensors there are when it does not exist. */
export function readTensor(db: Database.Database, runId: number, step: number, name: string): SnapshotTensor {
  const row = db.prepare('SELECT shape_json, data FROM snapshots WHERE run_id = ? AND step = ? AND tensor = ?').get(runId, step, name) as
    | { shape_json: string; data: Buffer }
    | undefined
  if (row) return { name, step, shape: JSON.parse(row.shape_json), data: blobToFloat32(row.data) }
  const list = snapshotList(db, runId)
  if (!list.steps.includes(step)) {
    throw new LabError(`run ${runId} has no snapshot at step ${step} (snapshots: ${list.steps.join(', ') || 'none'})`)
  }
  const names = (db.prepare('SELECT tensor FROM snapshots WHERE run_id = ? AND step = ? ORDER BY ordinal').all(runId, step) as { tensor: string }[]).map((r) => r.tensor)
  throw new LabError(`run ${runId}'s snapshot at step ${step} has no tensor '${name}' (tensors: ${names.join(', ')})`)
}
