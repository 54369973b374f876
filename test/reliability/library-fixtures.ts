// Libraries the reliability tests build and damage.
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { parseRunConfig } from '../../src/shared/run-config'
import { RunStore } from '../../src/lab/store/run-store'

/** A library of `runs` runs of 2,000 metric rows each, all in the main file as after a clean close. */
export function smallLibrary(dir: string, runs = 3): string {
  const file = path.join(dir, 'lib.sqlite')
  const store = RunStore.open(file)
  for (let r = 0; r < runs; r++) {
    const id = store.createRun({ name: `run ${r}`, preset: null, config: parseRunConfig({ p: 7, steps: 2000, lr: 1e-3 }), appVersion: 't', tags: [] })
    store.appendMetrics(id, Array.from({ length: 2000 }, (_, step) => ({ name: 'train_loss', step, value: 1 / (step + 1), wallSeconds: step })))
    store.finishRun(id, 'completed', { stepsDone: 2000 })
  }
  store.db.pragma('wal_checkpoint(TRUNCATE)')
  store.close()
  return file
}

/** Overwrites the table's leaf pages (found with dbstat) with garbage, as a bad disk would. */
export function damagePages(file: string, table: string, pages = 2): void {
  const look = new Database(file, { readonly: true })
  const leaves = (look.prepare('SELECT pageno FROM dbstat WHERE name = ? ORDER BY path').all(table) as { pageno: number }[]).map((r) => r.pageno)
  look.close()
  const bytes = fs.readFileSync(file)
  const pageSize = bytes.readUInt16BE(16)
  for (const page of leaves.slice(0, pages)) bytes.fill(0xa5, (page - 1) * pageSize, page * pageSize)
  fs.writeFileSync(file, bytes)
}
