// The frame every printed figure shares: page size in points, type, tick format, legend place and
// plot margins derived from the font size, so a figure scales from a column to a slide cleanly.
import { num } from '../../format-number'
import { figureTitle, type Figure } from '../export/figure'
import { PT_PER_MM, type FigureStyle } from '../export/figure-style'

export const INK = { text: '#000000', muted: '#333333', axis: '#555555', grid: '#dddddd', halo: '#ffffff' }

export interface PrintLook {
  kind: 'print'
  style: FigureStyle
  /** The page in points (1/72 in): what ECharts lays out as pixels. */
  width: number
  height: number
  title: string
  /** Text width in points at a font size; absent = an average glyph width. */
  measure?: (text: string, fontSize: number) => number
}

/** The look of `figure` in `style`: its size in points and its title (the style's when given). */
export function printLook(figure: Figure, style: FigureStyle, measure?: PrintLook['measure']): PrintLook {
  return { kind: 'print', style, measure, width: toHundredths(style.width * PT_PER_MM), height: toHundredths(style.height * PT_PER_MM), title: style.title ?? figureTitle(figure) }
}

function toHundredths(v: number): number {
  return Math.round(v * 100) / 100
}

/** A tick label in the style's format. */
export function tickText(style: FigureStyle, v: number): string {
  if (!Number.isFinite(v)) return ''
  if (style.tickFormat === 'plain') return String(Number(v.toPrecision(6)))
  if (style.tickFormat === 'sci') return v === 0 ? '0' : v.toExponential(1).replace('e+', 'e')
  return num(v, 3)
}

/** Space in points for the title (and a top legend of `legendRows` rows). */
export function topMargin(look: PrintLook, legendShown: boolean, lines = titleLines(look), legendRows = 1): number {
  const fs = look.style.fontSize
  return fs * 0.8 + lines * fs * 1.4 + (lines ? fs * 0.2 : 0) + (legendShown && look.style.legend === 'top' ? fs * 1.6 * legendRows : 0)
}

/** Rows a top or bottom legend of `names` wraps to across the page, as ECharts lays its entries out. */
export function legendRows(look: PrintLook, names: string[]): number {
  const fs = look.style.fontSize
  const widths = names.map((n) => fs * 2 + 5 + (look.measure ? look.measure(n, fs) : n.length * fs * 0.56))
  let rows = 1
  let used = 0
  for (const w of widths) {
    if (used > 0 && used + fs + w > look.width) {
      rows++
      used = w
    } else used += (used > 0 ? fs : 0) + w
  }
  return Math.min(4, rows)
}

/** Lines the title wraps to at the page width (0 without a title), from an average glyph width. */
export function titleLines(look: PrintLook): number {
  if (!look.title) return 0
  const size = look.style.fontSize * 1.1
  const width = look.measure ? look.measure(look.title, size) : look.title.length * size * 0.56
  return Math.min(3, Math.ceil(width / (look.width * 0.94)))
}

/** The x axis name's distance from the axis line: ticks, their labels, half the name. */
export function xNameGap(look: PrintLook): number {
  return look.style.fontSize * 2.4
}

/** The y axis name's distance from the axis line past tick labels `labelWidth` wide. */
export function yNameGap(look: PrintLook, labelWidth: number): number {
  return labelWidth + look.style.fontSize * 1.35
}

/** Space below the plot for tick labels and the x axis name. */
export function bottomMargin(look: PrintLook): number {
  return xNameGap(look) + look.style.fontSize * 0.9
}

/** Width in points of the widest tick label of a value range (for the y axis name's gap). */
export function tickWidth(look: PrintLook, min: number, max: number): number {
  const chars = Math.max(1, ...niceTicks(min, max).map((v) => tickText(look.style, v).length))
  return chars * look.style.fontSize * 0.9 * 0.62
}

/** About five round values over [min, max], as an axis would label it (1, 2 or 5 times a power of ten apart). */
function niceTicks(min: number, max: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max <= min) return [min, max].filter(Number.isFinite)
  const raw = (max - min) / 5
  const base = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((k) => k * base).find((s) => s >= raw) ?? 10 * base
  const out: number[] = []
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9 && out.length < 12; v += step) out.push(Number(v.toPrecision(12)))
  return out
}

/** A colour dark enough for text on white: Okabe–Ito's yellow is a fine line but unreadable as a label. */
export function inkOf(color: string): string {
  return color.toUpperCase() === '#F0E442' ? '#8F8500' : color
}

