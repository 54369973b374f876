// Layout pieces the printed bar, grid-heatmap, weight-heatmap and phase charts share: the plot
// box from the style's font size, category axes, and a colour bar.
import { INK, legendRoom, legendRows, printAxis, tickText, tickWidth, titleLines, topMargin, bottomMargin, yNameGap, type PrintLook } from './print-look'

/** The plot area's margins in points, and the y axis name's gap past its tick labels. */
export function plotBox(look: PrintLook, opts: { yMin: number; yMax: number; legend: string[]; colorBar?: boolean; categoryY?: string[] }) {
  const fs = look.style.fontSize
  const room = legendRoom(look, opts.legend)
  const yGap = yNameGap(look, opts.categoryY ? Math.max(1, ...opts.categoryY.map((s) => s.length)) * fs * 0.62 : tickWidth(look, opts.yMin, opts.yMax))
  return {
    yGap,
    // outerBoundsMode none: ECharts 6 would otherwise move the plot to fit labels, and the
    // heatmap raster is placed at these exact margins.
    grid: { left: yGap + fs * 0.8, right: fs * 2 + room.right + (opts.colorBar ? fs * 5 : 0), top: topMargin(look, opts.legend.length > 0 && look.style.legend !== 'none', titleLines(look), legendRows(look, opts.legend)), bottom: bottomMargin(look) + room.bottom, outerBoundsMode: 'none' as const },
  }
}

/** A category axis in print; `showEvery` labels every category, else as many as fit. */
export function categoryAxis(look: PrintLook, name: string, data: string[], nameGap: number, showEvery = true) {
  return {
    ...printAxis(look, { name, log: false, nameGap }),
    type: 'category' as const,
    data,
    scale: false,
    axisLabel: { ...printAxis(look, { name, log: false, nameGap }).axisLabel, formatter: undefined, interval: showEvery ? 0 : 'auto', hideOverlap: true },
    splitLine: { show: false },
  }
}

/** A continuous colour bar at the right, labelled at its ends. */
export function colorBar(look: PrintLook, min: number, max: number, colors: string[], height: number) {
  const fs = look.style.fontSize
  return {
    type: 'continuous',
    min,
    max,
    calculable: false,
    right: fs * 0.5,
    top: 'middle',
    itemWidth: fs * 1.1,
    itemHeight: Math.max(30, height),
    inRange: { color: colors },
    text: [tickText(look.style, max), tickText(look.style, min)],
    textGap: fs * 0.4,
    textStyle: { color: INK.text, fontSize: fs * 0.85, fontFamily: look.style.fontFamily },
  }
}
