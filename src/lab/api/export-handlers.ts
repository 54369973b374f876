import path from 'node:path'
import type { LabApi } from '../../shared/api'
import { figureTitle } from '../../shared/figures/export/figure'
import { figureJson, figureTable, toCsv } from '../export/figure-data'
import { listStyles, saveStyle } from '../export/style-store'
import type { LabContext } from './service-context'

type ExportApi = Pick<LabApi, 'export:figure' | 'styles:list' | 'styles:save'>

/** Figures for papers (docs/export.md) and the named styles they are made in. */
export function exportHandlers(ctx: LabContext, api: () => LabApi): ExportApi {
  const { db } = ctx.store
  return {
    'export:figure': async ({ request, style, format, out, bundle }) => {
      const stem = bundle !== undefined ? 'figure' : path.basename(out ?? 'figure', path.extname(out ?? ''))
      const target = bundle !== undefined ? { bundle } : { out: out ?? `${stem}.${format}` }
      // Loaded on the first export: the renderer stack (ECharts, fonts, PDF) takes over a second to load.
      const { makeExport } = await import('../export/export-service')
      const result = await makeExport(api(), db, { request, style, format, stem, target })
      const files = result.files.map((f) => ({ name: f.name, mime: f.mime, bytes: f.bytes }))
      if (bundle !== undefined) {
        if (format !== 'csv') files.push({ name: 'figure.csv', mime: 'text/csv', bytes: Buffer.from(toCsv(figureTable(result.built.figure))) })
        if (format !== 'json') files.push({ name: 'figure.json', mime: 'application/json', bytes: Buffer.from(figureJson(result.built.figure, result.provenance)) })
        files.push({ name: 'provenance.json', mime: 'application/json', bytes: Buffer.from(JSON.stringify(result.provenance, null, 2) + '\n') })
      }
      return {
        title: result.style.title ?? figureTitle(result.built.figure),
        command: result.provenance.command,
        files: files.map((f) => ({ name: f.name, mime: f.mime, base64: f.bytes.toString('base64') })),
      }
    },
    'styles:list': async () => listStyles(db),
    'styles:save': async ({ name, style }) => saveStyle(db, name, style),
  }
}
