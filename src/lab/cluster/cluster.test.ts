import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it, vi } from 'vitest'
import { sweepsCommand } from '../../cli/commands/sweep'
import { createLabService } from '../api/lab-service'
import { useTempDir } from '../../../test/helpers/temp-dir'
import { damagePages, smallLibrary } from '../../../test/reliability/library-fixtures'
import { isLabError } from '../../shared/lab-error'
import { parseRunConfig, type RunConfig } from '../../shared/run-config'
import { RunStore } from '../store/run-store'
import { APPLICATION_ID, MIGRATIONS } from '../store/schema'
import { planUnits } from '../sweeps/batch-plan'
import { SweepStore, sweepProgress, sweepState } from '../sweeps/sweep-store'
import { collectSlurmSweep, collectedRuns } from './collect'
import { mergeLibrary, openSourceLibrary } from './merge-library'
import { sbatchScript } from './sbatch-script'
import { planSlurmSweep, readSlurmPlan, slurmPaths, writeSlurmPlan, type SlurmPlan } from './slurm-plan'
import { slurmSweepStatus, writeTaskStatus } from './task-status'

const config = (over: Record<string, unknown> = {}) => parseRunConfig({ p: 11, frac: 0.5, steps: 100, lr: 1e-3, ...over })
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

const sweepOf = (configs: RunConfig[]) => ({
  name: 'grid',
  preset: null,
  baseConfig: configs[0],
  axes: [{ key: 'wd', values: configs.map((c) => c.wd) }],
  seeds: 1,
  appVersion: 'test',
  runs: configs.map((c) => ({ config: c, point: { wd: c.wd, seed: c.seed } })),
})

/** Gives a run the rows training would: metrics, a snapshot, a checkpoint, and how it ended. */
function train(store: RunStore, id: number, status: 'completed' | 'failed' | 'running', steps = 100): void {
  store.appendMetrics(id, [0, 50, steps].map((step) => ({ name: 'train_loss', step, value: 1 / (step + 1), wallSeconds: step })))
  store.writeSnapshot(id, steps, [{ name: 'E', shape: [2], data: new Float32Array([id, steps]) }])
  store.saveCheckpoint(id, { step: steps, wallSeconds: 1, params: { E: new Float32Array([1, 2]) }, optimizer: { step: steps, slots: { E: [new Float32Array([3, 4])] } } })
  if (status === 'running') store.markRunning(id, process.pid, 'cpu')
  else store.finishRun(id, status, { stepsDone: steps, wallSeconds: 1 })
}

const counts = (db: Database.Database) =>
  Object.fromEntries(['runs', 'metrics', 'snapshots', 'checkpoints', 'checkpoint_tensors', 'sweeps', 'sweep_runs'].map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]))

function refusal(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    expect(isLabError(e), String(e)).toBe(true)
    return (e as Error).message
  }
  throw new Error('expected a LabError')
}

describe('run UUIDs', () => {
  const tempDir = useTempDir()
  it('are backfilled into a library of the previous schema, and given to new runs and sweeps', () => {
    const file = path.join(tempDir(), 'old.db')
    const old = new Database(file)
    for (const m of MIGRATIONS.slice(0, 6)) old.exec(m)
    old.pragma(`application_id = ${APPLICATION_ID}`)
    old.pragma('user_version = 6')
    const insert = old.prepare("INSERT INTO runs (name, status, config_json, app_version, total_steps, created_at) VALUES ('r', 'completed', '{}', '0', 1, 'now')")
    insert.run()
    insert.run()
    old.prepare("INSERT INTO sweeps (name, base_config_json, grid_json, seeds, created_at) VALUES ('s', '{}', '[]', 1, 'now')").run()
    old.close()
    const store = RunStore.open(file)
    const uuids = (store.db.prepare('SELECT uuid FROM runs').all() as { uuid: string }[]).map((r) => r.uuid)
    expect(uuids).toHaveLength(2)
    uuids.forEach((u) => expect(u).toMatch(UUID))
    expect(new Set(uuids).size).toBe(2)
    expect(new SweepStore(store).getSweep(1).uuid).toMatch(UUID)
    const id = store.createRun({ name: 'new', preset: null, config: config(), appVersion: '0' })
    expect(store.runUuid(id)).toMatch(UUID)
    expect(() => store.createRun({ name: 'dup', preset: null, config: config(), appVersion: '0', uuid: uuids[0] })).toThrow(/UNIQUE/)
    store.close()
  })
})

