import type { RunConfig } from '../../shared/run-config'
import { createEmbedMlp, embedMlpSpecs } from './embed-mlp'
import { createParams, initialValues, type LabModel, type ModelParam, type ParamSpec } from './model'
import { createTransformer1L, transformerSpecs } from './transformer-1l'

/** Tensor specs of the model a config describes. */
export function modelSpecs(c: RunConfig): ParamSpec[] {
  return c.model === 'embed-mlp' ? embedMlpSpecs(c) : transformerSpecs(c)
}

/** The modular-arithmetic model of a config over existing tensors. */
export function createModel(c: RunConfig, params: ModelParam[]): LabModel {
  return c.model === 'embed-mlp' ? createEmbedMlp(c, params) : createTransformer1L(c, params)
}

/** Builds the model of a config, from a checkpoint's values or from the seeded init. */
export function buildModel(c: RunConfig, values?: Float32Array[]): LabModel {
  const specs = modelSpecs(c)
  return createModel(c, createParams(specs, values ?? initialValues(specs, c.seed, c.init_scale)))
}
