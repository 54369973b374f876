// Figures to SVG without a browser: ECharts' server-side SVG renderer draws the print option, so
// text stays text (titles, axis names, ticks, legend) and the file opens in any editor.
import * as echarts from 'echarts'
import type { Figure } from '../../shared/figures/export/figure'
import type { FigureStyle } from '../../shared/figures/export/figure-style'
import { figureOption } from '../../shared/figures/options/figure-option'
import { printLook, type PrintLook } from '../../shared/figures/options/print-look'
import { heatmapPng } from './heatmap-raster'
import { textWidth, useFontMetrics } from './text-measure'

export interface RenderedSvg {
  /** Sized in points (the layout's unit): what the PDF and PNG renderers read. */
  svg: string
  look: PrintLook
}

/** The figure as SVG laid out in points at the style's size. */
export function renderSvg(figure: Figure, style: FigureStyle): RenderedSvg {
  useFontMetrics()
  const look = printLook(figure, style, (text, size) => textWidth(text, style.fontFamily, size))
  const image = figure.kind === 'heatmap' ? `data:image/png;base64,${heatmapPng(figure.figure).toString('base64')}` : undefined
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: look.width, height: look.height })
  try {
    chart.setOption(figureOption(figure, look, image) as echarts.EChartsOption)
    // Hard cell edges: a viewer would otherwise blur the enlarged raster.
    const svg = chart.renderToSVGString().replace(/<image /g, '<image preserveAspectRatio="none" image-rendering="optimizeSpeed" style="image-rendering:pixelated" ')
    return { svg: stableIds(svg), look }
  } finally {
    chart.dispose()
  }
}

/** The SVG file: the same drawing, its size in millimetres so it imports at the size asked for. */
export function svgFile(rendered: RenderedSvg): string {
  const { style } = rendered.look
  return rendered.svg.replace(/^<svg width="[^"]*" height="[^"]*"/, `<svg width="${style.width}mm" height="${style.height}mm"`)
}

/**
 * ECharts names the SVG's CSS classes (and gradient/clip ids) from process-wide counters, so the
 * same figure would differ between a long-running server and a fresh CLI; numbered in order of
 * first use, one figure gives one file wherever it is made.
 */
export function stableIds(svg: string): string {
  const names = new Map<string, string>()
  // zr2-cls-8 (classes), zr2-c0 (clip paths), zr2-g1 (gradients): the instance number and the
  // counter change, the kind stays.
  return svg.replace(/zr\d+-([a-z]+-)?([a-z]*)\d+/g, (id, dashed: string | undefined, plain: string) => {
    let n = names.get(id)
    if (!n) {
      n = `zr-${dashed ?? ''}${plain}${names.size}`
      names.set(id, n)
    }
    return n
  })
}
