import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { ConfigFilter, RunFacets, RunListItem, RunQuery } from '../../../shared/api'
import type { RunStatus } from '../../../shared/run-types'
import { lab } from '../api'
import { errorMessage } from '../format'
import { debounced, frameBatcher, refCounted } from './attach'

/** Rows per request: a few screens, so scrolling asks the server rarely. */
export const PAGE_SIZE = 100
// Training emits several events a second; one reload per burst is plenty for a table.
const REFRESH_DELAY_MS = 500

/**
 * The library as the server pages it: the query (filtered and sorted in SQL by the server), the
 * total, and the pages loaded so far by offset. The page never filters or sorts rows itself, so
 * it stays fast whatever the library holds.
 */
export const useRunsStore = defineStore('runs', () => {
  const search = ref('')
  const status = ref<RunStatus[]>([])
  const presets = ref<string[]>([])
  const tags = ref<string[]>([])
  const filters = ref<ConfigFilter[]>([])
  const sort = ref('id')
  const order = ref<'asc' | 'desc'>('desc')

  const total = ref(0)
  const loaded = ref(false)
  const error = ref<string | null>(null)
  const facets = shallowRef<RunFacets | null>(null)
  // Rows live outside Vue's reactivity (10,000 objects would be slow to proxy); `version` says when they changed.
  const pages = new Map<number, RunListItem[]>()
  const inFlight = new Map<number, Promise<void>>()
  const version = ref(0)
  let generation = 0
  let stale = false
  let visible: [number, number] = [0, PAGE_SIZE]

  const query = computed<RunQuery>(() => ({
    search: search.value.trim() || undefined,
    status: status.value.length ? status.value : undefined,
    presets: presets.value.length ? presets.value : undefined,
    tags: tags.value.length ? tags.value : undefined,
    filters: filters.value.length ? filters.value : undefined,
    // The server's defaults (id, desc) are left out, which keeps the common request short.
    sort: sort.value === 'id' ? undefined : sort.value,
    order: order.value === 'desc' ? undefined : order.value,
  }))

  function loadPage(page: number, gen = generation): Promise<void> {
    const running = inFlight.get(page)
    if (running) return running
    const promise = fetchPage(page, gen).finally(() => {
      if (inFlight.get(page) === promise) inFlight.delete(page)
    })
    inFlight.set(page, promise)
    return promise
  }

  async function fetchPage(page: number, gen: number): Promise<void> {
    try {
      const result = await lab.invoke('runs:list', { ...query.value, offset: page * PAGE_SIZE, limit: PAGE_SIZE })
      if (gen !== generation) return
      // The rows of the previous query stay on screen until the new query's first answer replaces them.
      if (stale) {
        pages.clear()
        stale = false
      }
      pages.set(page, result.items)
      total.value = result.total
      loaded.value = true
      error.value = null
      version.value++
    } catch (e) {
      if (gen === generation) error.value = errorMessage(e)
    }
  }

  /** Loads the pages covering rows [start, end) that are not loaded yet. */
  function ensureRange(start: number, end: number): Promise<void> {
    visible = [start, end]
    const first = Math.floor(Math.max(0, start) / PAGE_SIZE)
    const last = Math.floor(Math.max(start, end - 1) / PAGE_SIZE)
    const loads: Promise<void>[] = []
    for (let page = first; page <= last; page++) if (stale || !pages.has(page)) loads.push(loadPage(page))
    return Promise.all(loads).then(() => undefined)
  }

  function rowAt(index: number): RunListItem | undefined {
    void version.value
    return pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE]
  }

  /** Ids of the rows [start, end], loading what is missing first (shift-click ranges). */
  async function idsBetween(start: number, end: number): Promise<number[]> {
    const [a, b] = start <= end ? [start, end] : [end, start]
    await ensureRange(a, b + 1)
    const ids: number[] = []
    for (let i = a; i <= b; i++) {
      const row = rowAt(i)
      if (row) ids.push(row.run.id)
    }
    return ids
  }

  /** Starts over from the first page: the query changed. */
  function reset(): void {
    generation++
    stale = true
    inFlight.clear()
    void loadPage(0)
  }

  /** Reloads the pages on screen and forgets the others (runs were added, changed or deleted). */
  async function refresh(): Promise<void> {
    const gen = ++generation
    inFlight.clear()
    const first = Math.floor(visible[0] / PAGE_SIZE)
    const last = Math.floor(Math.max(visible[0], visible[1] - 1) / PAGE_SIZE)
    const keep = new Set<number>()
    for (let page = first; page <= last; page++) keep.add(page)
    await Promise.all([...keep].map((page) => loadPage(page, gen)))
    if (gen !== generation) return
    for (const page of [...pages.keys()]) if (!keep.has(page)) pages.delete(page)
    version.value++
  }

  async function loadFacets(): Promise<void> {
    try {
      facets.value = await lab.invoke('runs:facets', {})
    } catch (e) {
      error.value = errorMessage(e)
    }
  }

  watch(query, reset, { deep: true })

  const scheduleRefresh = debounced(() => {
    void refresh()
    void loadFacets()
  }, REFRESH_DELAY_MS)

  // Progress only moves the step counter: patch the loaded row instead of asking the server again.
  let progress = new Map<number, number>()
  const progressBatch = frameBatcher(() => {
    const steps = progress
    progress = new Map()
    let changed = false
    for (const items of pages.values()) {
      for (const item of items) {
        const step = steps.get(item.run.id)
        if (step === undefined) continue
        item.run.stepsDone = step
        item.run.status = 'running'
        changed = true
      }
    }
    if (changed) version.value++
  })

  const attach = refCounted(() => {
    if (!loaded.value) reset()
    else void refresh()
    void loadFacets()
    return [
      lab.on('run:created', scheduleRefresh),
      lab.on('run:started', scheduleRefresh),
      lab.on('run:ended', scheduleRefresh),
      lab.on('runs:changed', scheduleRefresh),
      lab.on('run:progress', (p) => {
        progress.set(p.runId, p.step)
        progressBatch.schedule()
      }),
      lab.onReconnect(scheduleRefresh),
      () => {
        scheduleRefresh.cancel()
        progressBatch.cancel()
      },
    ]
  })

  /** Replaces one run's row after an edit, without a reload. */
  function patchRow(item: RunListItem): void {
    for (const items of pages.values()) {
      const i = items.findIndex((x) => x.run.id === item.run.id)
      if (i >= 0) items[i] = item
    }
    version.value++
  }

  return {
    search, status, presets, tags, filters, sort, order,
    query, total, loaded, error, facets, version,
    attach, ensureRange, rowAt, idsBetween, refresh, loadFacets, patchRow, scheduleRefresh,
  }
})
