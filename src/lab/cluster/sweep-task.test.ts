import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDir } from '../../../test/helpers/temp-dir'
import { parseRunConfig } from '../../shared/run-config'
import { getPreset } from '../presets'
import { RunStore } from '../store/run-store'
import { collectSlurmSweep } from './collect'
import { planSlurmSweep, slurmPaths, writeSlurmPlan } from './slurm-plan'
import { runSweepTask } from './sweep-task'
import { readTaskStatus, slurmSweepStatus } from './task-status'

// One array task run as Slurm would run it, without Slurm: the part of a cluster sweep CI can
// check everywhere (test/integration/slurm.test.ts needs the daemons).
describe('sweep-task', () => {
  const tempDir = useTempDir()
  it('trains its batch into its own self-contained library, records its state, and ends at once when run again', async () => {
    const base = parseRunConfig({ ...getPreset('modadd-mlp-small').config, steps: 40, eval_every: 20 })
    const configs = [0.5, 1].map((wd) => parseRunConfig({ ...base, wd }))
    const dir = path.join(tempDir(), 'sweep')
    const plan = planSlurmSweep(
      { name: 'wd', preset: 'modadd-mlp-small', baseConfig: base, axes: [{ key: 'wd', values: [0.5, 1] }], seeds: 1, appVersion: 'test',
        runs: configs.map((c) => ({ config: c, point: { wd: c.wd, seed: c.seed } })) },
      { batch: 2, concurrency: 1, backend: 'auto' },
    )
    expect(plan.tasks).toEqual([[0, 1]])
    writeSlurmPlan(dir, plan)
    expect(slurmSweepStatus(dir).tasks[0]).toMatchObject({ state: 'pending', step: 0, totalSteps: 80 })
    await expect(runSweepTask(dir, '1')).rejects.toThrow(/not one of this sweep's tasks \(0…0\)/)

    expect(await runSweepTask(dir, '0', { threads: 1 })).toBe(0)
    const status = readTaskStatus(dir, 0)!
    expect(status).toMatchObject({ state: 'done', restarts: 0 })
    expect(status.runs.map((r) => [r.uuid, r.status, r.step])).toEqual(plan.runs.map((r) => [r.uuid, 'completed', 40]))
    // The write-ahead log is folded into the file: a collector elsewhere reads one file.
    expect(fs.existsSync(`${slurmPaths(dir).taskDb(0)}-wal`)).toBe(false)
    expect(await runSweepTask(dir, '0')).toBe(0)
    expect(readTaskStatus(dir, 0)!.updatedAt).toBe(status.updatedAt)

    const home = RunStore.open(path.join(tempDir(), 'home.db'))
    expect(collectSlurmSweep(home, dir)).toMatchObject({ tasksRead: 1, tasksWaiting: 0, added: 2 })
    expect(home.listRuns().map((r) => [r.name, r.status, r.stepsDone])).toEqual([['wd #1', 'completed', 40], ['wd #2', 'completed', 40]])
    home.close()
  }, 120_000)
})
