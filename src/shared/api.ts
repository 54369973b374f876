import type { BackendProbe } from './backend'
import type { RunConfig, RunConfigInput } from './run-config'
import type { MetricSeries, RunRecord, RunSummary, TrainingEvent } from './run-types'

export interface PresetInfo {
  name: string
  description: string
  config: RunConfig
}

export interface RunListItem {
  run: RunRecord
  summary: RunSummary | null
}

export interface SnapshotTensor {
  name: string
  shape: number[]
  /** Row-major float32 values (a plain array, so it crosses IPC and JSON alike). */
  values: number[]
}

export interface StartTrainingRequest {
  preset?: string
  /** Config keys merged over the preset (or a whole config without one). */
  config?: Partial<RunConfigInput>
  backend?: string
  name?: string
}

/**
 * The one typed API between the renderer and the lab. Channel names are `domain:action`.
 * Electron's preload exposes it over IPC; browser mode (`grokking-lab serve`) over loopback HTTP
 * and a WebSocket for events. Both are generated from this table.
 */
export interface LabApi {
  'app:info': () => Promise<{ version: string; dbPath: string }>
  'presets:list': () => Promise<PresetInfo[]>
  'backends:list': () => Promise<BackendProbe[]>
  'runs:list': () => Promise<RunListItem[]>
  'runs:get': (runId: number) => Promise<RunListItem>
  'runs:series': (runId: number, names?: string[]) => Promise<MetricSeries[]>
  'runs:snapshot-steps': (runId: number) => Promise<number[]>
  'runs:snapshot': (runId: number, step: number) => Promise<SnapshotTensor[]>
  'runs:delete': (runId: number) => Promise<void>
  'training:start': (request: StartTrainingRequest) => Promise<{ runId: number }>
  'training:cancel': (runId: number) => Promise<void>
}

export type LabChannel = keyof LabApi

/** Every channel, for registering handlers and checking requests against the contract. */
export const LAB_CHANNELS: LabChannel[] = [
  'app:info',
  'presets:list',
  'backends:list',
  'runs:list',
  'runs:get',
  'runs:series',
  'runs:snapshot-steps',
  'runs:snapshot',
  'runs:delete',
  'training:start',
  'training:cancel',
]

/** The one IPC channel that carries LabEvents from the main process to the page. */
export const LAB_EVENT_CHANNEL = 'lab:event'

/** Pushed from the lab to the renderer. */
export interface LabEvents {
  'training:event': TrainingEvent
}

/** What the page sees as `window.lab`: invoke a channel, subscribe to events. */
export interface LabBridge {
  invoke<C extends LabChannel>(channel: C, ...args: Parameters<LabApi[C]>): ReturnType<LabApi[C]>
  /** Subscribes to lab events; returns the function that removes the subscription. */
  on<E extends keyof LabEvents>(event: E, listener: (payload: LabEvents[E]) => void): () => void
}
