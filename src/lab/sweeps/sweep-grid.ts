import { LabError } from '../../shared/lab-error'
import { applyOverride } from '../../shared/run-config'

/** One swept key and its values, from `--grid key=v1,v2,…`. */
export interface GridAxis {
  key: string
  values: unknown[]
}

/** Parses `key=v1,v2,…` (values as --set parses them); throws LabError for a malformed axis. */
export function parseGridAxis(spec: string): GridAxis {
  const eq = spec.indexOf('=')
  if (eq <= 0) throw new LabError(`--grid expects key=v1,v2,…, got '${spec}'`)
  const key = spec.slice(0, eq).trim()
  const raw = spec.slice(eq + 1).split(',').map((v) => v.trim()).filter((v) => v !== '')
  if (raw.length === 0) throw new LabError(`--grid ${key} has no values`)
  const values = raw.map((v) => {
    const probe: Record<string, unknown> = {}
    applyOverride(probe, `${key}=${v}`)
    return key.includes('.') ? (probe[key.split('.')[0]] as Record<string, unknown>)[key.split('.')[1]] : probe[key]
  })
  return { key, values }
}

/** Every combination of the axes' values (the Cartesian product), as key → value objects. */
export function gridPoints(axes: GridAxis[]): Record<string, unknown>[] {
  const keys = axes.map((a) => a.key)
  if (new Set(keys).size !== keys.length) throw new LabError(`--grid names a key twice (${keys.join(', ')})`)
  if (keys.includes('seed')) throw new LabError('sweep seeds with --seeds N, not --grid seed=…')
  return axes.reduce<Record<string, unknown>[]>(
    (points, axis) => points.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.key]: v }))),
    [{}],
  )
}
