import type { RunConfig } from '../../shared/run-config'
import type { ModelParam, ParamSpec } from '../models/model'
import type { TrainingSystem } from './training-system'

/** How to build one kind of system: its tensor specs and the system over given tensors. */
export interface SystemKind {
  specs(c: RunConfig): ParamSpec[]
  create(c: RunConfig, params: ModelParam[]): TrainingSystem
}
