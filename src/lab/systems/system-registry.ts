import type { ModelKind, RunConfig } from '../../shared/run-config'
import { createParams, initialValues, type ParamSpec } from '../models/model'
import { GM_SYSTEMS } from './gm-systems'
import { LINEAR_SYSTEMS } from './linear-systems'
import { modelSpecs } from '../models/model-registry'
import { createModularSystem, type BatchSlot } from './modular-system'
import { REGRESSION_SYSTEMS } from './regression-systems'
import type { SystemKind } from './system-kind'
import type { TrainingSystem } from './training-system'

const MODULAR: SystemKind = { specs: modelSpecs, create: createModularSystem }

const BY_MODEL: Partial<Record<ModelKind, SystemKind>> = {
  'embed-mlp': MODULAR,
  'transformer-1l': MODULAR,
  ...LINEAR_SYSTEMS,
  ...REGRESSION_SYSTEMS,
  ...GM_SYSTEMS,
}

/** The system a config describes; the schema has already checked that its model fits its task. */
function kindOf(c: RunConfig): SystemKind {
  const kind = BY_MODEL[c.model]
  if (!kind) throw new Error(`model ${c.model} is not implemented yet`)
  return kind
}

/** Tensor specs of the system a config describes, in snapshot order. */
export function systemSpecs(c: RunConfig): ParamSpec[] {
  return kindOf(c).specs(c)
}

/**
 * Builds the system of a config from given values (a checkpoint, an import) or the seeded init;
 * with `slot`, as a member of a batch of runs trained together (the fast path).
 */
export function buildSystem(c: RunConfig, values?: Float32Array[], slot?: BatchSlot): TrainingSystem {
  const kind = kindOf(c)
  const specs = kind.specs(c)
  return kind.create(c, createParams(specs, values ?? initialValues(specs, c.seed, c.init_scale)), slot)
}