describe('Slurm plan and script', () => {
  const tempDir = useTempDir()
  it('cuts the runs into the units a local sweep trains, one array task each', () => {
    const configs = [1, 2, 3, 4, 5].map((s) => config({ seed: s, wd: s / 10 }))
    const plan = planSlurmSweep(sweepOf(configs), { batch: 2, concurrency: 1, backend: 'auto' })
    const local = planUnits(configs.map((c, i) => ({ id: i, config: c, fromStep: null })), 2).map((u) => u.ids)
    expect(plan.tasks).toEqual(local)
    expect(plan.tasks).toEqual([[0, 1], [2, 3], [4]])
    // Without --batch: the default batch a local sweep with as many workers would take.
    expect(planSlurmSweep(sweepOf(configs), { concurrency: 5, backend: 'auto' }).tasks).toHaveLength(5)
    expect(new Set(plan.runs.map((r) => r.uuid)).size).toBe(5)
    expect(plan.runs.map((r) => r.name)).toEqual(['grid #1', 'grid #2', 'grid #3', 'grid #4', 'grid #5'])
    const dir = path.join(tempDir(), 'sweep')
    writeSlurmPlan(dir, plan)
    expect(readSlurmPlan(dir)).toEqual(plan)
    expect(refusal(() => writeSlurmPlan(dir, plan))).toMatch(/already holds a Slurm sweep/)
    expect(refusal(() => readSlurmPlan(tempDir()))).toMatch(/holds no Slurm sweep/)
  })
  it('writes the options through to sbatch and runs sweep-task with the given lab command', () => {
    const script = sbatchScript('/data/my sweep', {
      tasks: 4, jobName: 'lab-modadd λ', partition: 'gpu', time: '1:00:00', gpusPerTask: '1', cpusPerTask: '4', arrayParallelism: 2,
      sbatchArgs: ['--mem=4G', '--account=lab'], labCommand: 'grokking-lab',
    })
    const lines = script.split('\n')
    for (const l of ['#SBATCH --array=0-3%2', '#SBATCH --partition=gpu', '#SBATCH --time=1:00:00', '#SBATCH --gpus-per-task=1', '#SBATCH --cpus-per-task=4',
      '#SBATCH --mem=4G', '#SBATCH --account=lab', '#SBATCH --requeue', "#SBATCH --output=/data/my sweep/logs/task-%a.out"]) expect(lines).toContain(l)
    expect(lines).toContain(`grokking-lab sweep-task '/data/my sweep' "$SLURM_ARRAY_TASK_ID"`)
    expect(lines[1]).toBe('#SBATCH --job-name=lab-modadd_')
    expect(refusal(() => sbatchScript('/d', { tasks: 1, jobName: 'x', labCommand: 'l', sbatchArgs: ['--mem=1G\nrm -rf /'] }))).toMatch(/line break/)
  })
})

