// Kills at random moments: a training worker SIGKILLed again and again (during start-up, steps,
// evaluations, snapshot and checkpoint writes) resumes each time and ends on the same curve and
// clocks as a run never killed; a sweep killed with its worker resumes to every run complete; an
// import killed mid-way leaves no half-made run. The library's
// integrity check runs after every kill. The moments come from a seeded generator: the seed is
// printed, and RELIABILITY_SEED=N replays a run of the suite.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { spawnCli } from '../helpers/run-cli'
import { getPreset } from '../../src/lab/presets'
import { parseRunConfig } from '../../src/shared/run-config'
import { RunStore } from '../../src/lab/store/run-store'
import { checkLibrary } from '../../src/lab/store/library-check'
import { processAlive } from '../../src/lab/store/process-alive'
import { startTraining } from '../../src/lab/worker/training-host'
import { runResultJson } from '../../src/cli/run-json'
import { runMain } from './in-process-cli'
import { count } from './reliability-counts'

const SEED = Number(process.env.RELIABILITY_SEED ?? Date.now() % 100_000)
console.log(`reliability kills: RELIABILITY_SEED=${SEED}`)

/** mulberry32: a small seeded generator, so a failing set of moments can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokking-lab-kills-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Waits (5 s at most) until no run of the library names a worker that is still alive. */
async function workersGone(db: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    const look = new Database(db, { readonly: true, fileMustExist: true })
    let pids: number[] = []
    try {
      pids = (look.prepare('SELECT worker_pid AS pid FROM runs WHERE worker_pid IS NOT NULL').all() as { pid: number }[]).map((r) => r.pid)
    } catch {
      // No schema yet: nothing was running.
    } finally {
      look.close()
    }
    if (!pids.some((pid) => processAlive(pid))) return
    await sleep(20)
  }
}

/** After a kill: the file is sound, and once opened no run is left marked running. */
function expectSound(db: RunStore['path']): void {
  RunStore.open(db).close()
  const report = checkLibrary(db)
  expect(report.integrity).toEqual(['ok'])
  expect(report.orphans).toEqual([])
  // Queued runs wait for a worker that may not have started yet; none may be left 'running'.
  expect(report.stale.filter((s) => s.status === 'running')).toEqual([])
  count('integrity checks ok', 1)
}

const STEPS = 400
const config = parseRunConfig({ ...getPreset('modadd-mlp-small').config, steps: STEPS, eval_every: 10, checkpoint_every: 40 })

