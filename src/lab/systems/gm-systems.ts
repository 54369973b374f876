import type { ModelKind } from '../../shared/run-config'
import { gmTwoLayerSpecs } from './gm-data'
import { createGmTwoLayerSystem } from './gm-two-layer-system'
import type { SystemKind } from './system-kind'

/** Musat 2025's two-layer model, trained (dynamics real) or simulated (dynamics predicted). */
export const GM_SYSTEMS: Partial<Record<ModelKind, SystemKind>> = {
  'gm-two-layer': { specs: gmTwoLayerSpecs, create: createGmTwoLayerSystem },
}
