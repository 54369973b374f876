import type Database from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import type { RunConfig } from '../../shared/run-config'
import { LabError } from '../../shared/lab-error'
import type { MetricSeries, RunRecord, RunStatus, RunSummary } from '../../shared/run-types'
import type { Checkpoint, TensorData } from '../training/trainer'
import type { Clocks } from '../analysis/clocks'
import { ACCURACY_THRESHOLD } from '../training/clocks'
import type { RunFacets, RunListItem, RunPage } from '../../shared/api'
import { openDatabase, type OpenOptions } from './open-database'
import { deleteRuns, tagRuns, updateRun, type RunEdit } from './run-edit'
import { queryRuns, runFacets, runItem, type ParsedRunQuery } from './run-query'
import { toRecord, toSummary, type RunRow, type SummaryRow } from './run-row'
import { blobToFloat32, float32ToBlob } from './tensor-blob'
import { processAlive } from './process-alive'

export interface NewRun {
  name: string
  preset: string | null
  config: RunConfig
  appVersion: string
  tags?: string[]
  notes?: string
  status?: RunStatus
  /** The run's identity across libraries (merges match on it); a fresh random one when omitted. */
  uuid?: string
}

export interface MetricRow {
  name: string
  step: number
  value: number
  wallSeconds: number
}

const now = () => new Date().toISOString()

/**
 * The run library: runs, long-format metrics, weight snapshots and resumable checkpoints in one
 * SQLite file. Every multi-row write is one transaction, so a kill at any moment leaves either
 * all of a batch or none of it.
 */
export class RunStore {
  private constructor(readonly db: Database.Database, readonly path: string) {}

  /** Opens or creates the library at `file` (see openDatabase for the checks). */
  static open(file: string, options: OpenOptions = {}): RunStore {
    const store = new RunStore(openDatabase(file, options), file)
    if (!options.readonly) store.markInterrupted()
    return store
  }

  close(): void {
    this.db.close()
  }

