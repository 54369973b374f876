// `grokking-lab check`: SQLite's own integrity check, then the lab's: rows whose run is gone, and
// runs marked running whose worker is not alive. Read-only, so it is safe on a damaged library.
import fs from 'node:fs'
import type Database from 'better-sqlite3'
import { LabError } from '../../shared/lab-error'
import { openForReading } from './open-database'
import { processAlive } from './process-alive'

export interface CheckReport {
  file: string
  /** SQLite's integrity_check lines; ['ok'] for an intact file. */
  integrity: string[]
  /** Rows pointing at a run (or checkpoint) that is not there, per table. */
  orphans: { table: string; rows: number }[]
  /** Runs marked running or queued whose worker process is gone. */
  stale: { runId: number; status: string; pid: number | null }[]
  runs: number | null
  ok: boolean
}


/** Checks the library at `file` without writing to it. */
export function checkLibrary(file: string): CheckReport {
  if (!fs.existsSync(file)) throw new LabError(`no run library at ${file}; pass the library's path with --db`)
  let db: Database.Database
  try {
    db = openForReading(file)
  } catch (e) {
    throw new LabError(`cannot open ${file} to check it: ${(e as Error).message}`)
  }
  try {
    const integrity = tryAll(() => (db.pragma('integrity_check(100)') as { integrity_check: string }[]).map((r) => r.integrity_check), (m) => [m])
    const orphanRows = tryAll(() => db.pragma('foreign_key_check') as { table: string }[], () => [])
    const counts = new Map<string, number>()
    for (const r of orphanRows) counts.set(r.table, (counts.get(r.table) ?? 0) + 1)
    const running = tryAll(() => db.prepare("SELECT id, status, worker_pid FROM runs WHERE status IN ('running', 'queued')").all() as { id: number; status: string; worker_pid: number | null }[], () => [])
    const runs = tryAll(() => (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n, () => null)
    const orphans = [...counts].map(([table, rows]) => ({ table, rows }))
    // A queued run has no worker yet only while its sweep or lab waits; with no lab alive it is stale too.
    const stale = running.filter((r) => !processAlive(r.worker_pid)).map((r) => ({ runId: r.id, status: r.status, pid: r.worker_pid }))
    return { file, integrity, orphans, stale, runs, ok: integrity.length === 1 && integrity[0] === 'ok' && orphans.length === 0 }
  } finally {
    db.close()
  }
}

/** `read()`, or what `onError` makes of its message: a damaged page fails single queries, not the check. */
function tryAll<T>(read: () => T, onError: (message: string) => T): T {
  try {
    return read()
  } catch (e) {
    return onError((e as Error).message)
  }
}
