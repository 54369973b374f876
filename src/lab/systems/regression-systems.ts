import type { ModelKind } from '../../shared/run-config'
import { createMatrixFactorizationSystem, matrixFactorizationSpecs } from './matrix-factorization-system'
import type { SystemKind } from './system-kind'
import { createTwoLayerReluSystem, twoLayerReluSpecs } from './two-layer-relu-system'

/** Matrix factorization for matrix completion (LD) and teacher–student regression (GF). */
export const REGRESSION_SYSTEMS: Partial<Record<ModelKind, SystemKind>> = {
  'matrix-factorization': { specs: matrixFactorizationSpecs, create: createMatrixFactorizationSystem },
  'two-layer-relu': { specs: twoLayerReluSpecs, create: createTwoLayerReluSystem },
}
