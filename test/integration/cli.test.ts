import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { runCli, spawnCli } from '../helpers/run-cli'
import { useTempDir } from '../helpers/temp-dir'

const hash = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex')

describe('grokking-lab command', () => {
  const tempDir = useTempDir()

  it('trains a preset end to end and keeps it in the library', async () => {
    const db = path.join(tempDir(), 'lib.sqlite')
    const train = await runCli(['train', '--preset', 'modadd-mlp-small', '--steps', '60', '--set', 'eval_every=10', '--db', db, '--json'])
    expect(train.stderr).toBe('')
    expect(train.code).toBe(0)
    const result = JSON.parse(train.stdout)
    expect(result).toMatchObject({ status: 'completed', steps: 60, backend: 'wasm', name: 'modadd-mlp-small' })
    expect(result.msPerStep).toBeGreaterThan(0)
    for (const key of ['trainLoss', 'testLoss', 'trainAcc', 'testAcc']) expect(typeof result[key]).toBe('number')
    expect(result).toHaveProperty('T_mem')
    expect(result).toHaveProperty('T_gen')

    const show = JSON.parse((await runCli(['show', String(result.runId), '--db', db, '--json'])).stdout)
    expect(show.run.config).toMatchObject({ p: 31, frac: 0.6, steps: 60, eval_every: 10, fast_path: 'auto' })
    expect(show.run.engine).toMatch(/^fast path: onnxruntime-node/)
    const trainLoss = show.metrics.find((m: { name: string }) => m.name === 'train_loss')
    expect(trainLoss).toMatchObject({ points: 7, firstStep: 0, lastStep: 60 })
    expect(show.snapshots.count).toBeGreaterThan(2)
    expect(show.snapshots.steps).toContain(60)
    expect(show.snapshots.tensors.map((t: { name: string }) => t.name)).toEqual(['E', 'W_in', 'b_in', 'W_out', 'b_out'])
    expect(show.checkpointStep).toBe(60)

    const runs = JSON.parse((await runCli(['runs', '--db', db, '--json'])).stdout)
    expect(runs.map((r: { runId: number }) => r.runId)).toEqual([result.runId])
    expect((await runCli(['delete', String(result.runId), '--db', db])).code).toBe(0)
    expect(JSON.parse((await runCli(['runs', '--db', db, '--json'])).stdout)).toEqual([])
  })

  it('lists presets and backends', async () => {
    const presets = JSON.parse((await runCli(['presets', '--json'])).stdout)
    expect(presets.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['modadd-mlp', 'modadd-mlp-nowd', 'nanda-transformer']),
    )
    const nanda = presets.find((p: { name: string }) => p.name === 'nanda-transformer')
    expect(nanda.config).toMatchObject({ model: 'transformer-1l', p: 113, frac: 0.3, lr: 1e-3, wd: 1, beta2: 0.98 })
    const backends = JSON.parse((await runCli(['backends', '--json'])).stdout)
    expect(backends.backends.map((b: { name: string }) => b.name)).toEqual(['tensorflow', 'webgpu', 'wasm', 'cpu'])
    const tensorflow = backends.backends[0]
    if (!tensorflow.available) expect(tensorflow.reason).toMatch(/not installed|libtensorflow/)
    expect(backends.auto).toBe(backends.backends.find((b: { available: boolean; software?: boolean }) => b.available && !b.software).name)
  })

  describe('bad input gets one line, exit code 2, and no data touched', () => {
    const cases: [string, string[], RegExp][] = [
      ['unknown preset', ['--preset', 'nope'], /unknown preset 'nope'.*modadd-mlp/],
      ['unknown key', ['--preset', 'modadd-mlp', '--set', 'learning_rate=1'], /unknown config key 'learning_rate'/],
      ['p < 2', ['--preset', 'modadd-mlp', '--set', 'p=1'], /p must be an integer ≥ 2/],
      ['f outside (0,1)', ['--preset', 'modadd-mlp', '--set', 'frac=1.5'], /frac .* between 0 and 1/],
      ['negative lr', ['--preset', 'modadd-mlp', '--set', 'lr=-0.1'], /lr must be > 0/],
      ['unknown backend', ['--preset', 'modadd-mlp', '--backend', 'tpu'], /tpu/],
    ]
    for (const [label, args, message] of cases) {
      it(label, async () => {
        const db = path.join(tempDir(), 'lib.sqlite')
        const r = await runCli(['train', ...args, '--db', db])
        expect(r.code).toBe(2)
        expect(r.stderr).toMatch(message)
        expect(r.stderr).not.toMatch(/\n\s+at /)
        expect(fs.existsSync(db)).toBe(false)
      })
    }

    it('unwritable db path', async () => {
      const blocker = path.join(tempDir(), 'a-file')
      fs.writeFileSync(blocker, 'x')
      const r = await runCli(['train', '--preset', 'modadd-mlp-small', '--db', path.join(blocker, 'lib.sqlite')])
      expect(r.code).toBe(2)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(/cannot create a run library/)
    })

    it('a file that is not a lab database', async () => {
      const file = path.join(tempDir(), 'thesis.sqlite')
      fs.writeFileSync(file, 'chapter one: it was a dark and stormy night')
      const before = hash(file)
      for (const args of [['train', '--preset', 'modadd-mlp-small'], ['runs'], ['show', '1']]) {
        const r = await runCli([...args, '--db', file])
        expect(r.code).toBe(2)
        expect(r.stderr).toMatch(/not a Grokking Lab database/)
      }
      expect(hash(file)).toBe(before)
    })

    it('an unknown run', async () => {
      const db = path.join(tempDir(), 'lib.sqlite')
      await runCli(['runs', '--db', db])
      const r = await runCli(['show', '42', '--db', db])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/no run 42/)
    })
  })

  it('a kill -9 of the worker leaves a consistent library and a resumable run', async () => {
    const db = path.join(tempDir(), 'lib.sqlite')
    const args = ['--preset', 'modadd-mlp-small', '--steps', '3000', '--set', 'eval_every=10', '--set', 'checkpoint_every=50']
    const { result } = spawnCli(['train', ...args, '--db', db, '--json'])
    const reader = () => new Database(db, { readonly: true, fileMustExist: true })
    let workerPid = 0
    for (let i = 0; i < 600 && !workerPid; i++) {
      await new Promise((r) => setTimeout(r, 100))
      if (!fs.existsSync(db)) continue
      const conn = reader()
      let row: { pid: number; step: number } | undefined
      try {
        row = conn.prepare('SELECT r.worker_pid AS pid, c.step FROM runs r JOIN checkpoints c ON c.run_id = r.id').get() as typeof row
      } catch (e) {
        // The file exists a moment before its schema does: keep polling until the tables are there.
        if (!/no such table/.test(String(e))) throw e
      } finally {
        conn.close()
      }
      if (row && row.step >= 100) workerPid = row.pid
    }
    expect(workerPid).toBeGreaterThan(0)
    process.kill(workerPid, 'SIGKILL')
    const killed = await result
    expect(killed.code).toBe(1)
    expect(killed.stderr).toMatch(/resume 1/)

    const conn = reader()
    expect(conn.pragma('integrity_check', { simple: true })).toBe('ok')
    conn.close()
    const runs = JSON.parse((await runCli(['runs', '--db', db, '--json'])).stdout)
    expect(runs[0].status).toBe('interrupted')

    const resumed = await runCli(['resume', '1', '--db', db, '--json'])
    expect(resumed.code).toBe(0)
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'completed', steps: 3000 })
    const check = reader()
    const steps = (check.prepare("SELECT step FROM metrics WHERE run_id = 1 AND name = 'train_loss' ORDER BY step").all() as { step: number }[]).map((r) => r.step)
    check.close()
    expect(steps).toEqual(Array.from({ length: 301 }, (_, i) => i * 10))
  })
})
