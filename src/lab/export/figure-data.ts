// The data behind a figure as tables: every point the figure was built from (the export
// builders read whole series, never the page's downsampled ones), for CSV, JSON and pgfplots.
import type { Figure } from '../../shared/figures/export/figure'
import type { LineFigure } from '../../shared/figures/line-figure'

export interface DataTable {
  columns: string[]
  rows: (string | number | null)[][]
}

function lineRows(figures: LineFigure[]): DataTable {
  const rows: DataTable['rows'] = []
  figures.forEach((f, panel) => {
    for (const s of f.series) {
      const n = Math.min(s.steps.length, s.values.length)
      for (let i = 0; i < n; i++) rows.push([panel, s.name, s.legend ?? s.name, s.runId ?? null, s.steps[i], Number.isFinite(s.values[i]) ? s.values[i] : null])
    }
  })
  return { columns: ['panel', 'series', 'legend', 'run_id', 'x', 'y'], rows }
}

/** One long table of everything the figure draws. */
export function figureTable(figure: Figure): DataTable {
  switch (figure.kind) {
    case 'line':
      return lineRows([figure.figure])
    case 'panels':
      return lineRows(figure.panels)
    case 'bar':
      return { columns: ['category', 'value', 'marked'], rows: figure.figure.bars.map((b) => [b.category, b.value, b.label ? 1 : 0]) }
    case 'scatter':
      return { columns: ['label', 'x', 'y'], rows: figure.figure.points.map((p) => [p.label, p.x, p.y]) }
    case 'grid-heatmap': {
      const f = figure.figure
      const rows: DataTable['rows'] = []
      f.rows.values.forEach((rv, r) => f.columns.values.forEach((cv, c) => rows.push([rv, cv, f.cells[r][c]])))
      return { columns: [f.rows.label, f.columns.label, 'value'], rows }
    }
    case 'heatmap': {
      const f = figure.figure
      const rows: DataTable['rows'] = []
      for (let r = 0; r < f.rows; r++) {
        for (let c = 0; c < f.cols; c++) {
          const v = f.values[r * f.cols + c]
          rows.push([f.rowOrder ? f.rowOrder[r] : r, f.colOrder ? f.colOrder[c] : c, r, c, Number.isFinite(v) ? v : null])
        }
      }
      return { columns: ['row', 'col', 'drawn_row', 'drawn_col', 'value'], rows }
    }
    case 'scaling': {
      const f = figure.figure
      return {
        columns: ['kind', 'name', 'run_id', 'x', 'y'],
        rows: [
          ...f.points.map((p) => ['run', 'fired', p.runId, p.x, p.y]),
          ...f.censored.map((p) => ['run', 'never fired', p.runId, p.x, null]),
          ...f.lines.flatMap((l) => l.points.map(([x, y]) => ['line', l.name, null, x, y])),
        ],
      }
    }
    case 'phase': {
      const g = figure.grid
      return {
        columns: [g.colKey, g.rowKey ?? 'row', 'phase', 'run_ids', 'no_fit', 'memorized', 'grokked', 'generalized_without_delay'],
        rows: g.cells.map((c) => [String(g.cols[c.col]), g.rowKey ? String(g.rows[c.row]) : '', c.phase, c.runIds.join(' '), c.counts['no fit'], c.counts.memorized, c.counts.grokked, c.counts['generalized without delay']]),
      }
    }
  }
}

function cell(v: string | number | null): string {
  if (v === null) return ''
  if (typeof v === 'number') return String(v)
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

/** RFC 4180 CSV; a missing or non-finite value is an empty field. */
export function toCsv(table: DataTable): string {
  return [table.columns, ...table.rows].map((r) => r.map(cell).join(',')).join('\n') + '\n'
}

/** The figure description as JSON (typed arrays as plain arrays). */
export function figureJson(figure: Figure, provenance: unknown): string {
  return JSON.stringify({ figure, provenance }, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v), 1) + '\n'
}
