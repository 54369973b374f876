// Line figures (and grids of them) as print ECharts options: curves at the style's line width,
// clock markers with their steps, axes as the figure (or the style) says.
import { num } from '../../../format-number'
import { drawable, yExtent, type FigureSeries, type LineDash, type LineFigure } from '../../line-figure'
import { INK, inkOf, legendOption, legendRoom, pageOption, printAxis, tickWidth, titleLines, topMargin, bottomMargin, xNameGap, yNameGap, type PrintLook } from './print-look'

const DASH: Record<LineDash, 'solid' | 'dashed' | 'dotted'> = { solid: 'solid', dashed: 'dashed', dotted: 'dotted' }

function points(s: FigureSeries, log: boolean): [number, number | null][] {
  const n = Math.min(s.steps.length, s.values.length)
  const out: [number, number | null][] = new Array(n)
  for (let i = 0; i < n; i++) out[i] = [s.steps[i], drawable(s.values[i], log ? 'log' : 'linear') ? s.values[i] : null]
  return out
}

const legendNames = (figures: LineFigure[]) => [...new Set(figures.flatMap((f) => f.series.map((s) => s.legend ?? s.name)))]

/** Markers at one step share a label; labels alternate sides so near clocks stay readable. */
function markLine(figure: LineFigure, look: PrintLook, room: number) {
  const fs = look.style.fontSize
  const labelled = new Map<number, string[]>()
  for (const m of [...figure.markers].sort((a, b) => a.x - b.x)) labelled.set(m.x, [...(labelled.get(m.x) ?? []), m.label])
  const xs = [...labelled.keys()]
  const { lo, hi } = xRange(figure)
  // Labels run along their lines: in a short plot they get smaller rather than cross the axis.
  const longest = Math.max(1, ...[...labelled].map(([x, names]) => `${names.join(' · ')} ${num(x)}`.length))
  const labelSize = Math.max(fs * 0.5, Math.min(fs * 0.8, room / (longest * 0.6)))
  const shown = new Set<number>()
  const data = [...figure.markers]
    .sort((a, b) => a.x - b.x)
    .map((m) => {
      const first = !shown.has(m.x)
      shown.add(m.x)
      return {
        xAxis: m.x,
        name: m.label,
        lineStyle: { color: m.color, type: DASH[m.dash ?? 'dashed'], width: Math.max(0.5, look.style.lineWidth * 0.8) },
        label: {
          show: first,
          // Near the left edge a label left of its line would cover the y tick labels.
          position: xs.indexOf(m.x) % 2 === 0 && m.x - lo > 0.12 * (hi - lo) ? ('insideEndTop' as const) : ('insideEndBottom' as const),
          formatter: `${labelled.get(m.x)!.join(' · ')} ${num(m.x)}`,
          color: inkOf(m.color),
          fontSize: labelSize,
          fontFamily: look.style.fontFamily,
          textBorderColor: INK.halo,
          textBorderWidth: 2,
        },
      }
    })
  return { symbol: ['none', 'none'], silent: true, animation: false, data }
}

/** The x range the chart spans: its fixed bounds, else its data and markers. */
function xRange(figure: LineFigure): { lo: number; hi: number } {
  let lo = figure.x.min ?? Infinity
  let hi = figure.x.max ?? -Infinity
  if (figure.x.min === undefined || figure.x.max === undefined) {
    for (const x of [...figure.series.flatMap((s) => s.steps), ...figure.markers.map((m) => m.x)]) {
      if (figure.x.min === undefined) lo = Math.min(lo, x)
      if (figure.x.max === undefined) hi = Math.max(hi, x)
    }
  }
  return lo < hi ? { lo, hi } : { lo: 0, hi: 1 }
}

interface Box {
  left: number
  top: number
  width: number
  height: number
}