export function titleOption(look: PrintLook) {
  return look.title
    ? {
        text: look.title,
        left: 'center',
        top: look.style.fontSize * 0.4,
        textStyle: { fontSize: look.style.fontSize * 1.1, lineHeight: look.style.fontSize * 1.4, fontWeight: 'normal' as const, color: INK.text, fontFamily: look.style.fontFamily, width: look.width * 0.94, overflow: 'break' as const },
      }
    : { show: false }
}

/** The legend in the style's place; `inside` is the plot's top-right corner. */
export function legendOption(look: PrintLook, names: string[], grid: { top: number; right: number }) {
  const { style } = look
  const text = { fontSize: style.fontSize, color: INK.text, fontFamily: style.fontFamily }
  const common = { data: names, textStyle: text, itemWidth: style.fontSize * 2, itemHeight: style.fontSize * 0.8, itemGap: style.fontSize, icon: 'path://M0,0 L10,0 L10,1 L0,1 Z' }
  switch (style.legend) {
    case 'none':
      return { show: false }
    case 'right':
      return { ...common, orient: 'vertical' as const, right: style.fontSize * 0.4, top: 'middle' }
    case 'bottom':
      return { ...common, bottom: style.fontSize * 0.3, left: 'center' }
    case 'inside':
      return { ...common, orient: 'vertical' as const, right: grid.right + style.fontSize * 0.5, top: grid.top + style.fontSize * 0.5, backgroundColor: 'rgba(255,255,255,0.8)' }
    default:
      return { ...common, top: style.fontSize * (0.4 + titleLines(look) * 1.4 + (look.title ? 0.3 : 0)), left: 'center' }
  }
}

/** Room the legend takes on the right or at the bottom. */
export function legendRoom(look: PrintLook, names: string[]): { right: number; bottom: number } {
  const fs = look.style.fontSize
  if (names.length === 0) return { right: 0, bottom: 0 }
  if (look.style.legend === 'right') return { right: Math.max(...names.map((n) => n.length)) * fs * 0.6 + fs * 3, bottom: 0 }
  if (look.style.legend === 'bottom') return { right: 0, bottom: fs * 1.8 * legendRows(look, names) }
  return { right: 0, bottom: 0 }
}

/** One axis in print: thin black lines, ticks outside, the name centred, grid lines when asked. */
export function printAxis(look: PrintLook, opts: { name: string; log: boolean; min?: number; max?: number; nameGap: number; showName?: boolean; inverse?: boolean }) {
  const { style } = look
  const thin = Math.max(0.4, style.lineWidth / 2)
  return {
    type: opts.log ? ('log' as const) : ('value' as const),
    logBase: 10,
    name: opts.showName === false ? '' : opts.name,
    nameLocation: 'middle' as const,
    nameGap: opts.nameGap,
    nameTextStyle: { color: INK.text, fontSize: style.fontSize, fontFamily: style.fontFamily },
    min: opts.min,
    max: opts.max,
    inverse: opts.inverse,
    scale: true,
    axisLine: { show: true, onZero: false, lineStyle: { color: INK.text, width: thin } },
    // Our margins place the names; ECharts 6 would move a name that meets its tick labels.
    nameMoveOverlap: false,
    axisTick: { show: true, inside: false, length: style.fontSize * 0.35, lineStyle: { color: INK.text, width: thin } },
    // A bound taken from the data (a shared extent) is rarely a round number: its tick is left
    // unlabelled rather than printed as 5.32e-7 beside the round ticks.
    axisLabel: { color: INK.text, fontSize: style.fontSize * 0.9, fontFamily: style.fontFamily, margin: style.fontSize * 0.4, formatter: (v: number) => tickText(style, v), hideOverlap: true, showMinLabel: round(opts.min), showMaxLabel: round(opts.max) },
    splitLine: { show: style.grid, lineStyle: { color: INK.grid, width: thin } },
  }
}

/** Whether a fixed axis bound is a round number worth a label (absent bounds are ECharts' own, round). */
function round(v: number | undefined): boolean | undefined {
  if (v === undefined || v === 0) return undefined
  const digits = Number(Math.abs(v).toPrecision(2))
  return Math.abs(Math.abs(v) - digits) <= 1e-9 * Math.abs(v) ? undefined : false
}

/** Attributes every printed option shares: no animation, white (or no) page, the style's type. */
export function pageOption(look: PrintLook) {
  return {
    animation: false,
    backgroundColor: look.style.background === 'white' ? '#ffffff' : 'transparent',
    textStyle: { fontFamily: look.style.fontFamily, fontSize: look.style.fontSize, color: INK.text },
    title: titleOption(look),
  }
}
