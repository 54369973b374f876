import { LabError } from '../shared/lab-error'

/** The value of `--NAME` as a positive integer, undefined when it was not given; one clear line otherwise. */
export function positiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const v = Number(raw)
  if (!Number.isInteger(v) || v < 1) throw new LabError(`--${name} must be a positive integer, got '${raw}'`)
  return v
}