describe('merging libraries', () => {
  const tempDir = useTempDir()
  it('brings runs with their rows and sweep, leaves out runs still training, and changes nothing the second time', () => {
    const dir = tempDir()
    const src = RunStore.open(path.join(dir, 'colleague.db'))
    const sweepId = new SweepStore(src).createSweep(sweepOf([config({ wd: 0.1 }), config({ wd: 0.2 }), config({ wd: 0.3 })]))
    const [a, b, c] = new SweepStore(src).sweepRuns(sweepId).map((r) => r.run.id)
    train(src, a, 'completed')
    train(src, b, 'failed', 50)
    train(src, c, 'running')
    const dst = RunStore.open(path.join(dir, 'mine.db'))
    dst.createRun({ name: 'already mine', preset: null, config: config(), appVersion: '0', tags: ['sweep:1'] })
    new SweepStore(dst).createSweep({ ...sweepOf([config()]), name: 'my own sweep' })
    const merge = () => {
      const db = openSourceLibrary(src.path, dst)
      try {
        return mergeLibrary(dst, db, src.path)
      } finally {
        db.close()
      }
    }
    expect(merge()).toMatchObject({ added: 2, updated: 0, unchanged: 0, skipped: 1, sweeps: 1 })
    const after = counts(dst.db)
    expect(after).toMatchObject({ runs: 4, metrics: 5, snapshots: 2, checkpoints: 2, checkpoint_tensors: 4, sweeps: 2, sweep_runs: 3 })
    expect(merge()).toMatchObject({ added: 0, updated: 0, unchanged: 2, skipped: 1 })
    expect(counts(dst.db)).toEqual(after)
    // The merged sweep is its own sweep here, its runs tagged with its id in this library.
    const sweeps = new SweepStore(dst)
    const merged = sweeps.sweepIdByUuid(new SweepStore(src).getSweep(sweepId).uuid)!
    expect(merged).not.toBe(1)
    const runs = sweeps.sweepRuns(merged)
    expect(runs.map((r) => [r.run.status, r.point.wd, r.run.tags])).toEqual([['completed', 0.1, [`sweep:${merged}`]], ['failed', 0.2, [`sweep:${merged}`]]])
    expect(dst.readSnapshot(runs[0].run.id, 100)[0].data).toEqual(new Float32Array([a, 100]))
    expect(dst.loadCheckpoint(runs[0].run.id)?.optimizer.slots.E[0]).toEqual(new Float32Array([3, 4]))

    // A run that finished since is added; one trained further is brought up to date in place,
    // keeping the name given here.
    src.finishRun(c, 'completed', { stepsDone: 100 })
    dst.updateRun(runs[1].run.id, { name: 'renamed here' })
    src.truncateFrom(b, 0)
    train(src, b, 'completed', 100)
    expect(merge()).toMatchObject({ added: 1, updated: 1, unchanged: 1, skipped: 0 })
    const updated = dst.getRun(runs[1].run.id)
    expect([updated.status, updated.stepsDone, updated.name]).toEqual(['completed', 100, 'renamed here'])
    expect(dst.readSeries(updated.id, ['train_loss'])[0].steps).toEqual([0, 50, 100])
    expect(merge()).toMatchObject({ added: 0, updated: 0, unchanged: 3 })
    // An older copy (here: the run trained less far again) leaves the library's newer one alone.
    src.truncateFrom(b, 0)
    train(src, b, 'failed', 50)
    expect(merge()).toMatchObject({ added: 0, updated: 0, unchanged: 3 })
    expect(dst.getRun(updated.id)).toMatchObject({ status: 'completed', stepsDone: 100 })
    src.close()
    dst.close()
  })

  it('refuses, with one line, what is not a lab library, and the library itself', () => {
    const dir = tempDir()
    const dst = RunStore.open(path.join(dir, 'mine.db'))
    const text = path.join(dir, 'notes.txt')
    fs.writeFileSync(text, 'hello')
    const foreign = path.join(dir, 'other.sqlite')
    new Database(foreign).exec('CREATE TABLE t (x)')
    const empty = path.join(dir, 'empty.sqlite')
    new Database(empty).exec('VACUUM')
    const messages = [text, foreign, empty, path.join(dir, 'missing.db'), dst.path].map((f) => refusal(() => openSourceLibrary(f, dst)))
    expect(messages[0]).toMatch(/not a Grokking Lab database \(not a SQLite file\)/)
    expect(messages[1]).toMatch(/not a Grokking Lab library/)
    expect(messages[2]).toMatch(/not a Grokking Lab library/)
    expect(messages[3]).toMatch(/no file/)
    expect(messages[4]).toMatch(/the library being merged into/)
    messages.forEach((m) => expect(m).not.toContain('\n'))
    expect(fs.readFileSync(text, 'utf8')).toBe('hello')
    dst.close()
  })

  it('names a damaged source, not the library merged into, and leaves the library as it was', () => {
    const dir = tempDir()
    const source = smallLibrary(fs.mkdtempSync(path.join(dir, 'src-')))
    damagePages(source, 'metrics')
    const dst = RunStore.open(path.join(dir, 'mine.db'))
    const before = counts(dst.db)
    const message = refusal(() => {
      const src = openSourceLibrary(source, dst)
      try {
        return mergeLibrary(dst, src, source)
      } finally {
        src.close()
      }
    })
    expect(message).toMatch(new RegExp(`^the library ${source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} being merged is damaged \\(.*malformed.*\\); nothing of it was merged`))
    expect(message).toContain(`grokking-lab recover --db ${source} --out NEW.sqlite`)
    expect(message).not.toContain(dst.path)
    expect(message).not.toMatch(/restore|\n/)
    expect(counts(dst.db)).toEqual(before)
    dst.close()
  })
})

