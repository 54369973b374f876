// `grokking-lab recover`: salvages every readable row of a damaged library into a new one. Rows
// are read by key, a run at a time, and a read that meets a damaged page is split in halves
// until only the rows on that page are left out, so one bad page costs its own rows only.
// (The sqlite3 shell's .recover would do this page by page, but Debian's build of it fails on
// every file; this uses only the SQLite that better-sqlite3 ships.)
import fs from 'node:fs'
import { LabError } from '../../shared/lab-error'
import { RunStore } from './run-store'
import { openForReading } from './open-database'

export interface RecoverReport {
  from: string
  to: string
  runs: { runId: number; name: string; metrics: number; snapshots: number; complete: boolean }[]
  /** Run ids that could not be read at all. */
  lost: number[]
  /** Rows left out because they lay on damaged pages, per table. */
  skipped: Record<string, number>
  integrity: string
}

type Row = Record<string, unknown>

/** Tables keyed by run, with the step-like column a failed read is split on (null: all or nothing). */
const RUN_TABLES: { table: string; split: string | null }[] = [
  { table: 'metrics', split: 'step' },
  { table: 'snapshots', split: 'step' },
  { table: 'run_summary', split: null },
  { table: 'run_clocks', split: null },
  { table: 'checkpoints', split: null },
  { table: 'checkpoint_tensors', split: null },
]

/** Recovers `from` into the new library `to` (which must not exist). */
export function recoverLibrary(from: string, to: string): RecoverReport {
  if (!fs.existsSync(from)) throw new LabError(`no library at ${from} to recover`)
  if (fs.existsSync(to)) throw new LabError(`${to} exists; recover writes a new library, so pass a new --out path`)
  const src = openForReading(from)
  const target = RunStore.open(to)
  const skipped: Record<string, number> = {}
  const runs: RecoverReport['runs'] = []
  const lost: number[] = []
  try {
    const dst = target.db
    const columns = (table: string) => new Set((dst.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name))
    const insert = (table: string, rows: Row[]) => {
      if (rows.length === 0) return
      const keep = columns(table)
      const cols = Object.keys(rows[0]).filter((c) => keep.has(c))
      const stmt = dst.prepare(`INSERT OR REPLACE INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)
      dst.transaction(() => rows.forEach((r) => stmt.run(...cols.map((c) => r[c]))))()
    }
    const read = (sql: string, ...args: unknown[]): Row[] | null => {
      try {
        return src.prepare(sql).all(...args) as Row[]
      } catch {
        return null
      }
    }
    let names: string[] | null = null
    // Every metric name readable anywhere in the library (runs share them), found once.
    const metricNames = () => (names ??= [...new Set(readableRuns().flatMap((id) => (read('SELECT DISTINCT name FROM metrics WHERE run_id = ?', id) ?? []).map((r) => String(r.name))))])
    const readableRuns = () => (read('SELECT id FROM runs') ?? []).map((r) => Number(r.id))
    const maxId = (read('SELECT max(id) AS n FROM runs')?.[0]?.n as number | null) ?? (read("SELECT seq AS n FROM sqlite_sequence WHERE name = 'runs'")?.[0]?.n as number | null) ?? 0
    for (let id = 1; id <= maxId; id++) {
      const row = read('SELECT * FROM runs WHERE id = ?', id)
      if (row === null) {
        lost.push(id)
        continue
      }
      if (row.length === 0) continue
      insert('runs', row)
      let complete = true
      for (const { table, split } of RUN_TABLES) {
        const whole = read(`SELECT * FROM ${table} WHERE run_id = ?`, id)
        if (whole) {
          insert(table, whole)
          continue
        }
        complete = false
        if (!split) {
          skipped[table] = (skipped[table] ?? 0) + 1
          continue
        }
        const steps = Math.max(1, Number(row[0].total_steps) || 1)
        // A range read must follow the key, or it scans the bad page anyway: metrics are keyed
        // (run, name, step), so each metric name (as other runs store them) is split on its own.
        const keys = table === 'metrics' ? metricNames() : [null]
        for (const name of keys) {
          const byName = name === null ? '' : ' AND name = ?'
          const got = bisect((lo, hi) => read(`SELECT * FROM ${table} WHERE run_id = ?${byName} AND ${split} BETWEEN ? AND ?`, ...(name === null ? [id] : [id, name]), lo, hi), 0, steps + 1)
          insert(table, got.rows)
          skipped[table] = (skipped[table] ?? 0) + got.missedSteps
        }
      }
      const count = (table: string, what: string) => (dst.prepare(`SELECT count(${what}) AS n FROM ${table} WHERE run_id = ?`).get(id) as { n: number }).n
      runs.push({ runId: id, name: String(row[0].name), metrics: count('metrics', '*'), snapshots: count('snapshots', 'DISTINCT step'), complete })
    }
    for (const table of ['sweeps', 'figure_styles', 'meta']) {
      const rows = read(`SELECT * FROM ${table}`)
      if (rows) insert(table, rows)
      else skipped[table] = (skipped[table] ?? 0) + 1
    }
    const links = read('SELECT * FROM sweep_runs')
    if (links) insert('sweep_runs', links.filter((l) => runs.some((r) => r.runId === l.run_id)))
    return { from, to, runs, lost, skipped, integrity: dst.pragma('integrity_check', { simple: true }) as string }
  } finally {
    src.close()
    target.close()
  }
}

/** Rows of [lo, hi] read through `read`, halving every range whose read fails down to single steps. */
function bisect(read: (lo: number, hi: number) => Row[] | null, lo: number, hi: number): { rows: Row[]; missedSteps: number } {
  const rows = read(lo, hi)
  if (rows) return { rows, missedSteps: 0 }
  if (lo >= hi) return { rows: [], missedSteps: 1 }
  const mid = Math.floor((lo + hi) / 2)
  const a = bisect(read, lo, mid)
  const b = bisect(read, mid + 1, hi)
  return { rows: [...a.rows, ...b.rows], missedSteps: a.missedSteps + b.missedSteps }
}
