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

const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'grokking-lab-tiny-'))
const mounted = (() => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=600k', 'tmpfs', mountPoint], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()
if (!mounted) console.warn(`full-disk test skipped: cannot mount a tmpfs at ${mountPoint} (needs root on Linux)`)
afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint], { stdio: 'ignore' })
  fs.rmSync(mountPoint, { recursive: true, force: true })
})

describe('a full disk', () => {
  it.skipIf(!mounted)('interrupts the run with one clear line, and resume finishes it once there is space', async () => {
    const db = path.join(mountPoint, 'lab.sqlite')
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

    execFileSync('mount', ['-o', 'remount,size=64m', mountPoint])
    const resume = await runCli(['resume', '1', '--db', db, '--json'])
    expect(resume.code).toBe(0)
    expect(JSON.parse(resume.stdout)).toMatchObject({ runId: 1, status: 'completed', steps: 400 })
    expect((await runCli(['check', '--db', db])).code).toBe(0)
    count('full disks survived', 1)
    count('integrity checks ok', 1)
  }, 180_000)
})
