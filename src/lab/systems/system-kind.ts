import type { RunConfig } from '../../shared/run-config'
import type { ModelParam, ParamSpec } from '../models/model'
import type { BatchSlot } from './modular-system'
import type { TrainingSystem } from './training-system'

/** How to build one kind of system: its tensor specs and the system over given tensors. */
export interface SystemKind {
  specs(c: RunConfig): ParamSpec[]
  /** `slot`: a place in a batch of runs trained together; kinds without a batched path ignore it. */
  create(c: RunConfig, params: ModelParam[], slot?: BatchSlot): TrainingSystem
}
