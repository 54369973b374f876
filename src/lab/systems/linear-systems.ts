import type { ModelKind } from '../../shared/run-config'
import type { SystemKind } from './system-kind'

/** Deep linear nets (TC) and diagonal linear nets (LD). */
export const LINEAR_SYSTEMS: Partial<Record<ModelKind, SystemKind>> = {}