function panelParts(figure: LineFigure, look: PrintLook, index: number, box: Box, names: { x: boolean; y: boolean }) {
  const { style } = look
  const logX = style.logX ?? figure.x.scale === 'log'
  const logY = style.logY ?? figure.y.scale === 'log'
  const e = yExtent({ ...figure, y: { ...figure.y, scale: logY ? 'log' : 'linear' } }) ?? { min: 0, max: 1 }
  const yGap = yNameGap(look, tickWidth(look, figure.y.min ?? e.min, figure.y.max ?? e.max))
  const series = figure.series.map((s) => ({
    id: `${index}:${s.id}`,
    name: s.legend ?? s.name,
    type: 'line' as const,
    xAxisIndex: index,
    yAxisIndex: index,
    data: points(s, logY),
    showSymbol: false,
    connectNulls: false,
    lineStyle: { color: s.color, width: style.lineWidth, type: DASH[s.dash ?? 'solid'] },
    itemStyle: { color: s.color },
  }))
  series.push({ id: `${index}:markers`, name: '', type: 'line', xAxisIndex: index, yAxisIndex: index, data: [], markLine: markLine(figure, look, box.height * 0.92) } as never)
  return {
    grid: { left: box.left, top: box.top, width: box.width, height: box.height, outerBoundsMode: 'none' as const },
    xAxis: { ...printAxis(look, { name: style.xLabel ?? figure.x.label, log: logX, min: figure.x.min, max: figure.x.max, nameGap: xNameGap(look), showName: names.x }), gridIndex: index },
    yAxis: { ...printAxis(look, { name: style.yLabel ?? figure.y.label, log: logY, min: figure.y.min, max: figure.y.max, nameGap: yGap, showName: names.y }), gridIndex: index },
    yGap,
    series,
  }
}

/** A grid of line charts, `columns` per row, sharing one legend; axis names on the outer edges only. */
export function panelsOption(panels: LineFigure[], columns: number, look: PrintLook) {
  const { style } = look
  const fs = style.fontSize
  const names = legendNames(panels)
  const room = legendRoom(look, names)
  const cols = Math.max(1, Math.min(columns, panels.length))
  const rows = Math.max(1, Math.ceil(panels.length / cols))
  const subTitles = panels.length > 1
  const top = topMargin(look, names.length > 0 && style.legend !== 'none', titleLines(look))
  const bottom = bottomMargin(look) + room.bottom
  const yRoom = Math.max(...panels.map((p) => panelParts(p, look, 0, { left: 0, top: 0, width: 1, height: 1 }, { x: true, y: true }).yGap)) + fs * 0.8
  const hGap = fs * 1.2 + (subTitles ? 0 : 0)
  const vGap = fs * (subTitles ? 3.9 : 2.2)
  const cellW = (look.width - yRoom - fs * 2 - room.right - (cols - 1) * (hGap + yRoom * 0.6)) / cols
  const cellH = (look.height - top - bottom - (rows - 1) * vGap - (subTitles ? fs * 1.6 : 0)) / rows
  const parts = panels.map((p, i) => {
    const r = Math.floor(i / cols)
    const c = i % cols
    const box = { left: yRoom + c * (cellW + hGap + yRoom * 0.6), top: top + (subTitles ? fs * 1.6 : 0) + r * (cellH + vGap), width: Math.max(10, cellW), height: Math.max(10, cellH) }
    return { ...panelParts(p, look, i, box, { x: r === rows - 1 || i + cols >= panels.length, y: c === 0 }), box, title: p.title }
  })
  const page = pageOption(look)
  return {
    ...page,
    title: [
      page.title,
      ...(subTitles
        ? parts.map((p) => ({ text: p.title, left: p.box.left, top: p.box.top - fs * 1.6, textStyle: { fontSize: fs * 0.9, fontWeight: 'normal' as const, color: INK.text, fontFamily: style.fontFamily } }))
        : []),
    ],
    legend: legendOption(look, names, { top: parts[0]?.box.top ?? top, right: look.width - ((parts[0]?.box.left ?? 0) + (parts[0]?.box.width ?? 0)) }),
    grid: parts.map((p) => p.grid),
    xAxis: parts.map((p) => p.xAxis),
    yAxis: parts.map((p) => p.yAxis),
    series: parts.flatMap((p) => p.series),
  }
}

/** One line chart in print. */
export function lineOption(figure: LineFigure, look: PrintLook) {
  return panelsOption([figure], 1, look)
}
