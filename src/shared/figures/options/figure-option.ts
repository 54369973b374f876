// One entry point: any figure as an ECharts option in a look (export's SVG renderer passes the
// print look; the page's chart components call the per-kind builders with the screen look).
import type { Figure } from '../export/figure'
import { barOption } from './bar-option'
import type { ChartLook } from './chart-look'
import { gridHeatmapOption } from './grid-heatmap-option'
import { lineOption, panelsOption } from './line-option'
import { heatmapOption, phaseOption } from './print-options'
import { scalingOption } from './scaling-option'
import { scatterOption } from './scatter-option'

/**
 * The ECharts option of `figure` in `look`. Small multiples, weight heatmaps and phase maps exist
 * only in print here (the page lays those out with its own components, from the same descriptions).
 */
export function figureOption(figure: Figure, look: ChartLook, heatmapImage?: string): Record<string, unknown> {
  switch (figure.kind) {
    case 'line':
      return lineOption(figure.figure, look)
    case 'bar':
      return barOption(figure.figure, look)
    case 'scatter':
      return scatterOption(figure.figure, look)
    case 'grid-heatmap':
      return gridHeatmapOption(figure.figure, look)
    case 'scaling':
      return scalingOption(figure.figure, look)
  }
  if (look.kind !== 'print') throw new Error(`a ${figure.kind} figure is drawn on the page by its own component`)
  switch (figure.kind) {
    case 'panels':
      return panelsOption(figure.panels, figure.columns, look)
    case 'heatmap':
      if (!heatmapImage) throw new Error('a heatmap figure needs its raster image')
      return heatmapOption(figure.figure, look, heatmapImage)
    case 'phase':
      return phaseOption(figure.grid, look)
  }
}
