import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDir } from '../../../test/helpers/temp-dir'
import { runQuerySchema, type RunQuery } from '../../shared/api'
import { parseRunConfig } from '../../shared/run-config'
import { RUN_STATUSES } from '../../shared/run-types'
import { RunStore } from './run-store'

const WDS = [0, 0.1, 0.3, 1]
const PRESETS = ['modadd-mlp', 'modadd-mlp-small', null]

/** 10,000 runs whose every property follows from the index, so each query's answer is known. */
function seed(store: RunStore, n: number) {
  store.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const config = parseRunConfig({ p: [31, 97][i % 2], wd: WDS[i % 4], lr: 1e-3, steps: 100 + (i % 7), model: i % 5 === 0 ? 'transformer-1l' : 'embed-mlp' })
      const tags = [...(i % 3 === 0 ? ['baseline'] : []), ...(i % 10 === 0 ? ['paper'] : [])]
      const id = store.createRun({ name: `run ${i}${i === 4242 ? ' needle_x' : ''}`, preset: PRESETS[i % 3], config, appVersion: 't', tags, notes: i === 77 ? 'Weird Spike' : '' })
      store.finishRun(id, RUN_STATUSES[i % RUN_STATUSES.length], { stepsDone: 100 })
      if (i % 2 === 0) store.appendMetrics(id, [{ name: 'train_loss', step: 10, value: 1 / (i + 1), wallSeconds: 1 }, { name: 'train_acc', step: 10, value: (i % 100) / 100, wallSeconds: 1 }])
      if (i % 4 === 0) {
        const T_struct = i % 8 === 0 ? i : null
        store.saveClocks(id, { thresholds: { epsilon: 0.01, accuracy: 0.99, delta: 0.05, churn: 0.01 }, T_fit: null, T_margin: null, T_mem: null, T_gen: null, T_struct, T_freeze: null, delay: null, ratio: null })
      }
    }
  })()
}

