// A library on read-only media (a tmpfs remounted read-only): train says so in one line and writes
// nothing; runs, show, series and export still read it. Needs root to mount; elsewhere it says why
// it skips. The commands run through the CLI's main() in this process (runMain), to spare CI a
// Node start-up per command.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runMain } from './in-process-cli'
import { parseRunConfig } from '../../src/shared/run-config'
import { RunStore } from '../../src/lab/store/run-store'
import { count } from './reliability-counts'

const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'grokking-lab-ro-'))
const mounted = (() => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mountPoint], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()
if (!mounted) console.warn(`read-only library test skipped: cannot mount a tmpfs at ${mountPoint} (needs root on Linux)`)
afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint], { stdio: 'ignore' })
  fs.rmSync(mountPoint, { recursive: true, force: true })
})

const listing = (dir: string) => fs.readdirSync(dir).map((n) => `${n}:${fs.statSync(path.join(dir, n)).size}:${fs.statSync(path.join(dir, n)).mtimeMs}`).sort()

describe('a library on read-only media', () => {
  it.skipIf(!mounted)('train refuses in one line and writes nothing; runs, show, series, export, check and recover read it', async () => {
    const db = path.join(mountPoint, 'lab.sqlite')
    const store = RunStore.open(db)
    const id = store.createRun({ name: 'kept', preset: null, config: parseRunConfig({ p: 7, steps: 100, lr: 1e-3 }), appVersion: 't', tags: [] })
    const rows = ['train_loss', 'test_loss', 'train_acc', 'test_acc'].flatMap((name) => Array.from({ length: 100 }, (_, step) => ({ name, step, value: name.endsWith('acc') ? step / 100 : 1 / (step + 1), wallSeconds: step })))
    store.appendMetrics(id, rows)
    store.finishRun(id, 'completed', { stepsDone: 100 })
    store.close()
    // A clean close leaves no WAL index: SQLite cannot make one on read-only media, so the lab
    // must read the file as immutable.
    execFileSync('mount', ['-o', 'remount,ro', mountPoint])
    const before = listing(mountPoint)

    const train = await runMain(['train', '--preset', 'modadd-mlp-small', '--steps', '10', '--db', db])
    expect(train.code).toBe(2)
    expect(train.stderr.trim().split('\n')).toEqual([
      `grokking-lab: the run library ${db} is on a read-only disk, so nothing was written to it; read commands (runs, show, series, export) work where it is, and to train, copy it to a writable disk and pass --db COPY`,
    ])

    const runs = await runMain(['runs', '--db', db, '--json'])
    expect(runs.stderr).toBe('')
    expect(JSON.parse(runs.stdout)).toMatchObject([{ runId: 1, name: 'kept', status: 'completed' }])
    const show = await runMain(['show', '1', '--db', db, '--json'])
    expect(JSON.parse(show.stdout)).toMatchObject({ run: { id: 1, name: 'kept' } })
    const series = await runMain(['series', '1', '--metric', 'train_loss', '--db', db, '--json'])
    expect(series.code).toBe(0)
    expect(series.stdout).toContain('train_loss')
    const out = path.join(os.tmpdir(), `grokking-lab-ro-export-${process.pid}.csv`)
    const exported = await runMain(['export', '1', '--figure', 'curves', '--out', out, '--db', db])
    expect(exported.stderr).toBe('')
    expect(exported.code).toBe(0)
    expect(fs.readFileSync(out, 'utf8')).toContain('0,train_acc,train,1,99,0.99')
    fs.rmSync(out, { force: true })
    const check = await runMain(['check', '--db', db])
    expect(check.code, check.stdout).toBe(0)
    expect(check.stdout).toContain('integrity: ok')
    const copy = path.join(os.tmpdir(), `grokking-lab-ro-recover-${process.pid}.sqlite`)
    const recovered = await runMain(['recover', '--db', db, '--out', copy, '--json'])
    expect(JSON.parse(recovered.stdout)).toMatchObject({ runs: [{ runId: 1, name: 'kept', metrics: 400 }], lost: [] })
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(copy + suffix, { force: true })
    expect(listing(mountPoint)).toEqual(before)
    count('integrity checks ok', 1)
    count('read-only libraries', 1)
  }, 120_000)
})
