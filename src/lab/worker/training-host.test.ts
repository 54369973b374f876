import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDir } from '../../../test/helpers/temp-dir'
import { parseRunConfig } from '../../shared/run-config'
import { RunStore } from '../store/run-store'
import { startTraining } from './training-host'

/** The niceness of every thread of `pid` (Linux keeps one per thread; field 19 of stat). */
function threadNiceness(pid: number): Map<number, number> {
  const dir = `/proc/${pid}/task`
  return new Map(
    fs.readdirSync(dir).map((tid) => {
      const stat = fs.readFileSync(path.join(dir, tid, 'stat'), 'utf8')
      return [Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])]
    }),
  )
}

describe('training host', () => {
  const tempDir = useTempDir()

  it.skipIf(process.platform !== 'linux')('a worker started for a window lowers its own priority, compute threads included', async () => {
    const dbPath = path.join(tempDir(), 'lib.sqlite')
    const store = RunStore.open(dbPath)
    const runId = store.createRun({ name: 'r', preset: null, config: parseRunConfig({ p: 7, steps: 400, lr: 1e-3, eval_every: 100 }), appVersion: 't' })
    store.close()
    const base = os.getPriority()
    let seen = new Map<number, number>()
    const handle = startTraining({ dbPath, runId, backend: 'auto', resume: false }, (e) => {
      // Read while it trains: its tfjs threads exist by the first evaluation.
      if (e.type === 'eval' && seen.size === 0) seen = threadNiceness(handle.pid)
    }, { niceness: 5 })
    const exit = await handle.done
    expect(exit.exitCode, exit.stderr).toBe(0)
    const lowered = Math.min(19, base + 5)
    expect(seen.get(handle.pid)).toBe(lowered)
    // Threads started after the main thread lowered itself (tfjs's, libuv's) inherit it; only
    // those V8 started before any script ran keep the base.
    const inherited = [...seen].filter(([tid, n]) => tid !== handle.pid && n === lowered)
    expect(inherited.length).toBeGreaterThan(0)
  }, 60_000)
})
