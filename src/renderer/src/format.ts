/** An accuracy in [0, 1] as a percentage with one decimal, or a dash when unknown. */
export function percent(value: number | null | undefined): string {
  return value == null ? '—' : `${(value * 100).toFixed(1)}%`
}

/** A step number with thousands separators, or a dash when unknown. */
export function stepCount(value: number | null | undefined): string {
  return value == null ? '—' : value.toLocaleString('en-US')
}

/** The message of anything thrown, for showing to the user. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
