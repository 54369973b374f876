// Bars (Fourier spectra, neuron counts, the neuron strip) as an ECharts option in either look:
// one bar per category in its colour, key ones labelled above.
import { num } from '../../format-number'
import type { BarFigure } from '../fourier-figures'
import type { ChartLook, ScreenLook } from './chart-look'
import { categoryAxis, plotBox } from './print-frame'
import { INK, pageOption, printAxis, xNameGap, type PrintLook } from './print-look'
import { screenPage, themedAxis, themedTooltip } from './screen-look'

/** The bars with their colours; a key bar's label in `labelStyle`. */
function bars(figure: BarFigure, labelStyle: (color: string) => Record<string, unknown>) {
  return figure.bars.map((b) => ({
    value: b.value,
    itemStyle: { color: b.color },
    label: b.label ? { show: true, position: 'top' as const, formatter: b.label, ...labelStyle(b.color) } : { show: false },
  }))
}

function screenBars(figure: BarFigure, { theme }: ScreenLook) {
  // Many bars (a neuron strip): no gaps and no per-bar axis labels, which would overlap.
  const dense = figure.bars.length > 64
  return {
    ...screenPage(theme),
    grid: { left: 56, right: 14, top: 22, bottom: 40 },
    tooltip: { ...themedTooltip(theme), trigger: 'axis' as const, valueFormatter: (v: unknown) => num(v as number, 3) },
    xAxis: {
      ...themedAxis(theme, figure.x.label),
      type: 'category' as const,
      data: figure.bars.map((b) => b.category),
      axisLabel: { color: theme.muted, show: !dense, interval: 'auto' as const },
      splitLine: { show: false },
    },
    yAxis: { ...themedAxis(theme, figure.y.label, 42), type: figure.y.scale === 'log' ? ('log' as const) : ('value' as const), min: figure.y.min, max: figure.y.max, axisLabel: { color: theme.muted, formatter: (v: number) => num(v, 2) } },
    series: [{ type: 'bar' as const, name: figure.y.label, barCategoryGap: dense ? 0 : '20%', data: bars(figure, (color) => ({ color, fontWeight: 'bold' as const })) }],
  }
}

function printBars(figure: BarFigure, look: PrintLook) {
  const { style } = look
  const max = Math.max(0, ...figure.bars.map((b) => b.value))
  const { grid, yGap } = plotBox(look, { yMin: 0, yMax: max, legend: [] })
  const dense = figure.bars.length > 40
  return {
    ...pageOption(look),
    grid,
    xAxis: categoryAxis(look, style.xLabel ?? figure.x.label, figure.bars.map((b) => b.category), xNameGap(look), false),
    yAxis: printAxis(look, { name: style.yLabel ?? figure.y.label, log: style.logY ?? figure.y.scale === 'log', min: figure.y.min, max: figure.y.max, nameGap: yGap }),
    series: [{ type: 'bar', barCategoryGap: dense ? '10%' : '25%', data: bars(figure, () => ({ color: INK.text, fontSize: style.fontSize * 0.8, fontFamily: style.fontFamily })) }],
  }
}

/** The ECharts option of a bar figure in `look`. */
export function barOption(figure: BarFigure, look: ChartLook) {
  return look.kind === 'screen' ? screenBars(figure, look) : printBars(figure, look)
}