describe('collecting a Slurm sweep', () => {
  const tempDir = useTempDir()
  /** Trains task N of the plan as sweep-task would, ending in `state`. */
  function fakeTask(dir: string, plan: SlurmPlan, task: number, state: 'done' | 'running') {
    const store = RunStore.open(slurmPaths(dir).taskDb(task))
    const sweeps = new SweepStore(store)
    const id = sweeps.createSweep({ ...plan.sweep, runs: plan.tasks[task].map((i) => plan.runs[i]) })
    for (const r of sweeps.sweepRuns(id)) train(store, r.run.id, state === 'done' ? 'completed' : 'running')
    store.close()
    writeTaskStatus(dir, { task, state, host: 'node1', pid: 1, jobId: `7_${task}`, restarts: 0, startedAt: 'then', updatedAt: 'now',
      runs: plan.tasks[task].map((i) => ({ uuid: plan.runs[i].uuid, status: 'completed', step: 100, totalSteps: 100, fromStep: 0 })) })
  }

  it('merges the ended tasks under one sweep, waits for the others, and is idempotent', async () => {
    const dir = path.join(tempDir(), 'sweep')
    const plan = planSlurmSweep(sweepOf([1, 2, 3, 4, 5, 6].map((w) => config({ wd: w }))), { batch: 2, concurrency: 1, backend: 'auto' })
    writeSlurmPlan(dir, plan)
    fakeTask(dir, plan, 0, 'done')
    fakeTask(dir, plan, 1, 'running')
    expect(slurmSweepStatus(dir).counts).toEqual({ pending: 1, running: 1, done: 1, failed: 0, interrupted: 0 })
    const home = RunStore.open(path.join(tempDir(), 'home.db'))
    expect(collectSlurmSweep(home, dir)).toMatchObject({ sweepId: 1, tasksRead: 1, tasksWaiting: 2, added: 2, runs: 6 })
    // Two of six runs home, both completed: partial, not complete.
    const partly = sweepProgress(new SweepStore(home).getSweep(1), new SweepStore(home).sweepRuns(1))
    expect(partly).toEqual({ progress: { total: 6, done: 2, running: [], failed: [] }, collected: 2 })
    expect(sweepState(partly)).toBe('partial')
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    try {
      sweepsCommand({ db: home.path, json: true })
      expect(JSON.parse(log.mock.calls[0][0] as string)).toMatchObject([{ id: 1, state: 'partial', runs: 6, collected: 2, completed: 2 }])
      sweepsCommand({ db: home.path })
      expect(log.mock.calls[1][0]).toMatch(/\bpartial\s+2\/6\s+2\/6\b/)
    } finally {
      log.mockRestore()
    }
    const lab = createLabService({ dbPath: home.path, mode: 'browser' }, () => {})
    try {
      expect(await lab['sweeps:list']({})).toMatchObject([{ id: 1, collected: 2, progress: { total: 6, done: 2 } }])
    } finally {
      await lab.close()
    }
    fakeTask(dir, plan, 2, 'done')
    expect(collectSlurmSweep(home, dir)).toMatchObject({ sweepId: 1, tasksRead: 2, added: 2, unchanged: 2 })
    const before = counts(home.db)
    expect(collectSlurmSweep(home, dir)).toMatchObject({ added: 0, updated: 0, unchanged: 4 })
    expect(counts(home.db)).toEqual(before)
    expect(before).toMatchObject({ runs: 4, sweeps: 1, sweep_runs: 4 })
    expect(collectedRuns(home, dir)).toBe(4)
    const runs = new SweepStore(home).sweepRuns(1)
    expect(runs.map((r) => r.run.name)).toEqual(['grid #1', 'grid #2', 'grid #5', 'grid #6'])
    expect(sweepState(sweepProgress(new SweepStore(home).getSweep(1), runs))).toBe('partial')
    home.close()
  })
})
