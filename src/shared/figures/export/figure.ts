// Every chart the lab draws, as one tagged union of the plain descriptions in ../: what export
// renders to SVG, PDF, PNG, pgfplots and data, whichever view it came from.
import type { BarFigure, GridHeatmapFigure, ScatterFigure } from '../fourier-figures'
import type { HeatmapFigure } from '../heatmap-figure'
import type { LineFigure } from '../line-figure'
import type { PhaseGrid, ScalingFigure } from '../sweep-figures'

export type Figure =
  | { kind: 'line'; figure: LineFigure }
  /** Charts in a grid (small multiples: one column per run), row by row. */
  | { kind: 'panels'; title: string; columns: number; panels: LineFigure[] }
  | { kind: 'bar'; figure: BarFigure }
  | { kind: 'scatter'; figure: ScatterFigure }
  | { kind: 'grid-heatmap'; figure: GridHeatmapFigure }
  | { kind: 'heatmap'; figure: HeatmapFigure }
  | { kind: 'scaling'; figure: ScalingFigure }
  | { kind: 'phase'; title: string; grid: PhaseGrid }

/** A figure's title, whatever its kind. */
export function figureTitle(f: Figure): string {
  return f.kind === 'panels' || f.kind === 'phase' ? f.title : f.figure.title
}
