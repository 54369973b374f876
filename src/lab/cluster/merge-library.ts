import fs from 'node:fs'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { isLabError, LabError } from '../../shared/lab-error'
import type { RunStatus } from '../../shared/run-types'
import { isDamaged } from '../store/library-damage'
import { openDatabase } from '../store/open-database'
import type { RunStore } from '../store/run-store'
import { APPLICATION_ID } from '../store/schema'

/** What merging one library brought: runs new to the library, runs brought up to date, runs it already held. */
export interface MergeResult {
  file: string
  added: number
  updated: number
  unchanged: number
  /** Runs left out: still training in the source, or not of the statuses asked for. */
  skipped: number
  sweeps: number
}

/** Tables holding a run's data, keyed by run_id, parents before children. */
const RUN_TABLES = ['metrics', 'run_summary', 'snapshots', 'checkpoints', 'checkpoint_tensors', 'run_clocks'] as const
/** Columns a merge never copies: the row's id in its own library, and the worker that held it there. */
const LOCAL_COLUMNS = new Set(['id', 'worker_pid'])

type Row = Record<string, unknown>

/**
 * The error to report for `e` met reading the source library `file`: SQLite's damage becomes a
 * LabError naming the source (the CLI's damaged-library line would name the user's library).
 */
function sourceError(e: unknown, file: string): unknown {
  if (!isDamaged(e)) return e
  return new LabError(`the library ${file} being merged is damaged (${(e as Error)?.message ?? e}); nothing of it was merged and your own library is as it was; ` +
    `see what is wrong with \`grokking-lab check --db ${file}\`, save its intact runs with \`grokking-lab recover --db ${file} --out NEW.sqlite\`, and merge NEW.sqlite instead`)
}

/** Reads from the source `file`, its damage reported as the source's (sourceError). */
function fromSource<T>(file: string, read: () => T): T {
  try {
    return read()
  } catch (e) {
    throw sourceError(e, file)
  }
}

/** A source statement's rows, one at a time, its damage reported as the source's. */
function* sourceRows(file: string, statement: Database.Statement, ...args: unknown[]): Generator<Row> {
  const rows = fromSource(file, () => statement.iterate(...args) as IterableIterator<Row>)
  try {
    for (;;) {
      const next = fromSource(file, () => rows.next())
      if (next.done) return
      yield next.value
    }
  } finally {
    rows.return?.()
  }
}

/** Whether the source's copy of a run is ahead of the library's (an older copy never overwrites a newer one). */
function further(src: Row, mine: Row): boolean {
  const [s, m] = [Number(src.steps_done), Number(mine.steps_done)]
  return s > m || (s === m && src.status === 'completed' && mine.status !== 'completed')
}

/**
 * Opens another lab library read-only, refusing (LabError, one line) a missing file, a file that is
 * not a lab library, the library itself, or one written before runs had UUIDs.
 */
export function openSourceLibrary(file: string, into: RunStore): Database.Database {
  if (!fs.existsSync(file)) throw new LabError(`no file ${file}; give the path of a Grokking Lab library (.db)`)
  if (path.resolve(file) === path.resolve(into.path)) throw new LabError(`${file} is the library being merged into; give another library`)
  let db: Database.Database
  try {
    db = openDatabase(file, { readonly: true })
  } catch (e) {
    // openDatabase speaks of --db; here the file is an argument.
    if (isLabError(e)) throw new LabError(e.message.replace(/; pass another --db path$/, '; give a library the lab wrote'))
    throw sourceError(e, file)
  }
  let appId: number
  let columns: string[]
  try {
    appId = fromSource(file, () => db.pragma('application_id', { simple: true }) as number)
    columns = fromSource(file, () => (db.prepare('PRAGMA table_info(runs)').all() as { name: string }[]).map((c) => c.name))
  } catch (e) {
    db.close()
    throw e
  }
  if (appId !== APPLICATION_ID) {
    db.close()
    throw new LabError(`${file} is not a Grokking Lab library (an empty SQLite file); give a library the lab wrote`)
  }
  if (!columns.includes('uuid')) {
    db.close()
    throw new LabError(`${file} was written by an older Grokking Lab (runs without UUIDs); upgrade it once with 'grokking-lab runs --db ${file}', then import it`)
  }
  return db
}

/**
 * Merges the runs of the library `src` whose status is in `statuses` (every run not training, by
 * default) into `dst`, with their metrics, snapshots, checkpoints, clocks and sweeps, in one
 * transaction. Runs match by UUID: one the library holds is left alone unless the source's copy
 * trained further, and then brought up to date (keeping its id, name, notes and tags). Merging the
 * same file twice therefore changes nothing, and an older copy never undoes a newer one.
 */
