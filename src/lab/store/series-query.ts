import type Database from 'better-sqlite3'
import type { MetricInfo, SeriesData } from '../../shared/api'
import { downsampleSeries } from '../analysis/downsample-series'

export interface SeriesWindow {
  names?: string[]
  from?: number
  to?: number
  /** Buckets to downsample to (each keeps first, min, max, last); every point when absent. */
  width?: number
}

/** Every stored metric of a run with its point count and step range, by name. */
export function metricInfo(db: Database.Database, runId: number): MetricInfo[] {
  return db
    .prepare('SELECT name, COUNT(*) AS points, MIN(step) AS firstStep, MAX(step) AS lastStep FROM metrics WHERE run_id = ? GROUP BY name ORDER BY name')
    .all(runId) as MetricInfo[]
}

/** The run's series (the named ones, else all) over [from, to], downsampled to `width` buckets when given. */
export function readSeriesWindow(db: Database.Database, runId: number, window: SeriesWindow): SeriesData[] {
  const where = ['run_id = ?']
  const params: (number | string)[] = [runId]
  if (window.names) {
    if (window.names.length === 0) return []
    where.push(`name IN (${window.names.map(() => '?').join(', ')})`)
    params.push(...window.names)
  }
  if (window.from !== undefined) {
    where.push('step >= ?')
    params.push(window.from)
  }
  if (window.to !== undefined) {
    where.push('step <= ?')
    params.push(window.to)
  }
  const rows = db.prepare(`SELECT name, step, value FROM metrics WHERE ${where.join(' AND ')} ORDER BY name, step`).all(...params) as {
    name: string
    step: number
    value: number | null
  }[]
  const byName = new Map<string, { steps: number[]; values: number[] }>()
  for (const r of rows) {
    let s = byName.get(r.name)
    if (!s) byName.set(r.name, (s = { steps: [], values: [] }))
    s.steps.push(r.step)
    s.values.push(r.value ?? Number.NaN)
  }
  return [...byName].map(([name, s]) => ({ name, ...downsampleSeries(s.steps, s.values, window.width, window.from, window.to) }))
}
