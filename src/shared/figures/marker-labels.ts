// The clock markers' labels, one rule for the page (an overlay over the chart) and print (ECharts
// markLines), so both say the same thing at the same steps.
import { num } from '../format-number'
import type { FigureMarker, LineFigure } from './line-figure'

/** One marker with the label it shows. */
export interface MarkerLabel {
  m: FigureMarker
  /** Whether this marker draws the label of its step (markers at one step share one label). */
  first: boolean
  text: string
  /** The step's rank is even: the label sits on the line's left, else its right. */
  even: boolean
}

/**
 * The markers in x order, each with the label it shows: markers at one step share one label
 * (T_margin and T_mem often coincide), drawn by the first of them; `even` alternates with the
 * step's rank so that clocks a few steps apart stay readable.
 */
export function markerLabels(figure: Pick<LineFigure, 'markers'>): MarkerLabel[] {
  const sorted = [...figure.markers].sort((a, b) => a.x - b.x)
  const labelled = new Map<number, string[]>()
  for (const m of sorted) labelled.set(m.x, [...(labelled.get(m.x) ?? []), m.label])
  const xs = [...labelled.keys()]
  const shown = new Set<number>()
  return sorted.map((m) => {
    const first = !shown.has(m.x)
    shown.add(m.x)
    return { m, first, text: `${labelled.get(m.x)!.join(' · ')} ${num(m.x)}`, even: xs.indexOf(m.x) % 2 === 0 }
  })
}
