import type { RunConfig } from '../../shared/run-config'
import { createEmbedMlp, embedMlpSpecs } from './embed-mlp'
import { createParams, initialValues, type LabModel, type ParamSpec } from './model'
import { createTransformer1L, transformerSpecs } from './transformer-1l'

/** Tensor specs of the model a config describes. */
export function modelSpecs(c: RunConfig): ParamSpec[] {
  return c.model === 'embed-mlp' ? embedMlpSpecs(c) : transformerSpecs(c)
}

/** Builds the model of a config, from a checkpoint's values or from the seeded init. */
export function buildModel(c: RunConfig, values?: Float32Array[]): LabModel {
  const specs = modelSpecs(c)
  const params = createParams(specs, values ?? initialValues(specs, c.seed, c.init_scale))
  return c.model === 'embed-mlp' ? createEmbedMlp(c, params) : createTransformer1L(c, params)
}
