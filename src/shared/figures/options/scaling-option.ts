// A sweep's clock against a swept key, in either look: the runs whose clock fired as dots, the
// censored ones hollow at the top, the fit, its interval and the theory's line. The series are
// built once; the looks differ in ink, sizes and (on the page) tooltips and named points.
import { num } from '../../format-number'
import type { ScalingFigure } from '../sweep-figures'
import type { ChartLook, ChartTheme } from './chart-look'
import { plotBox } from './print-frame'
import { INK, legendOption, pageOption, printAxis, xNameGap, type PrintLook } from './print-look'
import { screenPage, themedAxis, themedTooltip } from './screen-look'

interface Ink {
  dots: string
  hollow: string
  line: number
  fitLine: number
  dot: number
  ring: number
  ringWidth: number
  /** On the page: points carry their run id (the tooltip names it) and the theory's line its name. */
  screen: boolean
}

function scalingSeries(figure: ScalingFigure, ink: Ink) {
  const point = (p: { runId: number; x: number; y: number }) => (ink.screen ? { name: String(p.runId), value: [p.x, p.y] } : [p.x, p.y])
  return [
    ...figure.lines.map((l) => ({
      type: 'line' as const,
      name: l.name,
      data: l.points,
      symbol: 'none',
      lineStyle: { color: l.color, width: l.id === 'fit' ? ink.fitLine : ink.line, type: l.dash },
      itemStyle: { color: l.color },
      ...(ink.screen ? { endLabel: l.id === 'predicted' ? { show: true, formatter: l.name, color: l.color, fontSize: 10 } : undefined } : {}),
    })),
    { type: 'scatter' as const, name: 'runs', symbolSize: ink.dot, itemStyle: { color: ink.dots }, data: figure.points.map(point) },
    {
      type: 'scatter' as const,
      name: 'never fired',
      ...(ink.screen ? { symbol: 'circle' } : {}),
      symbolSize: ink.ring,
      itemStyle: { color: 'transparent', borderColor: ink.hollow, borderWidth: ink.ringWidth },
      data: figure.censored.map(point),
    },
  ]
}

function screenOption(figure: ScalingFigure, theme: ChartTheme) {
  const axis = (a: ScalingFigure['x'], gap: number) => ({
    ...themedAxis(theme, a.scale === 'log' ? `${a.label} (log)` : a.label, gap),
    type: a.scale === 'log' ? ('log' as const) : ('value' as const),
    logBase: 10,
    scale: true,
    min: a.min,
    max: a.max,
    axisLabel: { color: theme.muted, formatter: (v: number) => num(v, 2) },
  })
  const pointTip = (p: unknown) => {
    const { data, seriesName } = p as { seriesName: string; data: { name?: string; value: [number, number] } }
    return data.name ? `run #${data.name} (${seriesName})<br>${num(data.value[0], 3)} → ${seriesName === 'never fired' ? '—' : num(data.value[1], 4)}` : seriesName
  }
  return {
    ...screenPage(theme),
    grid: { left: 64, right: 18, top: 16, bottom: 42 },
    tooltip: { ...themedTooltip(theme), trigger: 'item', formatter: pointTip },
    xAxis: axis(figure.x, 26),
    yAxis: axis(figure.y, 48),
    series: scalingSeries(figure, { dots: theme.text, hollow: theme.muted, line: 1.4, fitLine: 2, dot: 9, ring: 10, ringWidth: 1.5, screen: true }),
  }
}

function printScalingOption(figure: ScalingFigure, look: PrintLook) {
  const { style } = look
  const names = [...figure.lines.map((l) => l.name), 'runs', ...(figure.censored.length ? ['never fired'] : [])]
  const ys = [...figure.points.map((p) => p.y), ...figure.lines.flatMap((l) => l.points.map((q) => q[1]))]
  const { grid, yGap } = plotBox(look, { yMin: Math.min(...ys), yMax: Math.max(...ys), legend: names })
  return {
    ...pageOption(look),
    grid,
    legend: { ...legendOption(look, names, grid), icon: undefined, data: names.map((name) => ({ name, icon: name === 'runs' || name === 'never fired' ? 'circle' : undefined })) },
    xAxis: printAxis(look, { name: style.xLabel ?? figure.x.label, log: style.logX ?? figure.x.scale === 'log', min: figure.x.min, max: figure.x.max, nameGap: xNameGap(look) }),
    yAxis: printAxis(look, { name: style.yLabel ?? figure.y.label, log: style.logY ?? figure.y.scale === 'log', min: figure.y.min, max: figure.y.max, nameGap: yGap }),
    series: scalingSeries(figure, {
      dots: INK.text,
      hollow: INK.muted,
      line: style.lineWidth,
      fitLine: style.lineWidth * 1.3,
      dot: style.fontSize * 0.7,
      ring: style.fontSize * 0.8,
      ringWidth: 1,
      screen: false,
    }),
  }
}

/** The ECharts option of a scaling figure in `look` (the sweep page and export both call this). */
export function scalingOption(figure: ScalingFigure, look: ChartLook) {
  return look.kind === 'screen' ? screenOption(figure, look.theme) : printScalingOption(figure, look)
}
