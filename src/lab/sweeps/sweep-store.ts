import { randomUUID } from 'node:crypto'
import type { SweepProgressInfo } from '../../shared/api'
import { LabError } from '../../shared/lab-error'
import type { RunConfig } from '../../shared/run-config'
import type { RunRecord } from '../../shared/run-types'
import type { RunStore } from '../store/run-store'
import type { GridAxis } from './sweep-grid'

export interface SweepRecord {
  id: number
  name: string
  preset: string | null
  baseConfig: RunConfig
  axes: GridAxis[]
  seeds: number
  createdAt: string
  /** The sweep's identity across libraries: a Slurm sweep's tasks and the collected sweep share it. */
  uuid: string
}

/**
 * Where a sweep stands: its planned runs (grid points × seeds) against the runs the library holds.
 * A Slurm sweep's record exists from its first collect on, with only the runs collected so far, so
 * counting the library's runs alone would call a partly collected sweep complete.
 */
export function sweepProgress(sweep: SweepRecord, runs: SweepRun[]): { progress: SweepProgressInfo; collected: number } {
  const planned = sweep.axes.reduce((n, axis) => n * axis.values.length, sweep.seeds)
  const ids = (status: string) => runs.filter((r) => r.run.status === status).map((r) => r.run.id)
  return { progress: { total: Math.max(planned, runs.length), done: ids('completed').length, running: ids('running'), failed: ids('failed') }, collected: runs.length }
}

/** The sweep's state in a word: running, partial (runs not yet collected), complete (every run ended), or stopped. */
export function sweepState({ progress: p, collected }: { progress: SweepProgressInfo; collected: number }): 'running' | 'partial' | 'complete' | 'stopped' {
  if (p.running.length > 0) return 'running'
  if (collected < p.total) return 'partial'
  return p.done + p.failed.length >= p.total ? 'complete' : 'stopped'
}

export interface SweepRun {
  run: RunRecord
  /** The swept values of this run (key → value), seed included. */
  point: Record<string, unknown>
}

export interface NewSweep {
  name: string
  preset: string | null
  baseConfig: RunConfig
  axes: GridAxis[]
  seeds: number
  appVersion: string
  runs: { config: RunConfig; point: Record<string, unknown>; uuid?: string; name?: string }[]
  /** Fresh random UUIDs when omitted (a Slurm sweep's plan fixes them so every task agrees). */
  uuid?: string
}

/** Sweeps in the run library: a sweep groups the runs of a grid × seeds. */
export class SweepStore {
  constructor(private readonly store: RunStore) {}

  /** Creates the sweep and all its runs (queued) in one transaction, so a crash leaves all or nothing. */
  createSweep(sweep: NewSweep): number {
    const db = this.store.db
    return db.transaction(() => {
      const info = db
        .prepare('INSERT INTO sweeps (name, preset, base_config_json, grid_json, seeds, created_at, uuid) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(sweep.name, sweep.preset, JSON.stringify(sweep.baseConfig), JSON.stringify(sweep.axes), sweep.seeds, new Date().toISOString(),
          sweep.uuid ?? randomUUID())
      const id = Number(info.lastInsertRowid)
      const link = db.prepare('INSERT INTO sweep_runs (sweep_id, run_id, point_json) VALUES (?, ?, ?)')
      sweep.runs.forEach((r, i) => {
        const runId = this.store.createRun({
          name: r.name ?? `${sweep.name} #${i + 1}`,
          preset: sweep.preset,
          config: r.config,
          appVersion: sweep.appVersion,
          tags: [`sweep:${id}`],
          uuid: r.uuid,
        })
        link.run(id, runId, JSON.stringify(r.point))
      })
      return id
    })()
  }

  getSweep(id: number): SweepRecord {
    const row = this.store.db.prepare('SELECT * FROM sweeps WHERE id = ?').get(id) as Record<string, string | number> | undefined
    if (!row) throw new LabError(`no sweep ${id} in ${this.store.path}`)
    return {
      id: row.id as number,
      name: row.name as string,
      preset: (row.preset as string | null) ?? null,
      baseConfig: JSON.parse(row.base_config_json as string),
      axes: JSON.parse(row.grid_json as string),
      seeds: row.seeds as number,
      createdAt: row.created_at as string,
      uuid: row.uuid as string,
    }
  }

  /** The id of the sweep with this UUID, or null when the library has none. */
  sweepIdByUuid(uuid: string): number | null {
    const row = this.store.db.prepare('SELECT id FROM sweeps WHERE uuid = ?').get(uuid) as { id: number } | undefined
    return row?.id ?? null
  }

  listSweeps(): SweepRecord[] {
    return (this.store.db.prepare('SELECT id FROM sweeps ORDER BY id').all() as { id: number }[]).map((r) => this.getSweep(r.id))
  }

  /** The sweep's runs in creation order, with their swept values. */
  sweepRuns(id: number): SweepRun[] {
    this.getSweep(id)
    const rows = this.store.db.prepare('SELECT run_id, point_json FROM sweep_runs WHERE sweep_id = ? ORDER BY run_id').all(id) as {
      run_id: number
      point_json: string
    }[]
    return rows.map((r) => ({ run: this.store.getRun(r.run_id), point: JSON.parse(r.point_json) }))
  }
}
