// Turning an export's files into one download: a single file as is, several (a pgfplots figure
// with its data, a bundle) as one zip, since a page can save only one file per click.
import { zipSync } from 'fflate'
import type { ExportedFigure } from '../../../../shared/api'

function bytesOf(base64: string): Uint8Array {
  const text = atob(base64)
  const out = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i)
  return out
}

/** The download an export makes: its main file alone, or every file zipped under `stem`.zip. */
export function downloadOf(result: ExportedFigure, stem: string): { name: string; blob: Blob } {
  if (result.files.length === 1) {
    const f = result.files[0]
    return { name: f.name, blob: new Blob([bytesOf(f.base64) as BlobPart], { type: f.mime }) }
  }
  const zip = zipSync(Object.fromEntries(result.files.map((f) => [f.name, bytesOf(f.base64)])))
  return { name: `${stem}.zip`, blob: new Blob([zip as BlobPart], { type: 'application/zip' }) }
}

/** Saves `blob` as `name` through a temporary link (the page's only way to write a file). */
export function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  // The click has started the download; the URL is not needed past this task.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** An object URL of the export's main file (the preview), for an <img>. */
export function previewUrl(result: ExportedFigure): string {
  const f = result.files[0]
  return URL.createObjectURL(new Blob([bytesOf(f.base64) as BlobPart], { type: f.mime }))
}
