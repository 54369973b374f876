import type { ModelKind } from '../../shared/run-config'
import type { SystemKind } from './system-kind'

/** Matrix factorization for matrix completion (LD) and teacher–student regression (GF). */
export const REGRESSION_SYSTEMS: Partial<Record<ModelKind, SystemKind>> = {}
