// A library on a nearly full disk: training stops at its last checkpoint as `interrupted` with one
// line naming the library and the free space, keeps no half-written snapshot, and resumes once
// there is room. Needs root to mount a small tmpfs; elsewhere it says why it skips.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/run-cli'
import { count } from './reliability-counts'

/** A 600 kB tmpfs of its own, or null (with why) where it cannot be mounted. */
function tinyDisk(): string | null {
  const at = fs.mkdtempSync(path.join(os.tmpdir(), 'grokking-lab-tiny-'))
  mounts.push(at)
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=600k', 'tmpfs', at], { stdio: 'ignore' })
    return at
  } catch {
    return null
  }
}
const mounts: string[] = []
const mountPoint = tinyDisk()
const sweepDisk = tinyDisk()
const mounted = mountPoint !== null && sweepDisk !== null
if (!mounted) console.warn(`full-disk test skipped: cannot mount a tmpfs under ${os.tmpdir()} (needs root on Linux)`)
afterAll(() => {
  for (const at of mounts) {
    try {
      execFileSync('umount', [at], { stdio: 'ignore' })
    } catch {
      // Never mounted.
    }
    fs.rmSync(at, { recursive: true, force: true })
  }
})

describe('a full disk', () => {
  it.skipIf(!mounted)('interrupts the run with one clear line, and resume finishes it once there is space', async () => {
    const db = path.join(mountPoint!, 'lab.sqlite')
    const train = await runCli(['train', '--preset', 'modadd-mlp-small', '--steps', '400', '--db', db])
    expect(train.code).toBe(2)
    const lines = train.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(new RegExp(`^grokking-lab: the disk holding the run library ${db.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is full \\(\\d+ kB free\\): run 1 stopped at its last checkpoint \\(step \\d+\\) and is interrupted`))
    expect(lines[0]).toContain('`grokking-lab resume 1`')
    expect(train.stderr).not.toMatch(/SqliteError|    at /)

    const look = new Database(db, { readonly: true })
    expect(look.prepare('SELECT status FROM runs WHERE id = 1').get()).toEqual({ status: 'interrupted' })
    // Every snapshot step holds all its tensors: none was left half-written.
    const perStep = look.prepare('SELECT step, count(*) AS n FROM snapshots WHERE run_id = 1 GROUP BY step').all() as { n: number }[]
    expect(new Set(perStep.map((s) => s.n)).size).toBeLessThanOrEqual(1)
    look.close()

    execFileSync('mount', ['-o', 'remount,size=64m', mountPoint!])
    const resume = await runCli(['resume', '1', '--db', db, '--json'])
    expect(resume.code).toBe(0)
    expect(JSON.parse(resume.stdout)).toMatchObject({ runId: 1, status: 'completed', steps: 400 })
    expect((await runCli(['check', '--db', db])).code).toBe(0)
    count('full disks survived', 1)
    count('integrity checks ok', 1)
  }, 180_000)

  it.skipIf(!mounted)('stops a sweep cleanly: no run started after the disk filled, and --resume finishes it once there is space', async () => {
    const db = path.join(sweepDisk!, 'lab.sqlite')
    const sweep = await runCli(['sweep', '--preset', 'modadd-mlp-small', '--steps', '300', '--grid', 'wd=1,2,3', '--batch', '1', '--db', db, '--json'])
    expect(sweep.code).toBe(2)
    const lines = sweep.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^grokking-lab: sweep 1 stopped: the disk holding the run library .* is full \(\d+ kB free\): run 1 stopped at its last checkpoint/)
    expect(lines[0]).toContain('`grokking-lab sweep --resume 1`')
    expect(JSON.parse(sweep.stdout)).toMatchObject({ sweepId: 1, interrupted: true, failed: [] })
    const look = new Database(db, { readonly: true })
    // The run that met the full disk waits at its checkpoint; the others were never started.
    expect(look.prepare('SELECT status FROM runs ORDER BY id').all()).toEqual([{ status: 'interrupted' }, { status: 'queued' }, { status: 'queued' }])
    look.close()

    execFileSync('mount', ['-o', 'remount,size=64m', sweepDisk!])
    const resumed = await runCli(['sweep', '--resume', '1', '--db', db, '--json'])
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(JSON.parse(resumed.stdout)).toMatchObject({ done: 3, total: 3, failed: [] })
    expect((await runCli(['check', '--db', db])).code).toBe(0)
    count('full disks survived', 1)
    count('integrity checks ok', 1)
  }, 180_000)
})
