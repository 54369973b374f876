// Plain descriptions of the Fourier view's charts (bars, scatter, grid heatmap) and their builders.
// Like LineFigure they hold only data, so headless export can render the same objects later.
import type { FourierSummary } from '../analysis-types'
import type { ConcentrationCurve } from './fourier-concentration'
import type { FourierPlane, NeuronDominance } from './fourier-plane'
import type { FigureAxis, LineFigure } from './line-figure'
import { OKABE_ITO, seriesColor } from './palette'

export interface FigureBar {
  category: string
  value: number
  color: string
  /** Drawn above the bar (e.g. a key frequency's number); absent = no label. */
  label?: string
}

export interface BarFigure {
  title: string
  x: { label: string }
  y: FigureAxis
  bars: FigureBar[]
}

export interface FigurePoint {
  x: number
  y: number
  label: string
  color: string
}

export interface ScatterFigure {
  title: string
  x: FigureAxis
  y: FigureAxis
  points: FigurePoint[]
  /** Both axes share one scale, so a circle is drawn round. */
  equalAspect: boolean
  showLabels: boolean
}

/** A grid of cells[row][col] coloured on [min, max], e.g. frequency (rows) × snapshot step (columns). */
export interface GridHeatmapFigure {
  title: string
  columns: { label: string; values: number[] }
  rows: { label: string; values: number[] }
  cells: number[][]
  min: number
  max: number
  /** Low-to-high colour ramp. */
  colors: string[]
  /** Column value to mark with a vertical line (the current step); absent = none. */
  markColumn?: number
}

const KEY_COLOR = OKABE_ITO.orange
const PLAIN_COLOR = OKABE_ITO.skyBlue
/** Dark blue → sky blue → yellow: monotone in lightness and readable by the colour-blind. */
export const HEAT_COLORS = ['#0b1a2e', OKABE_ITO.blue, OKABE_ITO.skyBlue, OKABE_ITO.yellow]

/** Power share per frequency with the key frequencies highlighted and labelled. */
export function spectrumFigure(summary: FourierSummary, title: string): BarFigure {
  const keys = new Set(summary.keyFrequencies)
  return {
    title,
    x: { label: 'frequency k' },
    y: { label: 'share of power', scale: 'linear', min: 0 },
    bars: summary.frequencies.map((k, i) => {
      const bar: FigureBar = { category: String(k), value: summary.share[i], color: keys.has(k) ? KEY_COLOR : PLAIN_COLOR }
      if (keys.has(k)) bar.label = String(k)
      return bar
    }),
  }
}

/** How many neurons have each dominant frequency, over all frequencies 1…⌊p/2⌋. */
export function neuronCountsFigure(counts: Record<string, number>, p: number, keyFrequencies: readonly number[] = []): BarFigure {
  const keys = new Set(keyFrequencies)
  return {
    title: 'Neurons per dominant frequency',
    x: { label: 'dominant frequency k' },
    y: { label: 'neurons', scale: 'linear', min: 0 },
    bars: Array.from({ length: Math.floor(p / 2) }, (_, i) => {
      const k = i + 1
      return { category: String(k), value: counts[k] ?? 0, color: keys.has(k) ? KEY_COLOR : PLAIN_COLOR }
    }),
  }
}

/** One bar per neuron, in `order`, its height the dominant frequency's share and its colour the frequency. */
export function neuronStripFigure(dominance: NeuronDominance, order: readonly number[]): BarFigure {
  const present = [...new Set(order.map((n) => dominance.frequency[n]).filter((k) => k > 0))]
  const color = (k: number) => (k === 0 ? OKABE_ITO.black : seriesColor(present.indexOf(k)))
  return {
    title: 'Neurons sorted by dominant frequency (bar: its share)',
    x: { label: 'neuron (sorted)' },
    y: { label: 'share', scale: 'linear', min: 0, max: 1 },
    bars: order.map((n) => ({ category: `#${n} k=${dominance.frequency[n]}`, value: dominance.fraction[n], color: color(dominance.frequency[n]) })),
  }
}

/** Frequency × snapshot step share table as a heatmap, with the current step marked. */
export function frequencyStepsFigure(table: { steps: number[]; frequencies: number[]; share: number[][] }, title: string, step?: number): GridHeatmapFigure {
  let max = 0
  for (const row of table.share) for (const v of row) if (v > max) max = v
  const fig: GridHeatmapFigure = {
    title,
    columns: { label: 'step', values: table.steps.slice() },
    rows: { label: 'frequency k', values: table.frequencies.slice() },
    cells: table.share,
    min: 0,
    max: max > 0 ? max : 1,
    colors: HEAT_COLORS,
  }
  if (step !== undefined && table.steps.includes(step)) fig.markColumn = step
  return fig
}

/**
 * The p tokens in frequency k's cos/sin plane of the embedding, labelled by token. With `radius`
 * (the longest token vector) every plane is drawn at the embedding's own scale: tokens of a nearly
 * orthogonal random embedding also fall on a circle there, but a small one, so only the circle's
 * size, and the share of power in the title, say how much the frequency carries.
 */
export function circleFigure(plane: FourierPlane, p: number, radius?: number, share?: number): ScatterFigure {
  const r = (radius ?? Math.max(1e-12, ...plane.x.map(Math.abs), ...plane.y.map(Math.abs))) * 1.15
  return {
    title: share === undefined ? `k = ${plane.k}` : `k = ${plane.k} · ${(100 * share).toFixed(1)}% of the power`,
    x: { label: `cos ${plane.k}`, scale: 'linear', min: -r, max: r },
    y: { label: `sin ${plane.k}`, scale: 'linear', min: -r, max: r },
    // Colour follows the token's angle on a grokked circle (k·a mod p), so order around it shows.
    points: plane.x.map((x, a) => ({ x, y: plane.y[a], label: String(a), color: seriesColor(Math.floor(((plane.k * a) % p) / Math.max(1, p / 6))) })),
    equalAspect: true,
    showLabels: p <= 60,
  }
}

/** Gini and IPR of the spectrum across snapshots, with the current step marked. */
export function concentrationFigure(curve: ConcentrationCurve, step?: number): LineFigure {
  return {
    title: 'Concentration over the run (Gini, IPR of √share)',
    x: { label: 'step', scale: 'linear', min: 0 },
    // Fitted, not [0, 1]: early spectra sit near the flat values (Gini ≈ 0, IPR ≈ 1/F).
    y: { label: 'index', scale: 'linear', min: 0 },
    series: [
      { id: 'gini', name: 'Gini', steps: curve.steps, values: curve.gini, color: OKABE_ITO.skyBlue },
      { id: 'ipr', name: 'IPR', steps: curve.steps, values: curve.ipr, color: OKABE_ITO.orange, dash: 'dashed' },
    ],
    markers: step === undefined ? [] : [{ x: step, label: 'step', color: OKABE_ITO.reddishPurple, dash: 'dotted' }],
  }
}
