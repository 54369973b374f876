// An export from request to files, the same for the CLI and the API: validate the request, pick
// the style, build the figure from every stored point, render it, and record where it came from.
import type Database from 'better-sqlite3'
import type { LabApi } from '../../shared/api'
import { buildExportFigure, type ExportFigure, type Invoke } from '../../shared/figures/export/build-export-figure'
import { exportCommand } from '../../shared/figures/export/export-command'
import { exportRequestSchema, exportStyleSchema, type ExportFormat, type ExportStyleChoice, type ParsedExportRequest } from '../../shared/figures/export/export-request'
import type { FigureStyle } from '../../shared/figures/export/figure-style'
import { LabError } from '../../shared/lab-error'
import { APP_VERSION } from '../app-version'
import { dispatch } from '../api/dispatch'
import { exportFiles, type ExportFile } from './export-figure'
import { styleFor } from './style-store'

export interface ExportResult {
  files: ExportFile[]
  provenance: Provenance
  built: ExportFigure
  style: FigureStyle
}

/** Where a figure came from: enough to trace it to its runs and to make it again. */
export interface Provenance {
  madeBy: string
  madeAt: string
  /** The command that makes this file again (the bundle's: the whole bundle). */
  command: string
  request: ParsedExportRequest
  style: FigureStyle
  runs: {
    id: number
    name: string
    preset: string | null
    status: string
    seed: unknown
    engine: string | null
    backend: string | null
    appVersion: string
    stepsDone: number
    createdAt: string
    /** Stored verbatim with the run. */
    config: unknown
  }[]
  sweep: { id: number; name: string; axes: { key: string; values: unknown[] }[]; seeds: number } | null
}

/** Parses `raw` as an export request; a bad field is one line naming it. */
export function parseExportRequest(raw: unknown): ParsedExportRequest {
  const parsed = exportRequestSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new LabError(`export: ${issue.path.join('.') || 'request'}: ${issue.message}`)
  }
  return parsed.data
}

/** Makes one export through the lab's own (validated) API, named `stem`, targeted as the command records. */
export async function makeExport(
  api: LabApi,
  db: Database.Database,
  input: { request: unknown; style?: ExportStyleChoice; format: ExportFormat; stem: string; target: { out: string } | { bundle: string } },
): Promise<ExportResult> {
  const request = parseExportRequest(input.request)
  const choice = exportStyleSchema.parse(input.style ?? {})
  const style = styleFor(db, choice.preset, choice.overrides)
  const invoke: Invoke = (channel, req) => dispatch(api, channel, req)
  const built = await buildExportFigure(invoke, request)
  const provenance: Provenance = {
    madeBy: `Grokking Lab ${APP_VERSION}`,
    madeAt: new Date().toISOString(),
    command: exportCommand(request, choice, input.format, input.target),
    request,
    style,
    runs: await Promise.all(
      built.runIds.map(async (runId) => {
        const { run } = await invoke('runs:get', { runId })
        return { id: run.id, name: run.name, preset: run.preset, status: run.status, seed: run.config.seed, engine: run.engine, backend: run.backend, appVersion: run.appVersion, stepsDone: run.stepsDone, createdAt: run.createdAt, config: run.config }
      }),
    ),
    sweep: built.sweepId === undefined ? null : await sweepInfo(invoke, built.sweepId),
  }
  const files = await exportFiles(built, style, input.format, input.stem, provenance, provenance.madeBy)
  return { files, provenance, built, style }
}

async function sweepInfo(invoke: Invoke, sweepId: number): Promise<Provenance['sweep']> {
  const s = await invoke('sweeps:get', { sweepId })
  return { id: s.id, name: s.name, axes: s.axes, seeds: s.seeds }
}
