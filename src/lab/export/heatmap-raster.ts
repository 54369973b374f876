// A weight heatmap's cells as a PNG data URL, painted with the page's own colour map
// (heatmap-data.ts), so an exported matrix has the colours of the one on screen.
import { paintValues } from '../../shared/figures/heatmap-data'
import type { GridHeatmapFigure } from '../../shared/figures/fourier-figures'
import type { HeatmapFigure } from '../../shared/figures/heatmap-figure'
import { encodePng } from './png-bytes'

/**
 * The cells as PNG bytes, each cell `scale` × `scale` pixels: viewers smooth a stretched image,
 * so cells are enlarged here with hard edges until the image has about `minSide` pixels.
 */
export function heatmapPng(figure: HeatmapFigure, minSide = 1200): Buffer {
  const { rows, cols } = figure
  const cells = new Uint8ClampedArray(rows * cols * 4)
  paintValues(figure.values, figure.scale.max, cells)
  const scale = Math.max(1, Math.min(16, Math.ceil(minSide / Math.max(rows, cols))))
  const w = cols * scale
  const h = rows * scale
  const out = new Uint8ClampedArray(w * h * 4)
  for (let y = 0; y < h; y++) {
    const r = Math.floor(y / scale)
    for (let x = 0; x < w; x++) {
      const src = (r * cols + Math.floor(x / scale)) * 4
      const dst = (y * w + x) * 4
      out[dst] = cells[src]
      out[dst + 1] = cells[src + 1]
      out[dst + 2] = cells[src + 2]
      out[dst + 3] = cells[src + 3]
    }
  }
  return encodePng(out, w, h)
}

function hexRgb(css: string): [number, number, number] {
  const h = /^#([0-9a-f]{6})$/i.exec(css)?.[1] ?? '000000'
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number]
}

/** A frequency × step grid as PNG bytes (row 0 at the bottom, as its axis draws it), on the figure's ramp. */
export function gridHeatmapPng(figure: GridHeatmapFigure, minSide = 800): Buffer {
  const rows = figure.rows.values.length
  const cols = figure.columns.values.length
  const ramp = figure.colors.map(hexRgb)
  const scale = Math.max(1, Math.min(32, Math.ceil(minSide / Math.max(rows, cols, 1))))
  const w = cols * scale
  const h = rows * scale
  const out = new Uint8ClampedArray(w * h * 4)
  const span = figure.max - figure.min || 1
  for (let y = 0; y < h; y++) {
    const r = rows - 1 - Math.floor(y / scale)
    for (let x = 0; x < w; x++) {
      const t = Math.min(1, Math.max(0, (figure.cells[r][Math.floor(x / scale)] - figure.min) / span)) * (ramp.length - 1)
      const i = Math.min(ramp.length - 2, Math.floor(t))
      const f = t - i
      const o = (y * w + x) * 4
      for (let k = 0; k < 3; k++) out[o + k] = ramp[i][k] + (ramp[i + 1][k] - ramp[i][k]) * f
      out[o + 3] = 255
    }
  }
  return encodePng(out, w, h)
}