describe('kills at random moments', () => {
  const next = random(SEED)

  it('a worker killed again and again resumes to the same curve and clocks as one never killed', async () => {
    const db = path.join(dir, 'train.sqlite')
    const store = RunStore.open(db)
    const [killed, reference] = ['killed', 'reference'].map((name) => store.createRun({ name, preset: 'modadd-mlp-small', config, appVersion: 't', tags: [] }))
    store.close()
    const job = (runId: number, resume: boolean) => ({ dbPath: db, runId, backend: 'wasm' as const, resume })
    // The reference trains beside the kills, on one thread each so the two share the cores evenly.
    const straight = startTraining(job(reference, false), () => {}, { threads: 1 })

    let kills = 0
    for (let attempt = 0; attempt < 3; attempt++) {
      const handle = startTraining(job(killed, attempt > 0), () => {}, { threads: 1 })
      // From the worker's start-up (no step yet) to well into training.
      await Promise.race([sleep(300 + next() * 2700), handle.done])
      process.kill(handle.pid, 'SIGKILL')
      const exit = await handle.done
      if (exit.signal === 'SIGKILL') kills++
      expectSound(db)
      const look = RunStore.open(db, { readonly: true })
      const run = look.getRun(killed)
      // Every snapshot kept holds all its tensors: none was left half-written by the kill.
      const perStep = look.db.prepare('SELECT step, count(*) AS n FROM snapshots WHERE run_id = ? GROUP BY step').all(killed) as { n: number }[]
      look.close()
      expect(new Set(perStep.map((s) => s.n)).size).toBeLessThanOrEqual(1)
      if (exit.signal === 'SIGKILL') expect(['interrupted', 'queued']).toContain(run.status)
    }
    const last = startTraining(job(killed, true), () => {}, { threads: 1 })
    expect((await last.done).last?.type).toBe('finished')
    expect((await straight.done).last?.type).toBe('finished')
    expectSound(db)

    const look = RunStore.open(db, { readonly: true })
    const [a, b] = [killed, reference].map((id) => ({ result: runResultJson(look, id), series: look.readSeries(id) }))
    look.close()
    expect(a.result).toMatchObject({ status: 'completed', steps: STEPS })
    expect(a.result.T_mem).toBe(b.result.T_mem)
    expect(a.result.T_gen).toBe(b.result.T_gen)
    for (const name of ['train_loss', 'test_loss', 'train_acc', 'test_acc']) {
      const [sa, sb] = [a, b].map((r) => r.series.find((s) => s.name === name)!)
      expect(sa.steps, name).toEqual(Array.from({ length: STEPS / 10 + 1 }, (_, i) => i * 10))
      expect(sa.steps).toEqual(sb.steps)
      sa.values.forEach((v, i) => expect(v, `${name} at step ${sa.steps[i]}`).toBeCloseTo(sb.values[i], 4))
    }
    expect(kills).toBeGreaterThanOrEqual(2)
    count('kills survived', kills)
  }, 120_000)

  it('a sweep killed with its worker at a random moment resumes to every run complete', async () => {
    const db = path.join(dir, 'sweep.sqlite')
    const bin = path.resolve(__dirname, '../../bin/grokking-lab.mjs')
    const args = ['sweep', '--preset', 'modadd-mlp-small', '--steps', '200', '--set', 'eval_every=10', '--set', 'checkpoint_every=40', '--grid', 'wd=1,2', '--batch', '1', '--backend', 'wasm', '--db', db]
    // Its own process group, so one kill takes the host and its worker at the same instant.
    const child = spawn(process.execPath, [bin, ...args], { detached: true, stdio: 'ignore', env: { ...process.env, GROKKING_LAB_THREADS: '1' } })
    const gone = new Promise((r) => child.on('exit', r))
    let exited = false
    void gone.then(() => (exited = true))
    while (!exited && !fs.existsSync(db)) await sleep(20)
    await Promise.race([sleep(500 + next() * 3000), gone])
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // The sweep had finished.
    }
    await gone
    const killed = !exited || child.signalCode === 'SIGKILL'
    // The host's exit is seen first; its worker, killed in the same instant, may take a moment more
    // to be gone, and until then its run is rightly taken for running elsewhere.
    await workersGone(db)
    expectSound(db)
    const resumed = await runMain(['sweep', '--resume', '1', '--backend', 'wasm', '--db', db, '--json'])
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(JSON.parse(resumed.stdout)).toMatchObject({ done: 2, total: 2, failed: [] })
    expectSound(db)
    const look = RunStore.open(db, { readonly: true })
    for (const run of look.listRuns()) {
      expect(run.status).toBe('completed')
      expect(look.readSeries(run.id, ['train_loss'])[0].steps).toEqual(Array.from({ length: 21 }, (_, i) => i * 10))
    }
    look.close()
    if (killed) count('kills survived', 1)
  }, 120_000)

  it('an import killed at a random moment leaves the library whole and no half-made run', async () => {
    const source = path.join(dir, 'train.sqlite')
    const weights = path.join(dir, 'weights.safetensors')
    expect((await runMain(['export-weights', '1', '--out', weights, '--db', source])).code).toBe(0)
    const db = path.join(dir, 'import.sqlite')
    let kills = 0
    for (let attempt = 0; attempt < 2; attempt++) {
      const { child, result } = spawnCli(['import', weights, '--model', 'embed-mlp', '--p', String(config.p), '--frac', String(config.frac), '--db', db])
      let exited = false
      void result.then(() => (exited = true))
      // The import loads its backend before it opens the library; the moment that matters is
      // after, while it evaluates and writes: up to 300 ms after the library file appears.
      while (!exited && !fs.existsSync(db)) await sleep(20)
      await Promise.race([sleep(next() * 300), result])
      child.kill('SIGKILL')
      const r = await result
      if (r.code === null) kills++
      expectSound(db)
      const look = RunStore.open(db, { readonly: true })
      // Each run is there whole (its step-0 snapshot and metrics) or not at all.
      for (const run of look.listRuns()) {
        expect(run.status).toBe('imported')
        expect(look.db.prepare('SELECT count(*) AS n FROM snapshots WHERE run_id = ?').get(run.id)).not.toEqual({ n: 0 })
        expect(look.db.prepare("SELECT count(*) AS n FROM metrics WHERE run_id = ? AND name = 'all_acc'").get(run.id)).toEqual({ n: 1 })
      }
      look.close()
    }
    count('kills survived', kills)
  }, 60_000)
})
