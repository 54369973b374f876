// Four `train` processes on one library at once, with a reader listing it the whole time: no
// "database is locked", no lost rows, and an intact file afterwards.
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { runCli, spawnCli } from '../helpers/run-cli'
import { useTempDir } from '../helpers/temp-dir'
import { count } from './reliability-counts'

const STEPS = 60
const EVERY = 10

describe('many writers', () => {
  const tempDir = useTempDir()

  it('four trainers and a reader share a library without a lock error or a lost row', async () => {
    const db = path.join(tempDir(), 'lab.sqlite')
    const trainers = [0, 1, 2, 3].map((seed) => spawnCli(['train', '--preset', 'modadd-mlp-small', '--steps', String(STEPS), '--set', `eval_every=${EVERY}`, '--set', `seed=${seed}`, '--db', db, '--json']))
    let reading = true
    const reads: { code: number | null; stderr: string }[] = []
    const reader = (async () => {
      while (reading) reads.push(await runCli(['runs', '--db', db, '--json']))
    })()
    const results = await Promise.all(trainers.map((t) => t.result))
    reading = false
    await reader
    for (const r of results) {
      expect(r.stderr).not.toMatch(/locked|busy/i)
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'completed', steps: STEPS })
    }
    expect(reads.length).toBeGreaterThan(0)
    for (const r of reads) expect(r.stderr).not.toMatch(/locked|busy|malformed/i)

    const look = new Database(db, { readonly: true })
    expect(look.pragma('integrity_check', { simple: true })).toBe('ok')
    const ids = (look.prepare('SELECT id FROM runs ORDER BY id').all() as { id: number }[]).map((r) => r.id)
    expect(ids).toEqual([1, 2, 3, 4])
    // Every evaluation of every run is there: steps 0, 10, …, 60 of test_acc.
    for (const id of ids) {
      const n = (look.prepare("SELECT count(*) AS n FROM metrics WHERE run_id = ? AND name = 'test_acc'").get(id) as { n: number }).n
      expect(n).toBe(STEPS / EVERY + 1)
    }
    look.close()
    expect((await runCli(['check', '--db', db])).code).toBe(0)
    count('concurrent writers', trainers.length)
    count('integrity checks ok', 1)
  }, 240_000)
})
