/** A series after downsampling: the kept points in step order, and whether any were dropped. */
export interface Downsampled {
  steps: number[]
  values: number[]
  downsampled: boolean
}

/**
 * Keeps, of each of `width` equal step buckets over [from, to], its first, lowest, highest and last
 * point (never random sampling), so a plot drawn from at most 4·width points shows every spike and
 * every dip the full series has. `steps` must be ascending; without `width` the series is returned
 * whole. Non-finite values never win min or max but survive as a bucket's first or last point.
 */
export function downsampleSeries(steps: readonly number[], values: readonly number[], width?: number, from?: number, to?: number): Downsampled {
  const n = steps.length
  if (width === undefined || n <= 4 * width) return { steps: [...steps], values: [...values], downsampled: false }
  const lo = from ?? steps[0]
  const hi = to ?? steps[n - 1]
  const span = hi - lo
  const bucketOf = (s: number) => (span > 0 ? Math.min(width - 1, Math.max(0, Math.floor(((s - lo) / span) * width))) : 0)
  const keep: number[] = []
  let bucket = -1
  let first = 0
  let min = -1
  let max = -1
  const close = (last: number) => {
    for (const i of [first, min, max, last].filter((i) => i >= 0).sort((a, b) => a - b)) {
      if (keep[keep.length - 1] !== i) keep.push(i)
    }
  }
  for (let i = 0; i < n; i++) {
    const b = bucketOf(steps[i])
    if (b !== bucket) {
      if (bucket >= 0) close(i - 1)
      bucket = b
      first = i
      min = max = -1
    }
    const v = values[i]
    if (Number.isFinite(v)) {
      if (min < 0 || v < values[min]) min = i
      if (max < 0 || v > values[max]) max = i
    }
  }
  close(n - 1)
  return { steps: keep.map((i) => steps[i]), values: keep.map((i) => values[i]), downsampled: keep.length < n }
}
