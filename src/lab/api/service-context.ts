import type { LabEventName, LabEvents } from '../../shared/api'
import type { RunStore } from '../store/run-store'
import type { TrainingRegistry } from './training-registry'

/** Pushes one lab event to every open page (IPC broadcast in Electron, the WebSocket in browser mode). */
export type LabEmit = <E extends LabEventName>(event: E, payload: LabEvents[E]) => void

export interface LabServiceOptions {
  /** The run library file. */
  dbPath: string
  /** Which front end serves the API (reported by app:info). */
  mode: 'electron' | 'browser'
}

/** What every handler module shares: the library, the emitter, and the runs in training. */
export interface LabContext extends LabServiceOptions {
  store: RunStore
  emit: LabEmit
  training: TrainingRegistry
  /** Sweeps this lab is running, to stop them on close. */
  sweeps: Map<number, AbortController>
}
