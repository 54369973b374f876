/**
 * Seeded pseudo-random numbers, computed in JS so that data splits and initial weights are the
 * same on every backend (tfjs's own seeded ops differ between backends).
 */
export class Rng {
  private state: number

  constructor(seed: number, stream = 0) {
    // Mix seed and stream so that (seed, 'init') and (seed, 'split') are independent sequences.
    this.state = splitmix32((seed >>> 0) ^ Math.imul(stream + 1, 0x9e3779b9))
  }

  /** Uniform float in [0, 1). */
  next(): number {
    // mulberry32
    this.state = (this.state + 0x6d2b79f5) | 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next()
  }

  /** Standard normal sample (Box–Muller). */
  normal(): number {
    let u = this.next()
    while (u <= 1e-12) u = this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next())
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      const tmp = items[i]
      items[i] = items[j]
      items[j] = tmp
    }
    return items
  }
}

/** Named streams, so adding a new random consumer never shifts existing ones. */
export const RNG_STREAM = { split: 1, init: 2, batches: 3 } as const

function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return (x ^ (x >>> 16)) | 0
}
