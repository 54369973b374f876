// Whole training runs for the GPU tests (resident-training.test.ts, transformer-training.test.ts).
import { useBackend } from '../../backends/select-backend'
import type { RunConfig } from '../../../shared/run-config'
import { trainInLockstep } from '../../training/lockstep'
import { Trainer, type Checkpoint, type EvalRecord, type TensorData, type TrainerCallbacks } from '../../training/trainer'
import { FastPathBatch } from '../fast-path'

/** What a test keeps of a run. */
export interface RunRecord {
  evals: EvalRecord[]
  weights: TensorData[]
  checkpoints: Checkpoint[]
  snapshots: Map<number, TensorData[]>
  engine: string
  /** The callbacks as they came: 'eval 10', 'checkpoint 20', 'snapshot 0'… */
  order: string[]
}

/** Callbacks that record into `r`. */
function recorder(r: RunRecord): TrainerCallbacks {
  return {
    onEval: (e) => void (r.evals.push(e), r.order.push(`eval ${e.step}`)),
    onCheckpoint: (k) => void (r.checkpoints.push(k), r.order.push(`checkpoint ${k.step}`)),
    onSnapshot: (s, w) => void (r.snapshots.set(s, w), r.order.push(`snapshot ${s}`)),
  }
}

const emptyRecord = (engine: string): RunRecord => ({ evals: [], weights: [], checkpoints: [], snapshots: new Map(), engine, order: [] })

/** Trains `c` alone on `backend` (from `resume` when given) and records it. */
export async function trainRun(backend: 'webgpu' | 'wasm', c: RunConfig, resume?: Checkpoint): Promise<RunRecord> {
  await useBackend(backend)
  const t = new Trainer(c, resume)
  const out = emptyRecord('')
  await t.run(recorder(out))
  out.weights = await t.readWeights()
  out.engine = (await t.engine()).reason
  t.dispose()
  return out
}

/**
 * Trains `configs` as one batch on webgpu, in lockstep, checkpointing as configured (the first
 * member's checkpoint reads the next round's state, after which the others' snapshots of the step
 * before need the state the device kept from before the update); returns each member's record and the batch's engine line.
 */
export async function trainBatch(configs: RunConfig[]): Promise<{ runs: RunRecord[]; reason: string }> {
  await useBackend('webgpu')
  const { batch, status } = await FastPathBatch.create(configs)
  if (!batch) throw new Error(`no fast-path batch: ${status.reason}`)
  const trainers = configs.map((c, k) => new Trainer(c, undefined, { batch, member: k }))
  const runs = configs.map(() => emptyRecord(status.reason))
  await trainInLockstep(trainers, runs.map(recorder))
  for (const [k, t] of trainers.entries()) runs[k].weights = await t.readWeights()
  trainers.forEach((t) => t.dispose())
  await batch.dispose()
  return { runs, reason: status.reason }
}

/** Whether two runs' tensors are equal bit for bit. */
export const bitsEqual = (a: TensorData[], b: TensorData[]): boolean =>
  a.length === b.length &&
  a.every((w, i) => Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength).equals(Buffer.from(b[i].data.buffer, b[i].data.byteOffset, b[i].data.byteLength)))