export function mergeLibrary(dst: RunStore, src: Database.Database, file: string, statuses?: ReadonlySet<RunStatus>): MergeResult {
  const result: MergeResult = { file, added: 0, updated: 0, unchanged: 0, skipped: 0, sweeps: 0 }
  const db = dst.db
  // Every row of a table has the same columns: each table's column set and INSERT are made once,
  // not once per metric row.
  const columns = new Map<string, Set<string>>()
  const inserts = new Map<string, Database.Statement>()
  const dstColumns = (table: string) => {
    let set = columns.get(table)
    if (!set) columns.set(table, (set = new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name))))
    return set
  }
  const insertInto = (table: string, row: Row, overrides: Row = {}) => {
    const keep = dstColumns(table)
    const cols = Object.keys(row).filter((c) => keep.has(c) && !LOCAL_COLUMNS.has(c))
    const values = cols.map((c) => (c in overrides ? overrides[c] : row[c]))
    const key = `${table}(${cols.join(',')})`
    let insert = inserts.get(key)
    if (!insert) inserts.set(key, (insert = db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)))
    return Number(insert.run(...values).lastInsertRowid)
  }
  const sweepByUuid = db.prepare('SELECT id FROM sweeps WHERE uuid = ?')
  const runByUuid = db.prepare('SELECT * FROM runs WHERE uuid = ?')
  const rowsOf = fromSource(file, () => new Map(RUN_TABLES.map((table) => [table, src.prepare(`SELECT * FROM ${table} WHERE run_id = ?`)] as const)))
  const srcSweeps = fromSource(file, () => src.prepare('SELECT * FROM sweeps ORDER BY id').all() as Row[])
  const links = fromSource(file, () => src.prepare('SELECT * FROM sweep_runs').all() as Row[])
  const srcRuns = fromSource(file, () => src.prepare('SELECT * FROM runs ORDER BY id'))
  db.transaction(() => {
    // Sweeps first, so a run's `sweep:N` tag can name the sweep's id in this library.
    const sweepIds = new Map<number, number>()
    for (const s of srcSweeps) {
      const found = sweepByUuid.get(s.uuid) as { id: number } | undefined
      if (found) sweepIds.set(s.id as number, found.id)
      else {
        sweepIds.set(s.id as number, insertInto('sweeps', s))
        result.sweeps += 1
      }
    }
    const retag = (tagsJson: string) =>
      JSON.stringify((JSON.parse(tagsJson) as string[]).map((t) => {
        const m = /^sweep:(\d+)$/.exec(t)
        return m && sweepIds.has(Number(m[1])) ? `sweep:${sweepIds.get(Number(m[1]))}` : t
      }))
    const runIds = new Map<number, number>()
    for (const run of sourceRows(file, srcRuns)) {
      const status = run.status as RunStatus
      if (status === 'running' || (statuses && !statuses.has(status))) {
        result.skipped += 1
        continue
      }
      const mine = runByUuid.get(run.uuid) as Row | undefined
      if (mine && !further(run, mine)) {
        runIds.set(run.id as number, mine.id as number)
        result.unchanged += 1
        continue
      }
      if (mine?.status === 'running') {
        result.skipped += 1
        continue
      }
      let id: number
      if (mine) {
        id = mine.id as number
        // The user's own edits here (name, notes, tags) win over the source's.
        const fields = Object.keys(run).filter((c) => !LOCAL_COLUMNS.has(c) && !['name', 'notes', 'tags_json', 'uuid'].includes(c) && c in mine)
        db.prepare(`UPDATE runs SET ${fields.map((c) => `${c} = ?`).join(', ')}, worker_pid = NULL WHERE id = ?`).run(...fields.map((c) => run[c]), id)
        for (const table of [...RUN_TABLES].reverse()) db.prepare(`DELETE FROM ${table} WHERE run_id = ?`).run(id)
        result.updated += 1
      } else {
        id = insertInto('runs', run, { tags_json: retag(run.tags_json as string) })
        result.added += 1
      }
      runIds.set(run.id as number, id)
      for (const table of RUN_TABLES) {
        for (const row of sourceRows(file, rowsOf.get(table)!, run.id)) {
          insertInto(table, row, { run_id: id })
        }
      }
    }
    const link = db.prepare('INSERT OR IGNORE INTO sweep_runs (sweep_id, run_id, point_json) VALUES (?, ?, ?)')
    for (const l of links) {
      const sweep = sweepIds.get(l.sweep_id as number)
      const run = runIds.get(l.run_id as number)
      if (sweep !== undefined && run !== undefined) link.run(sweep, run, l.point_json)
    }
  })()
  return result
}
