import { z } from 'zod'
import type { Clocks, RunAnalysis, SweepReport } from './analysis-types'
import type { BackendProbe } from './backend'
import type { RunConfig } from './run-config'
import { EXPORT_FORMATS, exportStyleSchema } from './figures/export/export-request'
import { figureStyleSchema, styleNameSchema, type FigureStyle } from './figures/export/figure-style'
import { RUN_STATUSES, type RunRecord, type RunStatus, type RunSummary } from './run-types'

// The one typed API between every front end and the lab. Each channel (`domain:action`) has a
// request schema (zod: the serving side validates every request against it), a response type, and
// a REST route for browser mode. Electron's preload serves the same channels over IPC.
//
// Requests are one object each. Over HTTP, `:name` segments of the path come from the request's
// keys of that name; the remaining keys travel as the query string (GET and DELETE: strings as
// they are, anything else JSON-encoded) or as a JSON body (POST, PATCH).

const runId = z.coerce.number().int().positive()
const sweepId = z.coerce.number().int().positive()
const runIds = z.array(z.number().int().positive()).min(1, 'name at least one run')
const backendChoice = z.enum(['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'])
const configInput = z.record(z.string(), z.unknown())
const slurmDir = z.string().trim().min(1, "give the Slurm sweep's folder (sweep --slurm DIR)").max(1000)

/** One hyperparameter filter of the library: a range (min/max, inclusive) or a set of values. */
export const configFilterSchema = z
  .object({
    /** A run-config key, e.g. `wd`, `lr`, `p`, `model`. */
    key: z.string().min(1),
    min: z.number().optional(),
    max: z.number().optional(),
    values: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  })
  .strict()
export type ConfigFilter = z.infer<typeof configFilterSchema>

/** Columns the library can sort by: run fields, summary fields, clocks, and any `config.KEY`. */
export const RUN_SORT_KEYS = ['id', 'name', 'status', 'created', 'steps', 'trainAcc', 'testAcc', 'trainLoss', 'testLoss', 'tMem', 'tGen', 'tStruct'] as const

