// The two looks one chart description is drawn in: on the page (the theme's colours, tooltips,
// zoom, pixel insets) and in print (a FigureStyle: points, the style's type and line widths, no
// interaction). Each chart kind has one option builder taking either (./*-option.ts), so the page
// and export draw the same series, categories, markers and labels from the same code.
import type { PrintLook } from './print-look'

/** Colours of the chart's frame on the page (the renderer reads them from its CSS). */
export interface ChartTheme {
  text: string
  muted: string
  line: string
  panel: string
}

/** The page's look. */
export interface ScreenLook {
  kind: 'screen'
  theme: ChartTheme
  /** The chart's height in px, for parts sized by it (a colour bar's length). */
  height?: number
}

export type { PrintLook }
export type ChartLook = ScreenLook | PrintLook

/** The page's look in `theme`. */
export function screenLook(theme: ChartTheme, height?: number): ScreenLook {
  return { kind: 'screen', theme, height }
}
