import { LabError } from '../../shared/lab-error'
import { CONFIG_KEYS, parseRunConfig, type RunConfig } from '../../shared/run-config'
import { gridPoints, type GridAxis } from './sweep-grid'
import type { NewSweep } from './sweep-store'

/**
 * The runs of a grid × seeds sweep over `base`: every grid point, each with the seeds base.seed …
 * base.seed + seeds − 1, every config validated (LabError naming the first bad one). The CLI's
 * `sweep` and the API's sweeps:start both build their runs here.
 */
export function planSweepRuns(base: RunConfig, axes: GridAxis[], seeds: number): NewSweep['runs'] {
  for (const axis of axes) {
    if (!(CONFIG_KEYS as string[]).includes(axis.key.split('.')[0])) {
      throw new LabError(`grid key '${axis.key}' is not a config key (known keys: ${CONFIG_KEYS.join(', ')})`)
    }
  }
  return gridPoints(axes).flatMap((point) =>
    Array.from({ length: seeds }, (_, s) => {
      const seed = base.seed + s
      return { config: parseRunConfig({ ...base, ...point, seed }), point: { ...point, seed } }
    }),
  )
}

/** A sweep's name when the user gives none: its preset and swept keys (`modadd-mlp wd×lr`). */
export function defaultSweepName(preset: string | null, axes: GridAxis[]): string {
  return `${preset ?? 'custom'} ${axes.map((a) => a.key).join('×')}`
}
