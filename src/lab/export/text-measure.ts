// Text widths from the font file itself: ECharts lays out legends, wrapped titles and label
// overlap from measureText, and without a canvas it guesses from a sans-serif table that is too
// narrow for DejaVu, so labels would overrun in the PDF and PNG that embed the real font.
import * as echarts from 'echarts'
import * as fontkit from 'fontkit'
import { fontFiles } from './fonts'

interface Face {
  unitsPerEm: number
  layout(text: string): { advanceWidth: number }
}

const faces = new Map<string, Face>()
let installed = false

function face(family: string): Face | null {
  let f = faces.get(family)
  if (!f) {
    try {
      f = (fontkit as unknown as { openSync(path: string): Face }).openSync(fontFiles(family).regular)
    } catch {
      return null
    }
    faces.set(family, f)
  }
  return f
}

/** Parses a CSS font shorthand as ECharts writes it ("bold 8px DejaVu Sans"): size in px and family. */
export function parseFont(font: string | undefined): { size: number; family: string } {
  const m = /(\d+(?:\.\d+)?)px\s+(.+)$/.exec(font ?? '')
  return m ? { size: Number(m[1]), family: m[2].replace(/["']/g, '').split(',')[0].trim() } : { size: 12, family: 'DejaVu Sans' }
}

/** Makes ECharts measure text with the fonts export embeds (once per process). */
export function useFontMetrics(): void {
  if (installed) return
  installed = true
  echarts.setPlatformAPI({
    measureText(text: string, font?: string) {
      const { size, family } = parseFont(font)
      return { width: textWidth(text, family, size) }
    },
  })
}

/** The width in points of `text` (without any font file, the rough average glyph width of a sans face) in `family` at `size` points. */
export function textWidth(text: string, family: string, size: number): number {
  const f = face(family) ?? face('DejaVu Sans')
  return f ? (f.layout(text).advanceWidth / f.unitsPerEm) * size : text.length * size * 0.6
}
