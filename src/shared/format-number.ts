// Numbers as the lab prints them, shared by the page, the CLI and exported figures so a tick
// label reads the same everywhere.
const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** A hyperparameter or measurement: integers with separators, others to 3 significant digits (1e-3 style when tiny). */
export function num(value: unknown, digits = 3): string {
  if (value == null || value === '') return '—'
  if (typeof value !== 'number') return String(value)
  if (!Number.isFinite(value)) return String(value)
  if (Number.isInteger(value) && Math.abs(value) < 1e7) return INTEGER.format(value)
  const abs = Math.abs(value)
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e7)) {
    const [mantissa, exponent] = value.toExponential(digits - 1).split('e')
    return `${Number(mantissa)}e${Number(exponent)}`
  }
  return String(Number(value.toPrecision(digits)))
}
