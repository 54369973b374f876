// The chart types the Fourier view adds to echarts.ts's line charts. `use` registers globally, so
// only pages that import this pay for bars, scatter and heatmaps in their chunk.
import { BarChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts'
import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption, ScatterSeriesOption } from 'echarts/charts'
import { GridComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from 'echarts/components'
import type { GridComponentOption, MarkLineComponentOption, TooltipComponentOption, VisualMapComponentOption } from 'echarts/components'
import { init, use, type ComposeOption } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'

use([BarChart, ScatterChart, HeatmapChart, LineChart, GridComponent, TooltipComponent, MarkLineComponent, VisualMapComponent, CanvasRenderer])

export type ExtraChartOption = ComposeOption<
  BarSeriesOption | ScatterSeriesOption | HeatmapSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | MarkLineComponentOption | VisualMapComponentOption
>
export { init }
