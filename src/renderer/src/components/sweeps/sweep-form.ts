import { applyOverride } from '../../../../shared/run-config'

export interface GridRow {
  key: string
  values: string
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/** Comma-separated values of one axis, each read as `--set key=value` reads it (as the CLI's --grid does). */
export function parseAxis(row: GridRow): { values: unknown[]; error: string | null } {
  const raw = row.values.split(',').map((v) => v.trim()).filter((v) => v !== '')
  if (!row.key) return { values: [], error: 'choose a key' }
  if (raw.length === 0) return { values: [], error: `give ${row.key} at least one value` }
  try {
    const [head, sub] = row.key.split('.')
    const values = raw.map((v) => {
      const probe: Record<string, unknown> = {}
      applyOverride(probe, `${row.key}=${v}`)
      return sub ? (probe[head] as Record<string, unknown>)[sub] : probe[head]
    })
    return { values, error: null }
  } catch (e) {
    return { values: [], error: message(e) }
  }
}

/** `key=value` lines (the CLI's --set) as a config object; blank lines and `#` comments are skipped. */
export function parseOverrides(text: string): { config: Record<string, unknown>; error: string | null } {
  const config: Record<string, unknown> = {}
  try {
    for (const line of text.split('\n')) {
      const t = line.trim()
      if (t && !t.startsWith('#')) applyOverride(config, t)
    }
    return { config, error: null }
  } catch (e) {
    return { config, error: message(e) }
  }
}

/** Runs a sweep starts: the product of the axis lengths, times the seeds. */
export function runCount(axes: { values: unknown[] }[], seeds: number): number {
  if (axes.length === 0) return 0
  return axes.reduce((n, a) => n * a.values.length, 1) * Math.max(0, Math.floor(seeds) || 0)
}
