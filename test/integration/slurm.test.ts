import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/run-cli'
import { slurmUnavailable, startSlurmCluster, type SlurmCluster } from '../helpers/slurm-cluster'
import { collectSlurmSweep } from '../../src/lab/cluster/collect'
import { readTaskStatus, type TaskStatusFile } from '../../src/lab/cluster/task-status'
import { RunStore } from '../../src/lab/store/run-store'
import { sweepReport } from '../../src/lab/sweeps/sweep-report'

// A real one-node Slurm (slurm-wlm, munge) on localhost. It skips only where its daemons cannot start.
let cluster: SlurmCluster | null = null
let why = slurmUnavailable()
if (!why) {
  try {
    cluster = await startSlurmCluster()
  } catch (e) {
    why = `Slurm's daemons did not start: ${(e as Error).message}`
  }
}
if (why) console.warn(`test/integration/slurm.test.ts skipped: ${why}`)
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-slurm-sweep-'))
afterAll(async () => {
  await cluster?.stop()
  if (cluster) fs.rmSync(cluster.dir, { recursive: true, force: true })
  fs.rmSync(tmp, { recursive: true, force: true })
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function waitFor(what: string, ok: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await sleep(150)
  }
}

/** Every stored evaluation of each run of the library's one sweep, keyed by the run's grid point and seed. */
function seriesByPoint(file: string): Map<string, unknown[]> {
  const db = new Database(file, { readonly: true })
  try {
    const runs = db.prepare('SELECT run_id, point_json FROM sweep_runs').all() as { run_id: number; point_json: string }[]
    const metrics = db.prepare('SELECT name, step, value FROM metrics WHERE run_id = ? ORDER BY name, step')
    const snapshots = db.prepare('SELECT step, tensor, data FROM snapshots WHERE run_id = ? ORDER BY step, ordinal')
    // Tensors compared by digest: a deep equality over megabytes of bytes takes minutes.
    const digest = (rows: { step: number; tensor: string; data: Buffer }[]) =>
      rows.map((t) => `${t.step} ${t.tensor} ${crypto.createHash('sha256').update(t.data).digest('hex')}`)
    return new Map(runs.map((r) => [r.point_json, [metrics.all(r.run_id), digest(snapshots.all(r.run_id) as never)]]))
  } finally {
    db.close()
  }
}

/** The grid point (as stored) of the run with this UUID. */
function pointOf(file: string, uuid: string): string {
  const db = new Database(file, { readonly: true })
  try {
    return (db.prepare('SELECT point_json FROM sweep_runs JOIN runs ON runs.id = run_id WHERE uuid = ?').get(uuid) as { point_json: string }).point_json
  } finally {
    db.close()
  }
}

function collectInto(file: string, dir: string) {
  const store = RunStore.open(file)
  try {
    return collectSlurmSweep(store, dir)
  } finally {
    store.close()
  }
}

const tableCounts = (file: string) => {
  const db = new Database(file, { readonly: true })
  try {
    return ['runs', 'metrics', 'snapshots', 'checkpoints', 'checkpoint_tensors', 'sweeps', 'sweep_runs', 'run_summary'].map(
      (t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n],
    )
  } finally {
    db.close()
  }
}

describe.skipIf(!cluster)('a sweep as a Slurm job array', () => {
  it('runs 4 array tasks, survives a requeue mid-run, and collects to the runs a local sweep trains', async () => {
    const c = cluster!
    const dir = path.join(tmp, 'sweep')
    const home = path.join(tmp, 'home.db')
    const local = path.join(tmp, 'local.db')
    const grid = ['--preset', 'modadd-mlp-small', '--steps', '300', '--set', 'checkpoint_every=50', '--grid', 'wd=0.5,1', '--seeds', '2', '--batch', '1']

    const submitted = await runCli(['sweep', ...grid, '--slurm', dir, '--cpus-per-task', '1', '--json'], c.env)
    expect(submitted.code, submitted.stderr).toBe(0)
    const { jobId, tasks } = JSON.parse(submitted.stdout)
    expect(tasks).toBe(4)
    expect(jobId).toMatch(/^\d+$/)
    expect(fs.readFileSync(path.join(dir, 'sweep.sbatch'), 'utf8')).toContain(`${process.execPath} ${path.resolve('bin/grokking-lab.mjs')} sweep-task`)

    // Kill task 0 mid-run by requeueing it, once it has trained past its first checkpoint.
    const status = (task: number) => readTaskStatus(dir, task)
    const past = (s: TaskStatusFile | null, step: number) => s?.state === 'running' && s.runs[0].step >= step
    await waitFor('task 0 to train past step 50', () => past(status(0), 50), 40_000)
    c.client('scontrol', ['requeue', `${jobId}_0`])
    await waitFor('task 0 to stop', () => status(0)?.state === 'interrupted', 15_000)
    // Slurm holds a requeued job until a begin time about two minutes on; the test lets it start now
    // (once the job is back in the queue: while it completes, the update does not stick).
    const queued = () => c.client('squeue', ['-h', '-j', `${jobId}_0`, '-o', '%T %r']).trim()
    await waitFor('task 0 to be queued again', () => queued() === 'PENDING BeginTime', 15_000)
    c.client('scontrol', ['update', `JobId=${jobId}_0`, 'StartTime=now'])

    // Collecting while the array runs brings what has finished and waits for the rest.
    // (In this process: a CLI start costs seconds, and the CLI's collect is run below.)
    expect(collectInto(home, dir).tasksWaiting).toBeGreaterThan(0)

    await waitFor('every task to finish', () => [0, 1, 2, 3].every((t) => status(t)?.state === 'done'), 60_000)
    const requeued = status(0)!
    expect(requeued.restarts).toBeGreaterThanOrEqual(1)
    // It continued from the checkpoint it wrote when Slurm stopped it, not from step 0.
    expect(requeued.runs[0].fromStep).toBeGreaterThanOrEqual(50)
    expect(requeued.runs[0].step).toBe(300)

    const first = await runCli(['sweep-collect', dir, '--db', home, '--json'])
    expect(first.code, first.stderr).toBe(0)
    expect(JSON.parse(first.stdout)).toMatchObject({ tasksRead: 4, tasksWaiting: 0 })
    const before = tableCounts(home)
    expect(collectInto(home, dir)).toMatchObject({ added: 0, updated: 0, unchanged: 4 })
    expect(tableCounts(home)).toEqual(before)

    // The same grid trained here: runs are determined by config, seed and backend.
    const localSweep = await runCli(['sweep', ...grid, '--concurrency', '2', '--db', local, '--json'])
    expect(localSweep.code, localSweep.stderr).toBe(0)
    const collected = seriesByPoint(home)
    const trained = seriesByPoint(local)
    expect([...collected.keys()].sort()).toEqual([...trained.keys()].sort())
    expect(collected.size).toBe(4)
    // The requeued run resumed at fromStep. relu_churn compares an eval's ReLU pattern with the
    // previous eval's, which a checkpoint does not keep, so the first eval after a resume has none:
    // at fromStep itself when the stop came on an evaluation step (the resumed run evaluates that
    // step again), else at the next one. Every other value, and every snapshot, is the
    // uninterrupted run's exactly.
    const requeuedPoint = pointOf(home, requeued.runs[0].uuid)
    for (const [point, [metrics, snapshots]] of trained) {
      let expected = metrics as { name: string; step: number }[]
      if (point === requeuedPoint) {
        const gap = expected.find((m) => m.name === 'relu_churn' && m.step >= requeued.runs[0].fromStep)!
        expected = expected.filter((m) => m !== gap)
      }
      expect(collected.get(point), point).toEqual([expected, snapshots])
    }

    const clocks = (file: string) => {
      const store = RunStore.open(file, { readonly: true })
      try {
        const report = sweepReport(store, 1)
        return report.runs.map((r) => [JSON.stringify(r.point), r.clocks, r.phase]).sort()
      } finally {
        store.close()
      }
    }
    expect(clocks(home)).toEqual(clocks(local))
  }, 150_000)
})
