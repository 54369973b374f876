import type { ModelKind } from '../../shared/run-config'
import { createDeepLinearSystem, deepLinearSpecs } from './deep-linear-system'
import { createDiagonalLinearSystem, diagonalLinearSpecs } from './diagonal-linear-system'
import type { SystemKind } from './system-kind'

/** Deep linear nets (TC) and diagonal linear nets (LD). */
export const LINEAR_SYSTEMS: Partial<Record<ModelKind, SystemKind>> = {
  'deep-linear': { specs: deepLinearSpecs, create: createDeepLinearSystem },
  'diagonal-linear': { specs: diagonalLinearSpecs, create: createDiagonalLinearSystem },
}
