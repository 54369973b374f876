// One formatter for the page: toLocaleString builds a new one per call, which shows in long tables.
const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** An accuracy in [0, 1] as a percentage with one decimal, or a dash when unknown. */
export function percent(value: number | null | undefined): string {
  return value == null ? '—' : `${(value * 100).toFixed(1)}%`
}

/** A step number with thousands separators, or a dash when unknown. */
export function stepCount(value: number | null | undefined): string {
  return value == null ? '—' : INTEGER.format(value)
}

/** The message of anything thrown, for showing to the user. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

export { num } from '../../shared/format-number'

/** Seconds as `1 h 02 min`, `3 min 05 s` or `12 s`. */
export function duration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—'
  const s = Math.round(seconds)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`
}

/** An ISO timestamp as local `YYYY-MM-DD HH:MM`. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** `1 run`, `3 runs`. */
export function plural(n: number, word: string): string {
  return `${INTEGER.format(n)} ${word}${n === 1 ? '' : 's'}`
}
