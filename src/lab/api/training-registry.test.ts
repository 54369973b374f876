import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { useTempDir } from '../../../test/helpers/temp-dir'
import type { LabEventName } from '../../shared/api'
import { parseRunConfig } from '../../shared/run-config'
import { RunStore } from '../store/run-store'
import type { TrainingHandle } from '../worker/training-host'
import { TrainingRegistry } from './training-registry'

/** A worker stand-in: tests decide when it exits. */
function fakeHandle() {
  let exit!: (v: Awaited<TrainingHandle['done']>) => void
  const done = new Promise<Awaited<TrainingHandle['done']>>((r) => (exit = r))
  return { handle: { pid: 999_999_999, cancel: vi.fn(), done }, exit }
}

describe('training registry', () => {
  const tempDir = useTempDir()

  function setup() {
    const store = RunStore.open(path.join(tempDir(), 'lib.sqlite'))
    const config = parseRunConfig({ p: 7, steps: 100, lr: 1e-3 })
    const ids = [1, 2, 3].map(() => store.createRun({ name: 'r', preset: null, config, appVersion: 't' }))
    const events: [LabEventName, Record<string, unknown>][] = []
    const registry = new TrainingRegistry(store, (e, p) => events.push([e, p as never]))
    return { store, ids, events, registry }
  }

  it('maps worker events to lab events and forgets runs that ended', async () => {
    const { store, ids, events, registry } = setup()
    const { handle, exit } = fakeHandle()
    registry.attach(handle, ids.slice(0, 2), 7)
    registry.onEvent({ type: 'started', runId: ids[0], backend: 'wasm', engine: 'fast path', backendReasons: [], fromStep: 0, totalSteps: 100 })
    registry.onEvent({ type: 'eval', runId: ids[0], step: 0, totalSteps: 100, metrics: { train_loss: 2 } })
    registry.onEvent({ type: 'tick', runId: ids[0], step: 5, totalSteps: 100, stepsPerSecond: 50 })
    expect(registry.active()).toEqual([
      { runId: ids[0], sweepId: 7, step: 5, totalSteps: 100, stepsPerSecond: 50, backend: 'wasm', engine: 'fast path' },
      { runId: ids[1], sweepId: 7, step: 0, totalSteps: 100, stepsPerSecond: null, backend: null, engine: null },
    ])
    registry.onEvent({ type: 'eval', runId: ids[0], step: 10, totalSteps: 100, metrics: { train_loss: 1 } })
    registry.onEvent({ type: 'failed', runId: ids[0], message: 'out of memory' })
    expect(events.map(([e]) => e)).toEqual(['run:started', 'run:progress', 'run:progress', 'run:ended'])
    expect(events[2][1]).toMatchObject({ evals: [{ step: 10, metrics: { train_loss: 1 } }] })
    expect(events[3][1]).toEqual({ runId: ids[0], status: 'failed', step: 10, error: 'out of memory', clocks: null })
    expect(registry.has(ids[0])).toBe(false)
    expect(registry.cancel(ids[1])).toBe(true)
    expect(handle.cancel).toHaveBeenCalledOnce()

    // The worker dies without a word about run 2: it is reported interrupted, resumable.
    store.markRunning(ids[1], handle.pid, 'wasm')
    exit({ exitCode: null, signal: 'SIGKILL', stderr: '' })
    await vi.waitFor(() => expect(events).toHaveLength(5))
    expect(events[4]).toEqual(['run:ended', expect.objectContaining({ runId: ids[1], status: 'interrupted', error: expect.stringMatching(/SIGKILL.*resume/) })])
    expect(registry.active()).toEqual([])
    store.close()
  })

  it('stops every worker on close, waiting a bounded time', async () => {
    const { store, ids, registry } = setup()
    const a = fakeHandle()
    const b = fakeHandle()
    registry.attach(a.handle, [ids[0]], null)
    registry.attach(b.handle, [ids[1], ids[2]], null)
    a.exit({ exitCode: 0, signal: null, stderr: '' })
    const t0 = Date.now()
    await registry.stopAll(200)
    expect(Date.now() - t0).toBeLessThan(2000)
    expect(a.handle.cancel).toHaveBeenCalledOnce()
    expect(b.handle.cancel).toHaveBeenCalledOnce()
    store.close()
  })
})
