// PNG at a chosen DPI (resvg, with the style's font file) and vector PDF with the font embedded
// (pdfkit drawing the same SVG through svg-to-pdfkit).
import { Resvg } from '@resvg/resvg-js'
import PDFDocument from 'pdfkit'
import SVGtoPDF from 'svg-to-pdfkit'
import { fontFiles } from './fonts'
import { withDpi } from './png-bytes'
import type { RenderedSvg } from './render-svg'

const MM_PER_IN = 25.4

/** The PNG's size in pixels for the style's millimetres and DPI. */
export function pngSize(look: RenderedSvg['look']): { width: number; height: number } {
  const { width, height, dpi } = look.style
  return { width: Math.round((width / MM_PER_IN) * dpi), height: Math.round((height / MM_PER_IN) * dpi) }
}

/** PNG bytes of the figure, with its DPI recorded (pHYs) so it pastes at the size it was made for. */
export function renderPng(rendered: RenderedSvg): Buffer {
  const fonts = fontFiles(rendered.look.style.fontFamily)
  const size = pngSize(rendered.look)
  const png = new Resvg(rendered.svg, {
    fitTo: { mode: 'width', value: size.width },
    background: rendered.look.style.background === 'white' ? '#ffffff' : undefined,
    font: { fontFiles: [fonts.regular, ...(fonts.bold ? [fonts.bold] : [])], loadSystemFonts: false, defaultFontFamily: fonts.family },
  })
    .render()
    .asPng()
  return withDpi(Buffer.from(png), rendered.look.style.dpi)
}

/** A one-page vector PDF the size of the figure, its font embedded (subset) by pdfkit. */
export function renderPdf(rendered: RenderedSvg, info: { title: string; creator: string }): Promise<Buffer> {
  const { look } = rendered
  const fonts = fontFiles(look.style.fontFamily)
  const doc = new PDFDocument({ size: [look.width, look.height], margin: 0, info: { Title: info.title, Creator: info.creator, Producer: info.creator }, compress: true })
  doc.registerFont('figure', fonts.regular)
  doc.registerFont('figure-bold', fonts.bold ?? fonts.regular)
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  if (look.style.background === 'white') doc.rect(0, 0, look.width, look.height).fill('#ffffff')
  SVGtoPDF(doc, haloFirst(rendered.svg), 0, 0, { width: look.width, height: look.height, assumePt: true, fontCallback: (_family, bold) => (bold ? 'figure-bold' : 'figure') })
  doc.end()
  return done
}

/**
 * svg-to-pdfkit ignores paint-order and strokes a text's halo over its fill, hiding the label;
 * each haloed text becomes its halo (a white copy) followed by the text itself.
 */
export function haloFirst(svg: string): string {
  return svg.replace(/<text ([^>]*?)paint-order="stroke"([^>]*)>([^<]*)<\/text>/g, (_all, a: string, b: string, body: string) => {
    const attrs = `${a}${b}`
    const stroke = /stroke="([^"]*)"/.exec(attrs)?.[1] ?? '#ffffff'
    const halo = attrs.replace(/fill="[^"]*"/, `fill="${stroke}"`)
    const plain = attrs.replace(/ ?stroke="[^"]*"| ?stroke-width="[^"]*"| ?stroke-miterlimit="[^"]*"/g, '')
    return `<text ${halo}>${body}</text><text ${plain}>${body}</text>`
  })
}
