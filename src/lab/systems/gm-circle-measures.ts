/** Per frequency k of an embedding E [p, width]: |Re F_k|/|Im F_k| and cos(Re F_k, Im F_k), F_k = Σ_a E_a e^{−2πi k a/p}. */
export function fourierCircles(e: ArrayLike<number>, p: number, width: number): { k: number; ratio: number; cosine: number; power: number }[] {
  const out = []
  for (let k = 1; k <= Math.floor((p - 1) / 2); k++) {
    const re = new Float64Array(width)
    const im = new Float64Array(width)
    for (let a = 0; a < p; a++) {
      const c = Math.cos((2 * Math.PI * k * a) / p)
      const s = -Math.sin((2 * Math.PI * k * a) / p)
      for (let j = 0; j < width; j++) {
        re[j] += c * e[a * width + j]
        im[j] += s * e[a * width + j]
      }
    }
    let rr = 0
    let ii = 0
    let ri = 0
    for (let j = 0; j < width; j++) {
      rr += re[j] * re[j]
      ii += im[j] * im[j]
      ri += re[j] * im[j]
    }
    // Equal circles in orthogonal planes (Musat's Fourier claim) read ratio 1 and cosine 0.
    out.push({ k, ratio: Math.sqrt(rr / ii), cosine: ri / Math.sqrt(rr * ii), power: rr + ii })
  }
  return out
}

/**
 * The circle measures as two series: gm_circle_ratio = the largest max(r, 1/r) over frequencies of
 * r = |Re F_k|/|Im F_k|, gm_circle_cos = the largest |cos(Re F_k, Im F_k)|; both → (1, 0) for equal circles.
 * Only frequencies with at least 10% of the mean power count: an empty one's direction is noise.
 */
export function circleMetrics(e: ArrayLike<number>, p: number, width: number): Record<string, number> {
  let ratio = 1
  let cos = 0
  const all = fourierCircles(e, p, width)
  const floor = (0.1 * all.reduce((t, m) => t + m.power, 0)) / all.length
  for (const m of all.filter((x) => x.power >= floor)) {
    if (Number.isFinite(m.ratio) && m.ratio > 0) ratio = Math.max(ratio, m.ratio, 1 / m.ratio)
    if (Number.isFinite(m.cosine)) cos = Math.max(cos, Math.abs(m.cosine))
  }
  return { gm_circle_ratio: ratio, gm_circle_cos: cos }
}
