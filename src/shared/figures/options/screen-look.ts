// The frame every chart on the page shares: the theme's colours, no animation, the page's font,
// and tooltips drawn inside the chart's own element.
import type { ChartTheme } from './chart-look'

/** Attributes every page option shares (what Bar, Scatter and grid heatmap charts each repeated). */
export function screenPage(theme: ChartTheme) {
  return { animation: false, textStyle: { color: theme.text, fontFamily: 'inherit' } }
}

/** Axis styling on the page, following its theme. */
export function themedAxis(theme: ChartTheme, name: string, gap = 26) {
  return {
    name,
    nameLocation: 'middle' as const,
    nameGap: gap,
    nameTextStyle: { color: theme.muted },
    axisLine: { lineStyle: { color: theme.line } },
    axisTick: { lineStyle: { color: theme.line } },
    axisLabel: { color: theme.muted },
    splitLine: { lineStyle: { color: theme.line, opacity: 0.5 } },
  }
}

/**
 * A tooltip drawn inside the chart's own element: otherwise every redraw asks the browser for the
 * element's computed position, a forced style recalculation per update.
 */
export function themedTooltip(theme: ChartTheme) {
  return {
    appendTo: <T>(dom: T) => dom,
    backgroundColor: theme.panel,
    borderColor: theme.line,
    textStyle: { color: theme.text, fontSize: 12 },
  }
}

/** Text safe inside a tooltip's HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c)
}
