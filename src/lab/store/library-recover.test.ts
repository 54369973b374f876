import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { useTempDir } from '../../../test/helpers/temp-dir'
import { parseRunConfig } from '../../shared/run-config'
import { checkLibrary } from './library-check'
import { recoverLibrary } from './library-recover'
import { RunStore } from './run-store'


const ROWS = 3000

/** A library of three runs, written one after the other so each run's rows fill their own pages. */
function library(dir: string): string {
  const file = path.join(dir, 'lib.sqlite')
  const store = RunStore.open(file)
  for (let r = 0; r < 3; r++) {
    const id = store.createRun({ name: `run ${r}`, preset: null, config: parseRunConfig({ p: 7, steps: ROWS, lr: 1e-3 }), appVersion: 't', tags: [] })
    store.appendMetrics(id, Array.from({ length: ROWS }, (_, step) => ({ name: 'train_loss', step, value: 1 / (step + 1), wallSeconds: step })))
    store.finishRun(id, 'completed', { stepsDone: ROWS })
  }
  // Everything into the main file, as after a clean close: the damage below hits the library itself.
  store.db.pragma('wal_checkpoint(TRUNCATE)')
  store.close()
  return file
}

describe('check and recover', () => {
  const tempDir = useTempDir()

  it('check says an intact library is sound, and names a stale running run', () => {
    const file = library(tempDir())
    const store = RunStore.open(file)
    store.db.prepare("UPDATE runs SET status = 'running', worker_pid = 999999 WHERE id = 2").run()
    store.db.close()
    const report = checkLibrary(file)
    expect(report.integrity).toEqual(['ok'])
    expect(report.orphans).toEqual([])
    expect(report.stale).toEqual([{ runId: 2, status: 'running', pid: 999999 }])
    expect(report.runs).toBe(3)
  })

  it('recover salvages the intact runs of a library with overwritten pages, and check reports the damage', () => {
    const dir = tempDir()
    const file = library(dir)
    // Garbage over two leaf pages of the metrics table in the middle of its key range (the second
    // run's rows), found with SQLite's dbstat table. A damaged leaf costs its own rows; damage to
    // an interior page would cost the rows under it (see docs/reliability.md).
    const look = new Database(file, { readonly: true })
    const leaves = (look.prepare("SELECT pageno FROM dbstat WHERE name = 'metrics' AND pagetype = 'leaf' ORDER BY path").all() as { pageno: number }[]).map((r) => r.pageno)
    look.close()
    const bytes = fs.readFileSync(file)
    const pageSize = bytes.readUInt16BE(16)
    const middle = Math.floor(leaves.length / 2)
    for (const page of leaves.slice(middle, middle + 2)) bytes.fill(0xa5, (page - 1) * pageSize, page * pageSize)
    fs.writeFileSync(file, bytes)

    const report = checkLibrary(file)
    expect(report.ok).toBe(false)
    expect(report.integrity.join('\n')).not.toBe('ok')

    const out = path.join(dir, 'recovered.sqlite')
    const recovered = recoverLibrary(file, out)
    expect(recovered.integrity).toBe('ok')
    expect(recovered.runs.map((r) => r.name)).toEqual(['run 0', 'run 1', 'run 2'])
    const whole = recovered.runs.filter((r) => r.metrics === ROWS && r.complete)
    const damaged = recovered.runs.filter((r) => !r.complete)
    // Two bad pages hold some hundreds of one run's rows: the other runs come back whole, and the
    // damaged one keeps every row that was not on those pages.
    expect(whole).toHaveLength(2)
    expect(damaged).toHaveLength(1)
    expect(damaged[0].metrics).toBeGreaterThan(ROWS / 2)
    expect(damaged[0].metrics + recovered.skipped.metrics).toBeGreaterThanOrEqual(ROWS)
    // The new file is a library the lab opens, with every surviving row readable.
    const store = RunStore.open(out)
    expect(store.readSeries(whole[0].runId)[0].steps).toHaveLength(ROWS)
    store.close()
    expect(checkLibrary(out).ok).toBe(true)
  })
})
