// One entry point: any figure in a print style as an ECharts option, for the SVG renderer.
import type { Figure } from '../figure'
import { barOption, gridHeatmapOption, heatmapOption, phaseOption, scalingOption } from './chart-options'
import { lineOption, panelsOption } from './line-option'
import type { PrintLook } from './print-look'

/** The ECharts option of `figure` in `look`; a weight heatmap needs its raster as a data URL. */
export function printOption(figure: Figure, look: PrintLook, heatmapImage?: string): Record<string, unknown> {
  switch (figure.kind) {
    case 'line':
      return lineOption(figure.figure, look)
    case 'panels':
      return panelsOption(figure.panels, figure.columns, look)
    case 'bar':
      return barOption(figure.figure, look)
    case 'grid-heatmap':
      return gridHeatmapOption(figure.figure, look)
    case 'heatmap':
      if (!heatmapImage) throw new Error('a heatmap figure needs its raster image')
      return heatmapOption(figure.figure, look, heatmapImage)
    case 'scaling':
      return scalingOption(figure.figure, look)
    case 'phase':
      return phaseOption(figure.grid, look)
  }
}