describe('run library queries', () => {
  const tempDir = useTempDir()
  const N = 10_000

  it('filters, sorts and pages 10,000 runs in SQL', () => {
    const store = RunStore.open(path.join(tempDir(), 'lib.sqlite'))
    seed(store, N)
    const q = (query: RunQuery) => store.queryRuns(runQuerySchema.parse(query))
    const idx = (id: number) => id - 1

    const all = q({})
    expect(all.total).toBe(N)
    expect(all.items).toHaveLength(200)
    expect(all.items[0].run.id).toBe(N)

    expect(q({ search: 'NEEDLE_X' }).items.map((r) => r.run.id)).toEqual([4243])
    expect(q({ search: 'weird spike' }).items.map((r) => r.run.id)).toEqual([78])
    expect(q({ search: '#17' }).items.map((r) => r.run.id)).toEqual([17])
    expect(q({ search: '100%' }).total).toBe(0)
    expect(q({ search: 'paper' }).total).toBe(N / 10)

    const completed = q({ status: ['completed'], limit: 1000 })
    expect(completed.total).toBe(Math.ceil(N / RUN_STATUSES.length) - (N % RUN_STATUSES.length > RUN_STATUSES.indexOf('completed') ? 0 : 1))
    expect(completed.items.every((r) => r.run.status === 'completed')).toBe(true)

    const tagged = q({ tags: ['baseline', 'paper'], limit: 1000 })
    expect(tagged.total).toBe(Array.from({ length: N }, (_, i) => i).filter((i) => i % 30 === 0).length)
    expect(q({ presets: ['modadd-mlp'] }).total).toBe(Math.ceil(N / 3))

    const strong = q({ filters: [{ key: 'wd', min: 0.3 }, { key: 'p', values: [97] }], limit: 1000 })
    expect(strong.total).toBe(Array.from({ length: N }, (_, i) => i).filter((i) => WDS[i % 4] >= 0.3 && i % 2 === 1).length)
    expect(strong.items.every((r) => r.run.config.wd >= 0.3 && r.run.config.p === 97)).toBe(true)
    expect(q({ filters: [{ key: 'model', values: ['transformer-1l'] }] }).total).toBe(N / 5)
    expect(q({ filters: [{ key: 'batch_size', values: [null] }] }).total).toBe(N)
    expect(q({ filters: [{ key: 'wd', min: 0.1, max: 0.3 }, { key: 'steps', max: 101 }] }).total).toBe(
      Array.from({ length: N }, (_, i) => i).filter((i) => [0.1, 0.3].includes(WDS[i % 4]) && 100 + (i % 7) <= 101).length,
    )

    // Sorting by a summary column puts runs without a summary last, in both directions.
    const byLoss = q({ sort: 'trainLoss', order: 'asc', limit: 1000, offset: N / 2 - 500 })
    expect(byLoss.items.slice(0, 500).every((r) => r.summary !== null)).toBe(true)
    expect(byLoss.items.slice(500).every((r) => r.summary === null)).toBe(true)
    const lossDesc = q({ sort: 'trainLoss', order: 'desc', limit: 3 })
    expect(lossDesc.items.map((r) => r.run.id)).toEqual([1, 3, 5])

    const byStruct = q({ sort: 'tStruct', order: 'desc', limit: 2 })
    expect(byStruct.items.map((r) => r.clocks?.T_struct)).toEqual([9992, 9984])
    const structLast = q({ sort: 'tStruct', order: 'asc', offset: N / 8 - 1, limit: 2 })
    expect(structLast.items[0].clocks?.T_struct).toBe(9992)
    expect(structLast.items[1].clocks?.T_struct ?? null).toBe(null)

    const bySteps = q({ sort: 'config.steps', order: 'asc', limit: 5 })
    expect(bySteps.items.every((r) => r.run.config.steps === 100)).toBe(true)
    const page = q({ sort: 'name', order: 'asc', offset: 10, limit: 5 })
    expect(page.offset).toBe(10)
    expect(page.items).toHaveLength(5)
    expect(q({ offset: N }).items).toEqual([])
    expect(idx(all.items[1].run.id)).toBe(N - 2)

    expect(() => q({ sort: 'bogus' })).toThrow(/cannot sort by 'bogus'/)
    expect(() => q({ filters: [{ key: 'nope', min: 1 }] })).toThrow(/config key 'nope'/)
    expect(() => q({ filters: [{ key: 'model', min: 1 }] })).toThrow(/numeric config key/)
    store.close()
  })

  it('lists facets, edits, tags and deletes runs', () => {
    const store = RunStore.open(path.join(tempDir(), 'lib.sqlite'))
    seed(store, 60)
    const f = store.facets()
    expect(f.total).toBe(60)
    expect(f.tags).toEqual([{ tag: 'baseline', count: 20 }, { tag: 'paper', count: 6 }])
    expect(f.presets.map((p) => p.preset).sort()).toEqual(['modadd-mlp', 'modadd-mlp-small'])
    expect(f.ranges.find((r) => r.key === 'wd')).toEqual({ key: 'wd', min: 0, max: 1 })
    expect(f.values.find((v) => v.key === 'model')?.values).toEqual(['embed-mlp', 'transformer-1l'])
    expect(f.statuses.reduce((n, s) => n + s.count, 0)).toBe(60)

    store.updateRun(5, { name: 'renamed', notes: 'n', tags: [' a ', 'b', 'a'] })
    expect(store.getRun(5)).toMatchObject({ name: 'renamed', notes: 'n', tags: ['a', 'b'] })
    expect(store.runItem(5).run.name).toBe('renamed')
    expect(() => store.updateRun(999, { name: 'x' })).toThrow(/no run 999/)

    expect(store.tagRuns([1, 2, 3], ['x'], ['baseline'])).toBe(3)
    expect(store.getRun(1).tags).toEqual(['paper', 'x'])
    expect(store.tagRuns([1, 2], ['x'], [])).toBe(0)
    expect(() => store.tagRuns([1, 999], ['y'], [])).toThrow(/no run 999/)
    expect(store.getRun(1).tags).not.toContain('y')

    expect(() => store.deleteRuns([1, 2], (id) => id === 2)).toThrow(/run 2 is training/)
    expect(store.getRun(1).id).toBe(1)
    expect(store.deleteRuns([1, 2, 2], () => false)).toBe(2)
    expect(() => store.getRun(1)).toThrow(/no run 1/)
    expect(store.queryRuns(runQuerySchema.parse({})).total).toBe(58)
    store.close()
  })
})
