import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { useTempDir } from '../../../test/helpers/temp-dir'
import { parseRunConfig } from '../../shared/run-config'
import { RunStore } from './run-store'
import { SCHEMA_VERSION } from './schema'

const config = parseRunConfig({ p: 7, frac: 0.5, steps: 100, lr: 1e-3 })
const hash = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex')

describe('run store', () => {
  const tempDir = useTempDir()
  const fresh = () => RunStore.open(path.join(tempDir(), 'lib.sqlite'))

  it('creates a versioned WAL library and stores the config verbatim', () => {
    const store = fresh()
    const id = store.createRun({ name: 'r', preset: 'x', config, appVersion: '9.9.9', tags: ['a'] })
    const run = store.getRun(id)
    expect(run.config).toEqual(config)
    expect(run.status).toBe('queued')
    expect(run.tags).toEqual(['a'])
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    store.close()
  })

  it('keeps metrics in long format and derives the summary and clocks', () => {
    const store = fresh()
    const id = store.createRun({ name: 'r', preset: null, config, appVersion: '0' })
    const rows = (step: number, trainAcc: number, testAcc: number) => [
      { name: 'train_acc', step, value: trainAcc, wallSeconds: step / 10 },
      { name: 'test_acc', step, value: testAcc, wallSeconds: step / 10 },
      { name: 'train_loss', step, value: 1 / (step + 1), wallSeconds: step / 10 },
    ]
    store.appendMetrics(id, rows(0, 0.1, 0.0))
    store.appendMetrics(id, rows(10, 0.995, 0.2))
    store.appendMetrics(id, rows(20, 1, 0.991))
    const s = store.summary(id)!
    expect(s).toMatchObject({ step: 20, trainAcc: 1, testAcc: 0.991, tMem: 10, tGen: 20 })
    const series = store.readSeries(id, ['test_acc'])
    expect(series).toEqual([{ name: 'test_acc', steps: [0, 10, 20], values: [0, 0.2, 0.991], wallSeconds: [0, 1, 2] }])
    store.truncateFrom(id, 20)
    expect(store.summary(id)).toMatchObject({ step: 10, tGen: null })
    store.close()
  })

  it('round-trips snapshots and checkpoints bit for bit, in tensor order', () => {
    const store = fresh()
    const id = store.createRun({ name: 'r', preset: null, config, appVersion: '0' })
    const z = new Float32Array([1.5, -0, Number.MIN_VALUE, 3e38])
    const a = new Float32Array([7])
    store.writeSnapshot(id, 5, [{ name: 'zeta', shape: [2, 2], data: z }, { name: 'alpha', shape: [1], data: a }])
    const snap = store.readSnapshot(id, 5)
    expect(snap.map((t) => t.name)).toEqual(['zeta', 'alpha'])
    expect(Buffer.from(snap[0].data.buffer).equals(Buffer.from(z.buffer))).toBe(true)
    expect(store.snapshotSteps(id)).toEqual([5])
    expect(store.snapshotTensors(id, 5)).toEqual([{ name: 'zeta', shape: [2, 2] }, { name: 'alpha', shape: [1] }])
    expect(store.checkpointStep(id)).toBeNull()
    store.saveCheckpoint(id, { step: 40, wallSeconds: 2, params: { w: z }, optimizer: { step: 40, slots: { w: [a, z] } } })
    store.saveCheckpoint(id, { step: 60, wallSeconds: 3, params: { w: a }, optimizer: { step: 60, slots: { w: [z, a] } } })
    const cp = store.loadCheckpoint(id)!
    expect(cp.step).toBe(60)
    expect(store.checkpointStep(id)).toBe(60)
    expect(Array.from(cp.params.w)).toEqual([7])
    expect(cp.optimizer.slots.w.map((s) => s.length)).toEqual([4, 1])
    expect(store.getRun(id).stepsDone).toBe(60)
    store.close()
  })

  it('deletes a run with everything stored for it', () => {
    const store = fresh()
    const id = store.createRun({ name: 'r', preset: null, config, appVersion: '0' })
    store.appendMetrics(id, [{ name: 'train_loss', step: 0, value: 1, wallSeconds: 0 }])
    store.writeSnapshot(id, 0, [{ name: 'w', shape: [1], data: new Float32Array([1]) }])
    store.deleteRun(id)
    expect(() => store.getRun(id)).toThrow(/no run/)
    for (const table of ['metrics', 'snapshots', 'run_summary']) {
      expect(store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 })
    }
    store.close()
  })

  it('marks runs whose worker died as interrupted', () => {
    const file = path.join(tempDir(), 'lib.sqlite')
    const store = RunStore.open(file)
    const id = store.createRun({ name: 'r', preset: null, config, appVersion: '0' })
    store.markRunning(id, 2 ** 22 + 12345, 'wasm') // no such process
    store.close()
    const reopened = RunStore.open(file)
    expect(reopened.getRun(id).status).toBe('interrupted')
    reopened.close()
  })

  it('refuses a file that is not a lab library and leaves it untouched', () => {
    const dir = tempDir()
    const text = path.join(dir, 'notes.txt')
    fs.writeFileSync(text, 'my precious notes, not a database\n')
    const before = hash(text)
    expect(() => RunStore.open(text)).toThrow(/not a Grokking Lab database/)
    expect(hash(text)).toBe(before)

    const other = path.join(dir, 'other.sqlite')
    const db = new Database(other)
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)')
    db.close()
    const beforeDb = hash(other)
    expect(() => RunStore.open(other)).toThrow(/not a Grokking Lab library/)
    expect(hash(other)).toBe(beforeDb)
  })

  it('says clearly when the library cannot be created', () => {
    const dir = tempDir()
    const blocker = path.join(dir, 'file')
    fs.writeFileSync(blocker, 'x')
    expect(() => RunStore.open(path.join(blocker, 'lib.sqlite'))).toThrow(/cannot create a run library/)
  })
})
