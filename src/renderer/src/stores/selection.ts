import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'

const STORAGE_KEY = 'grokking-lab.selection'

function load(): number[] {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '[]')
    return Array.isArray(parsed) ? parsed.filter((id): id is number => Number.isInteger(id) && id > 0) : []
  } catch {
    return []
  }
}

/** Runs picked for comparison: one list for every view, kept for the tab's life (sessionStorage). */
export const useSelectionStore = defineStore('selection', () => {
  const ids = ref<number[]>(load())
  const set = computed(() => new Set(ids.value))

  watch(ids, (value) => {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value))
    } catch {
      // Storage disabled: the selection lasts as long as the page.
    }
  })

  function has(id: number): boolean {
    return set.value.has(id)
  }
  function toggle(id: number, on = !has(id)): void {
    if (on && !has(id)) ids.value = [...ids.value, id]
    else if (!on && has(id)) ids.value = ids.value.filter((x) => x !== id)
  }
  function add(more: number[]): void {
    const next = new Set(ids.value)
    for (const id of more) next.add(id)
    ids.value = [...next]
  }
  function remove(gone: number[]): void {
    const drop = new Set(gone)
    ids.value = ids.value.filter((id) => !drop.has(id))
  }
  function replace(next: number[]): void {
    ids.value = [...new Set(next)]
  }
  function clear(): void {
    ids.value = []
  }

  return { ids, count: computed(() => ids.value.length), has, toggle, add, remove, replace, clear }
})
