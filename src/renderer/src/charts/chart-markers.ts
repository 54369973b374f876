// Where a line chart's clock markers sit over its canvas. They are drawn by the page, not by
// ECharts: a marker added to the option is a whole redraw of the chart (every axis, label and
// curve), and the clocks are reached in the middle of a live run.
import { markerLabels, type LineFigure } from '../../../shared/figures'

/** One marker as the overlay draws it: `left` in px from the chart's left edge. */
export interface PlacedMarker {
  key: string
  left: number
  color: string
  dash: 'solid' | 'dashed' | 'dotted'
  /** The label, on the markers that show their step's label. */
  text?: string
  side: 'left' | 'right'
}

/**
 * The figure's markers placed by `toPixel` (a step to px), keeping those inside the plot area
 * [`from`, `to`] px; markers at one step share one label (markerLabels).
 */
export function placeMarkers(figure: Pick<LineFigure, 'markers'>, toPixel: (x: number) => number, from: number, to: number): PlacedMarker[] {
  const out: PlacedMarker[] = []
  for (const [i, { m, first, text, even }] of markerLabels(figure).entries()) {
    const left = toPixel(m.x)
    // Half a pixel of slack: a clock at the last step sits on the plot's edge.
    if (!Number.isFinite(left) || left < from - 0.5 || left > to + 0.5) continue
    out.push({ key: `${i}:${m.label}`, left: Math.round(left * 2) / 2, color: m.color, dash: m.dash ?? 'dashed', text: first ? text : undefined, side: even ? 'left' : 'right' })
  }
  return out
}

/** Whether two placements draw the same thing (then the overlay is left alone). */
export function samePlacement(a: readonly PlacedMarker[], b: readonly PlacedMarker[]): boolean {
  return a.length === b.length && a.every((m, i) => m.key === b[i].key && m.left === b[i].left && m.color === b[i].color && m.dash === b[i].dash && m.text === b[i].text && m.side === b[i].side)
}
