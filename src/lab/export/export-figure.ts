// One export: a built figure in one format, as the files to write. The CLI writes them beside
// --out; the API (export:figure) sends them to the page's Export dialog.
import { zipSync } from 'fflate'
import { figureTitle } from '../../shared/figures/export/figure'
import type { ExportFigure } from '../../shared/figures/export/build-export-figure'
import type { ExportFormat } from '../../shared/figures/export/export-request'
import type { FigureStyle } from '../../shared/figures/export/figure-style'
import { figureJson, figureTable, toCsv } from './figure-data'
import { renderPdf, renderPng } from './render-raster'
import { renderSvg, svgFile } from './render-svg'
import { renderTex } from './render-tex'

export interface ExportFile {
  /** Relative to the output's folder. */
  name: string
  mime: string
  bytes: Buffer
}

export const MIME: Record<ExportFormat, string> = {
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  png: 'image/png',
  tex: 'application/x-tex',
  csv: 'text/csv',
  json: 'application/json',
}

/** The files of `figure` in `format`, the main one first and named `${stem}.${format}`. */
export async function exportFiles(built: ExportFigure, style: FigureStyle, format: ExportFormat, stem: string, provenance: unknown, creator: string): Promise<ExportFile[]> {
  const main = `${stem}.${format}`
  const { figure } = built
  switch (format) {
    case 'svg':
      return [{ name: main, mime: MIME.svg, bytes: Buffer.from(svgFile(renderSvg(figure, style))) }]
    case 'png':
      return [{ name: main, mime: MIME.png, bytes: renderPng(renderSvg(figure, style)) }]
    case 'pdf':
      return [{ name: main, mime: MIME.pdf, bytes: await renderPdf(renderSvg(figure, style), { title: style.title ?? figureTitle(figure), creator }) }]
    case 'tex': {
      const { tex, files } = renderTex(figure, style, `${stem}-data`)
      return [{ name: main, mime: MIME.tex, bytes: Buffer.from(tex) }, ...files.map((f) => ({ ...f, mime: f.name.endsWith('.png') ? MIME.png : MIME.csv }))]
    }
    case 'csv':
      return [{ name: main, mime: MIME.csv, bytes: Buffer.from(toCsv(figureTable(figure))) }]
    case 'json':
      return [{ name: main, mime: MIME.json, bytes: Buffer.from(figureJson(figure, provenance)) }]
  }
}

/** Several files as one zip (the page downloads a pgfplots figure with its data this way). */
export function zipFiles(files: ExportFile[]): Buffer {
  return Buffer.from(zipSync(Object.fromEntries(files.map((f) => [f.name, new Uint8Array(f.bytes)]))))
}
