import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { runCli, spawnCli } from '../helpers/run-cli'
import { useTempDir } from '../helpers/temp-dir'

describe('sweeps', () => {
  const tempDir = useTempDir()

  it('a three-value λ sweep with two seeds reports the exponent of T_gen against λ with its interval', async () => {
    const db = path.join(tempDir(), 'lib.sqlite')
    const r = await runCli(['sweep', '--preset', 'modadd-mlp-small', '--steps', '2500', '--grid', 'wd=1,2,4', '--seeds', '2', '--db', db, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out).toMatchObject({ done: 6, total: 6, failed: [] })
    const runs = out.report.runs
    expect(runs.map((x: { point: { wd: number; seed: number } }) => [x.point.wd, x.point.seed])).toEqual([[1, 0], [1, 1], [2, 0], [2, 1], [4, 0], [4, 1]])
    // Measured here: wd 1 and 2 grok for both seeds; at wd 4 seed 0 stays memorized within the budget.
    expect(runs.filter((x: { phase: string }) => x.phase === 'grokked').length).toBeGreaterThanOrEqual(4)
    const tGen = out.report.fits.find((f: { clock: string; key: string }) => f.clock === 'T_gen' && f.key === 'wd')
    expect(tGen.fit.n + tGen.censored).toBe(6)
    expect(tGen.fit.n).toBeGreaterThanOrEqual(4)
    expect(tGen.predicted.value).toBe(-1)
    const [lo, hi] = tGen.fit.slopeInterval
    expect(lo).toBeLessThan(tGen.fit.slope)
    expect(hi).toBeGreaterThan(tGen.fit.slope)

    const listed = JSON.parse((await runCli(['sweeps', '--db', db, '--json'])).stdout)
    expect(listed).toMatchObject([{ id: out.sweepId, seeds: 2, runs: 6, completed: 6 }])
    const text = await runCli(['sweep-report', String(out.sweepId), '--db', db])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/T_gen\s+log T ~ log wd\s+-\s+-?\d\.\d+\s+\[-?\d/)
  }, 600_000)

  for (const batch of [1, 3]) {
  it(`a sweep killed mid-run continues where it stopped (${batch === 1 ? 'one run per worker' : 'runs batched'})`, async () => {
    const db = path.join(tempDir(), 'lib.sqlite')
    const args = ['sweep', '--preset', 'modadd-mlp-small', '--steps', '1500', '--set', 'checkpoint_every=100', '--grid', 'wd=1,2,3', '--batch', String(batch), '--db', db]
    const { child, result } = spawnCli([...args, '--json'])
    const read = <T>(sql: string) => {
      const conn = new Database(db, { readonly: true, fileMustExist: true })
      try {
        return conn.prepare(sql).all() as T[]
      } finally {
        conn.close()
      }
    }
    // While polling: the file exists a moment before its schema does, and then holds nothing yet.
    const poll = <T>(sql: string): T[] => {
      try {
        return read<T>(sql)
      } catch (e) {
        if (/no such table/.test(String(e))) return []
        throw e
      }
    }
    // Kill the sweep once its second run has a checkpoint.
    for (let i = 0; i < 1200; i++) {
      await new Promise((r) => setTimeout(r, 100))
      if (!fs.existsSync(db)) continue
      if (poll<{ run_id: number }>('SELECT run_id FROM checkpoints WHERE run_id = 2 AND step >= 200').length) break
    }
    child.kill('SIGKILL')
    await result
    // The orphaned worker notices its host is gone and stops at a checkpoint. On a loaded CI machine
    // (other test files training beside it) that took over 30 s once, so wait up to 2 minutes.
    for (let i = 0; i < 1200; i++) {
      await new Promise((r) => setTimeout(r, 100))
      // Every run the worker held (one, or the whole batch) has recorded how it ended.
      if (!read<{ id: number }>("SELECT id FROM runs WHERE status = 'running'").length) break
    }
    const before = read<{ id: number; status: string }>('SELECT id, status FROM runs ORDER BY id')
    // A batch trains its runs in lockstep, so all three stop together at one checkpoint.
    expect(before.map((r) => r.status)).toEqual(batch === 1 ? ['completed', 'cancelled', 'queued'] : ['cancelled', 'cancelled', 'cancelled'])
    if (batch > 1) expect(new Set(read<{ step: number }>('SELECT step FROM checkpoints').map((r) => r.step)).size).toBe(1)

    const resumed = await runCli(['sweep', '--resume', '1', '--db', db, '--json'])
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(JSON.parse(resumed.stdout)).toMatchObject({ done: 3, total: 3 })
    for (const id of [1, 2, 3]) {
      const steps = read<{ step: number }>(`SELECT step FROM metrics WHERE run_id = ${id} AND name = 'train_loss' ORDER BY step`).map((r) => r.step)
      expect(steps).toEqual(Array.from({ length: 76 }, (_, i) => i * 20))
    }
    expect(read<{ n: number }>('SELECT count(*) AS n FROM runs')[0].n).toBe(3)
  }, 300_000)
  }
})
