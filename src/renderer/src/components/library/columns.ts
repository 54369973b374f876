import { ref, watch } from 'vue'
import type { RunListItem } from '../../../../shared/api'
import { dateTime, num, percent, stepCount } from '../../format'

export interface Column {
  /** Also the cell's test id: `cell-<key>`. */
  key: string
  label: string
  title?: string
  /** Pixels, fixed: the header and the rows are separate grids and must line up. */
  width: number
  numeric?: boolean
  /** The server's sort key (RUN_SORT_KEYS or `config.KEY`); absent = not sortable. */
  sort?: string
  /** Plain text of the cell (name, status and notes have their own cells). */
  text: (item: RunListItem) => string
  hidden?: boolean
}

function task({ run }: RunListItem): string {
  const c = run.config
  if (c.task === 'modular') return `${c.op} mod ${c.p}`
  if (c.task === 'matrix-completion') return `${c.task} ${c.dim}×${c.dim} r${c.rank}`
  return `${c.task} d${c.dim}`
}

const tMem = ({ summary, clocks }: RunListItem) => summary?.tMem ?? clocks?.T_mem ?? null
const tGen = ({ summary, clocks }: RunListItem) => summary?.tGen ?? clocks?.T_gen ?? null

/** Every column the library can show, in display order. */
export const COLUMNS: Column[] = [
  { key: 'id', label: '#', width: 56, numeric: true, sort: 'id', text: (i) => String(i.run.id) },
  { key: 'name', label: 'Name', width: 220, sort: 'name', text: (i) => i.run.name },
  { key: 'model', label: 'Model', title: 'System / model', width: 130, sort: 'config.model', text: (i) => i.run.config.model },
  { key: 'task', label: 'Task', title: 'Task and modulus p', width: 120, sort: 'config.task', text: task },
  { key: 'wd', label: 'λ', title: 'Weight decay (wd)', width: 64, numeric: true, sort: 'config.wd', text: (i) => num(i.run.config.wd) },
  { key: 'lr', label: 'lr', title: 'Learning rate', width: 64, numeric: true, sort: 'config.lr', text: (i) => num(i.run.config.lr) },
  { key: 'init_scale', label: 'α', title: 'Initialization scale (init_scale)', width: 56, numeric: true, sort: 'config.init_scale', text: (i) => num(i.run.config.init_scale) },
  { key: 'frac', label: 'frac', title: 'Train fraction', width: 56, numeric: true, sort: 'config.frac', text: (i) => num(i.run.config.frac) },
  { key: 'seed', label: 'seed', width: 52, numeric: true, sort: 'config.seed', text: (i) => String(i.run.config.seed) },
  { key: 'status', label: 'Status', width: 96, sort: 'status', text: (i) => i.run.status },
  { key: 'steps', label: 'Steps', title: 'Steps done / total', width: 120, numeric: true, sort: 'steps', text: (i) => `${stepCount(i.run.stepsDone)} / ${stepCount(i.run.totalSteps)}`, hidden: true },
  { key: 'engine', label: 'Engine · backend', width: 150, text: (i) => [i.run.engine, i.run.backend].filter(Boolean).join(' · ') || '—' },
  { key: 'tMem', label: 'T_mem', title: 'First step with train accuracy ≥ 99%', width: 72, numeric: true, sort: 'tMem', text: (i) => stepCount(tMem(i)) },
  { key: 'tGen', label: 'T_gen', title: 'First step with test accuracy ≥ 99%', width: 72, numeric: true, sort: 'tGen', text: (i) => stepCount(tGen(i)) },
  { key: 'tStruct', label: 'T_struct', title: 'Structural energy settles within δ of its final value', width: 76, numeric: true, sort: 'tStruct', text: (i) => stepCount(i.clocks?.T_struct) },
  { key: 'trainAcc', label: 'Train acc', width: 76, numeric: true, sort: 'trainAcc', text: (i) => percent(i.summary?.trainAcc) },
  { key: 'testAcc', label: 'Test acc', width: 76, numeric: true, sort: 'testAcc', text: (i) => percent(i.summary?.testAcc) },
  { key: 'preset', label: 'Preset', width: 130, text: (i) => i.run.preset ?? '—', hidden: true },
  { key: 'tags', label: 'Tags', width: 120, text: (i) => i.run.tags.join(', ') },
  { key: 'notes', label: 'Notes', width: 180, text: (i) => i.run.notes, hidden: true },
  { key: 'created', label: 'Created', width: 128, numeric: true, sort: 'created', text: (i) => dateTime(i.run.createdAt) },
]

const STORAGE_KEY = 'grokking-lab.library-columns'
const DEFAULT_KEYS = COLUMNS.filter((c) => !c.hidden).map((c) => c.key)

function load(): string[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null')
    if (Array.isArray(stored)) {
      const known = new Set(COLUMNS.map((c) => c.key))
      const keys = stored.filter((k): k is string => typeof k === 'string' && known.has(k))
      if (keys.length) return keys
    }
  } catch {
    // Unreadable: fall back to the defaults.
  }
  return DEFAULT_KEYS
}

// One shared choice for the page, remembered across sessions (localStorage).
const visibleKeys = ref<string[]>(load())
watch(visibleKeys, (keys) => {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(keys))
  } catch {
    // Storage disabled: the choice lasts as long as the page.
  }
})

export function useColumns() {
  function toggle(key: string): void {
    // The name stays: it is what opens, renames and identifies a row.
    if (key === 'name') return
    visibleKeys.value = visibleKeys.value.includes(key) ? visibleKeys.value.filter((k) => k !== key) : COLUMNS.filter((c) => c.key === key || visibleKeys.value.includes(c.key)).map((c) => c.key)
  }
  function reset(): void {
    visibleKeys.value = DEFAULT_KEYS
  }
  return { visibleKeys, toggle, reset }
}
