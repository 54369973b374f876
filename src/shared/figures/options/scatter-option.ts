// Points in a plane (the tokens in a frequency's cos/sin plane) as an ECharts option in either
// look: each point in its colour, labelled where the figure says; equal-aspect figures keep a
// square plot area so that a circle is drawn round.
import { num } from '../../format-number'
import type { ScatterFigure } from '../fourier-figures'
import type { ChartLook, ScreenLook } from './chart-look'
import { plotBox } from './print-frame'
import { INK, pageOption, printAxis, xNameGap, type PrintLook } from './print-look'
import { screenPage, themedAxis, themedTooltip } from './screen-look'

function points(figure: ScatterFigure) {
  return figure.points.map((pt) => ({ name: pt.label, value: [pt.x, pt.y], itemStyle: { color: pt.color } }))
}

function screenScatter(figure: ScatterFigure, { theme }: ScreenLook) {
  const axis = (a: ScatterFigure['x'], gap: number) => ({ ...themedAxis(theme, a.label, gap), type: 'value' as const, min: a.min, max: a.max, axisLabel: { color: theme.muted, formatter: (v: number) => num(v, 2) } })
  return {
    ...screenPage(theme),
    // Equal margins on a square canvas keep equal-scaled axes round.
    grid: figure.equalAspect ? { left: 40, right: 40, top: 20, bottom: 40 } : { left: 52, right: 16, top: 20, bottom: 40 },
    tooltip: {
      ...themedTooltip(theme),
      trigger: 'item' as const,
      formatter: (p: unknown) => {
        const { data } = p as { data: { name: string; value: [number, number] } }
        return `token ${data.name}<br>(${num(data.value[0], 3)}, ${num(data.value[1], 3)})`
      },
    },
    xAxis: axis(figure.x, 24),
    yAxis: axis(figure.y, 28),
    series: [{ type: 'scatter' as const, symbolSize: 7, data: points(figure), label: { show: figure.showLabels, position: 'right' as const, formatter: '{b}', fontSize: 9, color: theme.muted } }],
  }
}

function printScatter(figure: ScatterFigure, look: PrintLook) {
  const { style } = look
  const fs = style.fontSize
  const box = plotBox(look, { yMin: figure.y.min ?? 0, yMax: figure.y.max ?? 1, legend: [] })
  const grid = { ...box.grid }
  if (figure.equalAspect) {
    // The largest square the margins leave, centred across the page.
    const side = Math.max(10, Math.min(look.width - grid.left - grid.right, look.height - grid.top - grid.bottom))
    const spare = look.width - grid.left - grid.right - side
    grid.left += spare / 2
    grid.right += spare / 2
    grid.bottom = look.height - grid.top - side
  }
  const axis = (a: ScatterFigure['x'], name: string | undefined, nameGap: number) => printAxis(look, { name: name ?? a.label, log: a.scale === 'log', min: a.min, max: a.max, nameGap })
  return {
    ...pageOption(look),
    grid,
    xAxis: axis(figure.x, style.xLabel, xNameGap(look)),
    yAxis: axis(figure.y, style.yLabel, box.yGap),
    series: [
      {
        type: 'scatter',
        symbolSize: fs * 0.6,
        data: points(figure),
        label: { show: figure.showLabels, position: 'right', formatter: '{b}', fontSize: fs * 0.7, fontFamily: style.fontFamily, color: INK.muted },
      },
    ],
  }
}

/** The ECharts option of a scatter figure in `look`. */
export function scatterOption(figure: ScatterFigure, look: ChartLook) {
  return look.kind === 'screen' ? screenScatter(figure, look) : printScatter(figure, look)
}
