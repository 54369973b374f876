import { shallowRef } from 'vue'
import { dominantFrequencies, lineAxis, matrixShape, sortByFrequency, tokenAxis, type FrequencyOrder } from '../../../../shared/figures/heatmap-data'
import { buildHeatmapFigure, type HeatmapFigure } from '../../../../shared/figures/heatmap-figure'
import type { LoadedTensor } from './tensor-cache'

// Multiply-adds per task of the frequency sort: a few ms, so sorting a 512 × 128 tensor never
// blocks a frame (the whole transform is ~8M multiply-adds).
const WORK_PER_TASK = 1_500_000

/**
 * Figures and frequency orders memoised per loaded tensor, so that scrubbing back and forth hands
 * the canvas the same figure object (and so its painted ImageData) instead of building a new one.
 */
export function createFigureMemo(p: () => number) {
  const orders = new WeakMap<LoadedTensor, FrequencyOrder | null>()
  const computing = new WeakSet<LoadedTensor>()
  const figures = new WeakMap<LoadedTensor, { max: number; order: FrequencyOrder | null; figure: HeatmapFigure }[]>()
  /** Bumped when an order finishes, for computeds that asked for one still being computed. */
  const ordersDone = shallowRef(0)
  let disposed = false

  /**
   * The tensor's lines sorted by dominant frequency; null when it has no axis of length p, undefined
   * while the sort is still running (in frame-sized tasks; ordersDone bumps when it is ready).
   */
  function orderOf(t: LoadedTensor): FrequencyOrder | null | undefined {
    void ordersDone.value
    if (orders.has(t)) return orders.get(t)
    if (computing.has(t)) return undefined
    const pp = p()
    const { rows, cols } = matrixShape(t.shape)
    const token = tokenAxis(rows, cols, pp)
    if (!token) {
      orders.set(t, null)
      return null
    }
    computing.add(t)
    const { axis, lines } = lineAxis(rows, cols, token)
    const frequency = new Int32Array(lines)
    const share = new Float32Array(lines)
    const chunk = Math.max(1, Math.floor(WORK_PER_TASK / (pp * Math.floor(pp / 2) * 2)))
    let from = 0
    const step = () => {
      if (disposed) return
      const to = Math.min(lines, from + chunk)
      dominantFrequencies(t.data, rows, cols, pp, token, frequency, share, from, to)
      from = to
      if (from < lines) return void setTimeout(step, 0)
      orders.set(t, sortByFrequency(axis, frequency, share))
      computing.delete(t)
      ordersDone.value++
    }
    setTimeout(step, 0)
    return undefined
  }

  /** The figure of a tensor on scale ±max, in `order` (null = natural). */
  function figureOf(t: LoadedTensor, max: number, order: FrequencyOrder | null): HeatmapFigure {
    let list = figures.get(t)
    if (!list) figures.set(t, (list = []))
    const hit = list.find((e) => e.max === max && e.order === order)
    if (hit) return hit.figure
    const figure = buildHeatmapFigure({ name: t.name, shape: t.shape, data: t.data, step: t.step, runId: t.runId, scaleMax: max, sort: order ? { order } : null }, p())
    // A few variants per step (natural/sorted × a scale or two); older ones go as the shared scale grows.
    if (list.length >= 4) list.shift()
    list.push({ max, order, figure })
    return figure
  }

  return { orderOf, figureOf, dispose: () => (disposed = true) }
}