export const runQuerySchema = z
  .object({
    /** Case-insensitive substring of the name, preset, notes or tags, or `#ID`. */
    search: z.string().max(200).optional(),
    status: z.array(z.enum(RUN_STATUSES)).optional(),
    presets: z.array(z.string()).optional(),
    /** Runs carrying every one of these tags. */
    tags: z.array(z.string()).optional(),
    filters: z.array(configFilterSchema).optional(),
    /** One of RUN_SORT_KEYS, or `config.KEY`. Default `id`. */
    sort: z.string().optional(),
    order: z.enum(['asc', 'desc']).default('desc'),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .strict()
export type RunQuery = z.input<typeof runQuerySchema>

/** The schema of every channel's request, and its REST route. */
export const API_CONTRACT = {
  'app:info': { method: 'GET', path: '/api/info', request: z.object({}).strict() },
  'presets:list': { method: 'GET', path: '/api/presets', request: z.object({}).strict() },
  'config:schema': { method: 'GET', path: '/api/config/schema', request: z.object({}).strict() },
  /** Checks a config (merged over a preset) and returns every problem by key, worded as the CLI words them. */
  'config:validate': {
    method: 'POST',
    path: '/api/config/validate',
    request: z.object({ preset: z.string().optional(), config: configInput.default({}) }).strict(),
  },
  'backends:list': { method: 'GET', path: '/api/backends', request: z.object({}).strict() },

  'runs:list': { method: 'GET', path: '/api/runs', request: runQuerySchema },
  /** What the library holds, for the filter controls: tags, presets, statuses, numeric config ranges. */
  'runs:facets': { method: 'GET', path: '/api/runs/facets', request: z.object({}).strict() },
  'runs:get': { method: 'GET', path: '/api/runs/:runId', request: z.object({ runId }).strict() },
  /** Rename, re-note or re-tag one run (only the keys given change). */
  'runs:update': {
    method: 'PATCH',
    path: '/api/runs/:runId',
    request: z
      .object({
        runId,
        name: z.string().trim().min(1, 'a run name cannot be empty').max(200).optional(),
        notes: z.string().max(20000).optional(),
        tags: z.array(z.string().trim().min(1).max(60)).max(50).optional(),
      })
      .strict(),
  },
  /** Adds and removes tags on many runs at once. */
  'runs:tag': {
    method: 'POST',
    path: '/api/runs/tag',
    request: z.object({ runIds, add: z.array(z.string().trim().min(1).max(60)).default([]), remove: z.array(z.string()).default([]) }).strict(),
  },
  /** Deletes runs with their metrics, snapshots and checkpoints; refuses runs that are training. */
  'runs:delete': { method: 'POST', path: '/api/runs/delete', request: z.object({ runIds }).strict() },
  /** Every stored metric name of a run, with its point count. */
  'runs:metrics': { method: 'GET', path: '/api/runs/:runId/metrics', request: z.object({ runId }).strict() },
  /**
   * Series of a run, downsampled to about `width` buckets over [from, to]: each bucket keeps its
   * first, min, max and last points (never random sampling). Without `width`, every point.
   */
  'runs:series': {
    method: 'GET',
    path: '/api/runs/:runId/series',
    request: z
      .object({
        runId,
        names: z.array(z.string()).optional(),
        from: z.number().optional(),
        to: z.number().optional(),
        width: z.number().int().min(1).max(20000).optional(),
      })
      .strict(),
  },

  'snapshots:list': { method: 'GET', path: '/api/runs/:runId/snapshots', request: z.object({ runId }).strict() },
  /** One tensor at one step, as binary Float32 data (HTTP: application/octet-stream, shape in X-Tensor-Shape). */
  'snapshots:tensor': {
    method: 'GET',
    path: '/api/runs/:runId/snapshots/:step/:tensor',
    request: z.object({ runId, step: z.coerce.number().int().min(0), tensor: z.string().min(1) }).strict(),
  },

  'analysis:clocks': {
    method: 'GET',
    path: '/api/runs/:runId/clocks',
    request: z
      .object({ runId, epsilon: z.number().positive().optional(), accuracy: z.number().gt(0).max(1).optional(), delta: z.number().positive().optional(), churn: z.number().positive().optional() })
      .strict(),
  },
  /** Fourier views (embedding, unembedding, neurons, W_out·W_U) and spectra at a snapshot (default the last). */
  'analysis:run': {
    method: 'GET',
    path: '/api/runs/:runId/analysis',
    request: z.object({ runId, step: z.number().int().min(0).optional() }).strict(),
  },
  /** Power share of every frequency of a token tensor's Fourier spectrum at every snapshot. */
  'analysis:frequency-steps': {
    method: 'GET',
    path: '/api/runs/:runId/frequency-steps',
    request: z.object({ runId, view: z.enum(['embedding', 'unembed', 'neurons', 'outputMap']).default('embedding') }).strict(),
  },

  'training:start': {
    method: 'POST',
    path: '/api/training',
    request: z
      .object({
        preset: z.string().optional(),
        /** Config keys merged over the preset (or a whole config without one). */
        config: configInput.default({}),
        backend: backendChoice.default('auto'),
        name: z.string().trim().min(1).max(200).optional(),
        tags: z.array(z.string().trim().min(1).max(60)).default([]),
      })
      .strict(),
  },
  'training:cancel': { method: 'POST', path: '/api/runs/:runId/cancel', request: z.object({ runId }).strict() },
  /** Continues a cancelled or interrupted run from its checkpoint. */
  'training:resume': {
    method: 'POST',
    path: '/api/runs/:runId/resume',
    request: z.object({ runId, backend: backendChoice.default('auto') }).strict(),
  },
  /** Runs training right now in this lab, with their latest progress (a reloaded page reattaches with this). */
  'training:active': { method: 'GET', path: '/api/training/active', request: z.object({}).strict() },

  /** Starts a grid × seeds sweep; its runs train in worker processes, `concurrency` at a time. */
  'sweeps:start': {
    method: 'POST',
    path: '/api/sweeps',
    request: z
      .object({
        preset: z.string().optional(),
        config: configInput.default({}),
        grid: z.array(z.object({ key: z.string().min(1), values: z.array(z.unknown()).min(1, 'give the axis at least one value') }).strict()).min(1, 'a sweep needs at least one axis'),
        seeds: z.number().int().min(1).max(100).default(1),
        name: z.string().trim().min(1).max(200).optional(),
        concurrency: z.number().int().min(1).max(64).default(1),
        backend: backendChoice.default('auto'),
      })
      .strict(),
  },
  'sweeps:list': { method: 'GET', path: '/api/sweeps', request: z.object({}).strict() },
  'sweeps:get': { method: 'GET', path: '/api/sweeps/:sweepId', request: z.object({ sweepId }).strict() },
  'sweeps:report': { method: 'GET', path: '/api/sweeps/:sweepId/report', request: z.object({ sweepId }).strict() },
  /** A Slurm sweep's array tasks (sweep --slurm DIR), read from DIR: each pending, running, done, failed or interrupted, with its steps. */
  'sweeps:slurm-status': { method: 'GET', path: '/api/sweeps/slurm/status', request: z.object({ dir: slurmDir }).strict() },
  /** Merges the finished runs of a Slurm sweep's ended tasks into this library, as sweep-collect does; idempotent. */
  'sweeps:slurm-collect': { method: 'POST', path: '/api/sweeps/slurm/collect', request: z.object({ dir: slurmDir }).strict() },

  /**
   * One figure in one format, built from every stored point (src/lab/export). `request` is an
   * export request (src/shared/figures/export/export-request.ts), checked by the export itself so
   * its errors name the export's fields. `out` or `bundle` only name the target in the command
   * that re-makes the figure; a bundle adds the data, the figure JSON and provenance.json.
   */
  'export:figure': {
    method: 'POST',
    path: '/api/export',
    request: z
      .object({
        request: z.record(z.string(), z.unknown()),
        style: exportStyleSchema.default({ overrides: {} }),
        format: z.enum(EXPORT_FORMATS),
        out: z.string().max(500).optional(),
        bundle: z.string().max(500).optional(),
      })
      .strict(),
  },
  /** The built-in and saved figure styles. */
  'styles:list': { method: 'GET', path: '/api/styles', request: z.object({}).strict() },
  /** Saves a named figure style (built-in names are refused). */
  'styles:save': { method: 'POST', path: '/api/styles', request: z.object({ name: styleNameSchema, style: figureStyleSchema }).strict() },
} as const

export type LabChannel = keyof typeof API_CONTRACT
export type LabRequest<C extends LabChannel> = z.input<(typeof API_CONTRACT)[C]['request']>
export type LabParsedRequest<C extends LabChannel> = z.output<(typeof API_CONTRACT)[C]['request']>

/** Every channel, for registering handlers. */
export const LAB_CHANNELS = Object.keys(API_CONTRACT) as LabChannel[]

export interface PresetInfo {
  name: string
  description: string
  config: RunConfig
}

/** One field of the run-config form, generated from the zod schema (src/shared/config-fields.ts). */
export interface ConfigField {
  key: string
  type: 'integer' | 'number' | 'enum' | 'string' | 'record'
  nullable: boolean
  /** For enums. */
  options?: string[]
  min?: number
  max?: number
  /** True when the bound excludes the value itself (frac in (0, 1)). */
  exclusiveMin?: boolean
  exclusiveMax?: boolean
  /** Undefined for required keys (steps, lr). */
  default?: unknown
  help: string
  /** The form section this key belongs in. */
  group: 'task' | 'model' | 'optimizer' | 'schedule' | 'recording'
  /** Tasks (or models) the key matters for; absent = all. */
  tasks?: string[]
  models?: string[]
}

export interface ConfigIssue {
  /** The config key the problem is about ('config' when it is about the whole object). */
  key: string
  message: string
}

export type ConfigValidation = { ok: true; config: RunConfig; issues: [] } | { ok: false; issues: ConfigIssue[] }

export interface RunListItem {
  run: RunRecord
  summary: RunSummary | null
  /** Clocks at the default thresholds, stored when the run ended (null while it trains). */
  clocks: Clocks | null
}

export interface RunPage {
  /** Runs matching the query, all pages together. */
  total: number
  offset: number
  items: RunListItem[]
}

export interface RunFacets {
  total: number
  tags: { tag: string; count: number }[]
  presets: { preset: string; count: number }[]
  statuses: { status: RunStatus; count: number }[]
  /** Numeric config keys with their range over the library. */
  ranges: { key: string; min: number; max: number }[]
  /** String config keys (model, task, op, …) with the values present. */
  values: { key: string; values: string[] }[]
}

export interface MetricInfo {
  name: string
  points: number
  firstStep: number
  lastStep: number
}

/** A (possibly downsampled) series. `downsampled` says whether points were dropped. */
export interface SeriesData {
  name: string
  steps: number[]
  values: number[]
  downsampled: boolean
}

export interface SnapshotList {
  steps: number[]
  /** Names and shapes of the tensors each snapshot holds (the same at every step). */
  tensors: { name: string; shape: number[] }[]
}

export interface SnapshotTensor {
  name: string
  step: number
  shape: number[]
  /** Row-major values. Crosses IPC by structured clone and HTTP as application/octet-stream. */
  data: Float32Array
}

/** Clocks, final measurements, Fourier and spectral views of a run at a snapshot. */
export type RunAnalysisView = RunAnalysis

export interface FrequencySteps {
  steps: number[]
  /** Frequencies 1…⌊p/2⌋. */
  frequencies: number[]
  /** share[i][j]: share of frequency frequencies[i] at steps[j]. */
  share: number[][]
}

/** A run training now, as the page needs it to reattach. */
export interface ActiveRun {
  runId: number
  sweepId: number | null
  step: number
  totalSteps: number
  stepsPerSecond: number | null
  backend: string | null
  engine: string | null
}

export interface SweepSummary {
  id: number
  name: string
  preset: string | null
  axes: { key: string; values: unknown[] }[]
  seeds: number
  createdAt: string
  progress: SweepProgressInfo
  /** Of progress.total, the runs this library holds: fewer while a Slurm sweep is partly collected. */
  collected: number
}

export interface SweepProgressInfo {
  /** The runs the sweep plans (grid points × seeds), collected or not. */
  total: number
  done: number
  running: number[]
  failed: number[]
}

/** A Slurm array task's state: pending (not started), running, done, failed, or interrupted (stopped; a requeue continues it). */
export type SlurmTaskState = 'pending' | 'running' | 'done' | 'failed' | 'interrupted'

/** One array task of a Slurm sweep, from its status file. */
export interface SlurmTaskInfo {
  task: number
  state: SlurmTaskState
  runs: number
  /** Steps trained over the task's runs, of totalSteps. */
  step: number
  totalSteps: number
  host: string | null
  jobId: string | null
  /** How often Slurm restarted it (requeue, preemption). */
  restarts: number
  updatedAt: string | null
  error: string | null
}

/** A Slurm sweep's progress, read from its folder. */
export interface SlurmSweepInfo {
  dir: string
  name: string
  sweepUuid: string
  jobId: string | null
  runs: number
  tasks: SlurmTaskInfo[]
  counts: Record<SlurmTaskState, number>
  /** Runs of the sweep this library holds, and the sweep's id here (null before the first collect). */
  collected: number
  sweepId: number | null
}

/** What a collect did (sweep-collect). */
export interface SlurmCollectResult {
  dir: string
  sweepId: number
  tasksRead: number
  tasksWaiting: number
  added: number
  updated: number
  unchanged: number
  runs: number
}

export interface SweepDetail extends SweepSummary {
  baseConfig: RunConfig
  runs: { runId: number; status: RunStatus; point: Record<string, unknown> }[]
}

/** What each channel answers. */
export interface LabResponses {
  'app:info': { version: string; dbPath: string; mode: 'electron' | 'browser' }
  'presets:list': PresetInfo[]
  'config:schema': ConfigField[]
  'config:validate': ConfigValidation
  'backends:list': BackendProbe[]
  'runs:list': RunPage
  'runs:facets': RunFacets
  'runs:get': RunListItem
  'runs:update': RunListItem
  'runs:tag': { updated: number }
  'runs:delete': { deleted: number }
  'runs:metrics': MetricInfo[]
  'runs:series': SeriesData[]
  'snapshots:list': SnapshotList
  'snapshots:tensor': SnapshotTensor
  'analysis:clocks': Clocks
  'analysis:run': RunAnalysisView
  'analysis:frequency-steps': FrequencySteps
  'training:start': { runId: number }
  'training:cancel': { runId: number }
  'training:resume': { runId: number }
  'training:active': ActiveRun[]
  'sweeps:start': { sweepId: number; runIds: number[] }
  'sweeps:list': SweepSummary[]
  'sweeps:get': SweepDetail
  'sweeps:report': SweepReport
  'sweeps:slurm-status': SlurmSweepInfo
  'sweeps:slurm-collect': SlurmCollectResult
  'export:figure': ExportedFigure
  'styles:list': NamedFigureStyle[]
  'styles:save': NamedFigureStyle
}

/** An export's files (base64, the main one first) and the command that makes them again. */
export interface ExportedFigure {
  title: string
  command: string
  files: { name: string; mime: string; base64: string }[]
}

export interface NamedFigureStyle {
  name: string
  builtin: boolean
  style: FigureStyle
}

/** The lab as a set of handlers: one per channel, taking the parsed request. */
export type LabApi = { [C in LabChannel]: (request: LabParsedRequest<C>) => Promise<LabResponses[C]> }

/** Pushed from the lab to every open page. Progress is throttled to a few events a second per run. */
export interface LabEvents {
  'run:created': { run: RunRecord }
  'run:started': { runId: number; backend: string; engine: string; fromStep: number; totalSteps: number }
  /** Throttled; `evals` carries every evaluation since the previous progress event of this run. */
  'run:progress': {
    runId: number
    step: number
    totalSteps: number
    stepsPerSecond: number | null
    evals: { step: number; metrics: Record<string, number> }[]
  }
  'run:ended': { runId: number; status: RunStatus; step: number; error: string | null; clocks: Clocks | null }
  'runs:changed': { runIds: number[]; change: 'updated' | 'deleted' }
  'sweep:progress': { sweepId: number } & SweepProgressInfo
}
export type LabEventName = keyof LabEvents

/** The one IPC channel that carries LabEvents from the main process to the page; the WebSocket carries the same pairs. */
export const LAB_EVENT_CHANNEL = 'lab:event'

/** What the page sees as `window.lab` in Electron, and what the HTTP client implements in browser mode. */
export interface LabBridge {
  invoke<C extends LabChannel>(channel: C, request: LabRequest<C>): Promise<LabResponses[C]>
  /** Subscribes to lab events; returns the function that removes the subscription. */
  on<E extends LabEventName>(event: E, listener: (payload: LabEvents[E]) => void): () => void
}