  createRun(run: NewRun): number {
    const info = this.db
      .prepare(
        `INSERT INTO runs (name, preset, status, config_json, app_version, tags_json, notes, total_steps, created_at, uuid)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(run.name, run.preset, run.status ?? 'queued', JSON.stringify(run.config), run.appVersion,
        JSON.stringify(run.tags ?? []), run.notes ?? '', run.config.steps, now(), run.uuid ?? randomUUID())
    return Number(info.lastInsertRowid)
  }

  /** The run with this id; throws LabError when there is none. */
  getRun(id: number): RunRecord {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined
    if (!row) throw new LabError(`no run ${id} in ${this.path}; 'grokking-lab runs' lists the runs`)
    return toRecord(row)
  }

  /** The run's UUID (its identity when libraries are merged); throws LabError when there is no such run. */
  runUuid(id: number): string {
    const row = this.db.prepare('SELECT uuid FROM runs WHERE id = ?').get(id) as { uuid: string } | undefined
    if (!row) this.getRun(id)
    return row!.uuid
  }

  listRuns(): RunRecord[] {
    return (this.db.prepare('SELECT * FROM runs ORDER BY id').all() as RunRow[]).map(toRecord)
  }

  deleteRun(id: number): void {
    this.getRun(id)
    this.db.prepare('DELETE FROM runs WHERE id = ?').run(id)
  }

  /** One page of the runs matching a library query, filtered and sorted in SQL (run-query.ts). */
  queryRuns(query: ParsedRunQuery): RunPage {
    return queryRuns(this.db, query)
  }

  /** The run with its summary and stored clocks; throws LabError when there is none. */
  runItem(id: number): RunListItem {
    // getRun throws the usual LabError for a run that does not exist.
    return runItem(this.db, id) ?? (this.getRun(id) as never)
  }

  /** Tags, presets, statuses and config ranges present in the library. */
  facets(): RunFacets {
    return runFacets(this.db)
  }

  /** Renames, re-notes or re-tags one run (run-edit.ts). */
  updateRun(id: number, edit: RunEdit): void {
    updateRun(this.db, this.path, id, edit)
  }

  /** Adds and removes tags on many runs at once; returns how many changed. */
  tagRuns(ids: readonly number[], add: readonly string[], remove: readonly string[]): number {
    return tagRuns(this.db, this.path, ids, add, remove)
  }

  /** Deletes many runs in one transaction, refusing all if one is `busy`; returns how many. */
  deleteRuns(ids: readonly number[], busy: (id: number) => boolean): number {
    return deleteRuns(this.db, this.path, ids, busy)
  }

  /** Records which engine trains the run (see FastPathStatus). */
  setEngine(id: number, engine: string): void {
    this.db.prepare('UPDATE runs SET engine = ? WHERE id = ?').run(engine, id)
  }

  /** Claims a run for a worker process; refuses a run another live worker holds. */
  markRunning(id: number, pid: number, backend: string): void {
    const run = this.db.prepare('SELECT status, worker_pid FROM runs WHERE id = ?').get(id) as RunRow | undefined
    if (!run) throw new LabError(`no run ${id}`)
    if (run.status === 'running' && run.worker_pid && run.worker_pid !== pid && processAlive(run.worker_pid)) {
      throw new LabError(`run ${id} is already training in process ${run.worker_pid}`)
    }
    this.db
      .prepare(`UPDATE runs SET status = 'running', worker_pid = ?, backend = ?, error = NULL, heartbeat_at = ?,
                started_at = COALESCE(started_at, ?), finished_at = NULL WHERE id = ?`)
      .run(pid, backend, now(), now(), id)
  }

  finishRun(id: number, status: RunStatus, fields: { stepsDone: number; msPerStep?: number; wallSeconds?: number; error?: string }): void {
    this.db
      .prepare(`UPDATE runs SET status = ?, steps_done = ?, ms_per_step = COALESCE(?, ms_per_step),
                wall_seconds = COALESCE(?, wall_seconds), error = ?, worker_pid = NULL, finished_at = ? WHERE id = ?`)
      .run(status, fields.stepsDone, fields.msPerStep ?? null, fields.wallSeconds ?? null, fields.error ?? null, now(), id)
  }

  /** Runs left 'running' by a worker that no longer exists were interrupted (killed, crashed). */
  markInterrupted(): number {
    const stale = (this.db.prepare("SELECT id, worker_pid FROM runs WHERE status = 'running'").all() as RunRow[])
      .filter((r) => !r.worker_pid || !processAlive(r.worker_pid))
    const update = this.db.prepare("UPDATE runs SET status = 'interrupted', worker_pid = NULL WHERE id = ?")
    for (const r of stale) update.run(r.id)
    return stale.length
  }

  /** Appends metric rows and refreshes the summary, in one transaction. */
  appendMetrics(runId: number, rows: MetricRow[]): void {
    const insert = this.db.prepare('INSERT OR REPLACE INTO metrics (run_id, name, step, value, wall_seconds) VALUES (?, ?, ?, ?, ?)')
    this.db.transaction(() => {
      for (const r of rows) insert.run(runId, r.name, r.step, Number.isFinite(r.value) ? r.value : null, r.wallSeconds)
      const last = rows.reduce((m, r) => Math.max(m, r.step), 0)
      this.db.prepare('UPDATE runs SET steps_done = MAX(steps_done, ?), heartbeat_at = ? WHERE id = ?').run(last, now(), runId)
      this.refreshSummary(runId)
    })()
  }

  /** Series of a run by metric name (all metrics when `names` is omitted). */
  readSeries(runId: number, names?: string[]): MetricSeries[] {
    const rows = (
      names
        ? this.db
            .prepare(`SELECT name, step, value, wall_seconds FROM metrics WHERE run_id = ? AND name IN (${names.map(() => '?').join(',')}) ORDER BY name, step`)
            .all(runId, ...names)
        : this.db.prepare('SELECT name, step, value, wall_seconds FROM metrics WHERE run_id = ? ORDER BY name, step').all(runId)
    ) as { name: string; step: number; value: number | null; wall_seconds: number }[]
    const byName = new Map<string, MetricSeries>()
    for (const r of rows) {
      let s = byName.get(r.name)
      if (!s) byName.set(r.name, (s = { name: r.name, steps: [], values: [], wallSeconds: [] }))
      s.steps.push(r.step)
      s.values.push(r.value ?? Number.NaN)
      s.wallSeconds.push(r.wall_seconds)
    }
    return [...byName.values()]
  }

  metricNames(runId: number): string[] {
    return (this.db.prepare('SELECT DISTINCT name FROM metrics WHERE run_id = ? ORDER BY name').all(runId) as { name: string }[]).map((r) => r.name)
  }

  writeSnapshot(runId: number, step: number, tensors: TensorData[]): void {
    const insert = this.db.prepare('INSERT OR REPLACE INTO snapshots (run_id, step, tensor, ordinal, shape_json, data) VALUES (?, ?, ?, ?, ?, ?)')
    this.db.transaction(() => {
      tensors.forEach((t, i) => insert.run(runId, step, t.name, i, JSON.stringify(t.shape), float32ToBlob(t.data)))
    })()
  }

  /** Steps that have a snapshot, ascending. */
  snapshotSteps(runId: number): number[] {
    return (this.db.prepare('SELECT DISTINCT step FROM snapshots WHERE run_id = ? ORDER BY step').all(runId) as { step: number }[]).map((r) => r.step)
  }

  /** Names and shapes of a snapshot's tensors, in order, without reading their data. */
  snapshotTensors(runId: number, step: number): { name: string; shape: number[] }[] {
    const rows = this.db
      .prepare('SELECT tensor, shape_json FROM snapshots WHERE run_id = ? AND step = ? ORDER BY ordinal')
      .all(runId, step) as { tensor: string; shape_json: string }[]
    return rows.map((r) => ({ name: r.tensor, shape: JSON.parse(r.shape_json) }))
  }

  readSnapshot(runId: number, step: number): TensorData[] {
    const rows = this.db
      .prepare('SELECT tensor, shape_json, data FROM snapshots WHERE run_id = ? AND step = ? ORDER BY ordinal')
      .all(runId, step) as { tensor: string; shape_json: string; data: Buffer }[]
    if (rows.length === 0) throw new LabError(`run ${runId} has no snapshot at step ${step} (snapshots: ${this.snapshotSteps(runId).join(', ') || 'none'})`)
    return rows.map((r) => ({ name: r.tensor, shape: JSON.parse(r.shape_json), data: blobToFloat32(r.data) }))
  }

  /** Replaces the run's checkpoint and records progress, atomically. */
  saveCheckpoint(runId: number, cp: Checkpoint): void {
    const insertTensor = this.db.prepare('INSERT INTO checkpoint_tensors (run_id, name, slot, data) VALUES (?, ?, ?, ?)')
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM checkpoints WHERE run_id = ?').run(runId)
      this.db
        .prepare('INSERT INTO checkpoints (run_id, step, wall_seconds, optimizer_step, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(runId, cp.step, cp.wallSeconds, cp.optimizer.step, now())
      for (const [name, data] of Object.entries(cp.params)) insertTensor.run(runId, name, -1, float32ToBlob(data))
      for (const [name, slots] of Object.entries(cp.optimizer.slots)) {
        slots.forEach((data, i) => insertTensor.run(runId, name, i, float32ToBlob(data)))
      }
      this.db.prepare('UPDATE runs SET steps_done = ?, wall_seconds = ?, heartbeat_at = ? WHERE id = ?').run(cp.step, cp.wallSeconds, now(), runId)
    })()
  }

  /** The step of the run's checkpoint, or null, without reading its tensors. */
  checkpointStep(runId: number): number | null {
    const row = this.db.prepare('SELECT step FROM checkpoints WHERE run_id = ?').get(runId) as { step: number } | undefined
    return row?.step ?? null
  }

  loadCheckpoint(runId: number): Checkpoint | undefined {
    const head = this.db.prepare('SELECT step, wall_seconds, optimizer_step FROM checkpoints WHERE run_id = ?').get(runId) as
      | { step: number; wall_seconds: number; optimizer_step: number }
      | undefined
    if (!head) return undefined
    const rows = this.db.prepare('SELECT name, slot, data FROM checkpoint_tensors WHERE run_id = ? ORDER BY name, slot').all(runId) as {
      name: string
      slot: number
      data: Buffer
    }[]
    const params: Record<string, Float32Array> = {}
    const slots: Record<string, Float32Array[]> = {}
    for (const r of rows) {
      if (r.slot < 0) params[r.name] = blobToFloat32(r.data)
      else (slots[r.name] ??= [])[r.slot] = blobToFloat32(r.data)
    }
    return { step: head.step, wallSeconds: head.wall_seconds, params, optimizer: { step: head.optimizer_step, slots } }
  }

  /** Drops metrics and snapshots from `step` on, so a resumed run rewrites them from its checkpoint. */
  truncateFrom(runId: number, step: number): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM metrics WHERE run_id = ? AND step >= ?').run(runId, step)
      this.db.prepare('DELETE FROM snapshots WHERE run_id = ? AND step >= ?').run(runId, step)
      this.refreshSummary(runId)
    })()
  }

  /** Stores a run's clocks at the default thresholds, so listings need not recompute them. */
  saveClocks(runId: number, clocks: Clocks): void {
    this.db
      .prepare('INSERT OR REPLACE INTO run_clocks (run_id, clocks_json, computed_at) VALUES (?, ?, ?)')
      .run(runId, JSON.stringify(clocks), now())
  }

  loadClocks(runId: number): Clocks | undefined {
    const row = this.db.prepare('SELECT clocks_json FROM run_clocks WHERE run_id = ?').get(runId) as { clocks_json: string } | undefined
    return row ? JSON.parse(row.clocks_json) : undefined
  }

  summary(runId: number): RunSummary | undefined {
    const r = this.db.prepare('SELECT * FROM run_summary WHERE run_id = ?').get(runId) as SummaryRow | undefined
    return r ? toSummary(r) : undefined
  }

  private refreshSummary(runId: number): void {
    const keys = ['train_loss', 'test_loss', 'train_acc', 'test_acc', 'min_train_margin', 'param_norm']
    const last = this.db.prepare('SELECT MAX(step) AS step FROM metrics WHERE run_id = ? AND name = ?').get(runId, 'train_loss') as {
      step: number | null
    }
    if (last.step === null) {
      this.db.prepare('DELETE FROM run_summary WHERE run_id = ?').run(runId)
      return
    }
    const at = this.db.prepare('SELECT value FROM metrics WHERE run_id = ? AND name = ? AND step = ?')
    const values = keys.map((k) => (at.get(runId, k, last.step) as { value: number | null } | undefined)?.value ?? null)
    const firstAtLeast = this.db.prepare('SELECT MIN(step) AS step FROM metrics WHERE run_id = ? AND name = ? AND value >= ?')
    const clock = (name: string) => (firstAtLeast.get(runId, name, ACCURACY_THRESHOLD) as { step: number | null }).step
    this.db
      .prepare(`INSERT OR REPLACE INTO run_summary (run_id, step, train_loss, test_loss, train_acc, test_acc, min_train_margin,
                param_norm, t_mem, t_gen, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(runId, last.step, ...values, clock('train_acc'), clock('test_acc'), now())
  }
}
