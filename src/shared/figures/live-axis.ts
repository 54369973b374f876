// A live chart's log axis. Left to fit its data, the axis moved every time a falling loss crossed
// a decade, and each move is a whole chart redraw (tens of ms on a busy two-core machine) in the
// middle of a run; whole decades with room below hold still for most of a run.
import type { FigureSeries } from './line-figure'

/** Decades of room below the lowest value: a loss falls fast while the run memorizes. */
const ROOM_BELOW = 3
/** And above the highest: a test loss rises while the run memorizes. */
const ROOM_ABOVE = 1
/** The widest the room makes an axis: ECharts ticks a log axis of 10 decades or more only every 10 decades. */
const MAX_DECADES = 9

export interface LogBounds {
  min: number
  max: number
}

/**
 * Where a live loss axis starts, before the first evaluation: a cross-entropy starts near ln p
 * (4.6 at p 97), so the first points land inside and the axis does not move when they arrive.
 */
export const LIVE_LOSS_START: LogBounds = { min: 1e-4, max: 100 }

/**
 * Bounds of a log axis for growing series: `previous` while every positive value fits in it, else
 * whole decades around the data with room below and above, never narrower than `previous`.
 * Undefined while there is no positive value.
 */
export function liveLogBounds(series: readonly Pick<FigureSeries, 'values'>[], previous?: LogBounds): LogBounds | undefined {
  let lo = Infinity
  let hi = -Infinity
  for (const s of series) {
    for (const v of s.values) {
      if (!(v > 0) || !Number.isFinite(v)) continue
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
  }
  if (!(lo <= hi)) return previous
  if (previous && lo >= previous.min && hi <= previous.max) return previous
  // Each side moves only when the data crosses it, so the axis stays as narrow as it can.
  const floor = Math.floor(Math.log10(lo))
  const max = previous && hi <= previous.max ? previous.max : decade(Math.ceil(Math.log10(hi)) + ROOM_ABOVE)
  // Less room below rather than a span ECharts labels sparsely, but never above the data.
  const below = Math.min(floor, Math.max(floor - ROOM_BELOW, Math.round(Math.log10(max)) - MAX_DECADES))
  const min = previous && lo >= previous.min ? previous.min : decade(below)
  return { min: previous ? Math.min(min, previous.min) : min, max }
}

// 10 ** -4 is 0.00009999999999999999; the decimal literal is the decade itself.
const decade = (k: number): number => Number(`1e${k}`)
