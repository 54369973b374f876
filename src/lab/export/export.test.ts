import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { inflateSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { useTempDir } from '../../../test/helpers/temp-dir'
import type { ExportedFigure, LabResponses } from '../../shared/api'
import { dispatch } from '../api/dispatch'
import type { LabService } from '../api/lab-service'
import { exportFixture, FIXTURE_STEPS } from './export-fixture'

// pdftoppm and pdflatex come from poppler-utils and texlive (installed by .ci/run). CI must run
// these checks; elsewhere a missing tool is said once and its check skips.
function has(tool: string): boolean {
  try {
    execFileSync(tool, ['-v'], { stdio: 'ignore' })
    return true
  } catch (e) {
    return (e as { code?: string }).code !== 'ENOENT'
  }
}
const tools = { pdftoppm: has('pdftoppm'), pdflatex: has('pdflatex') }
if (process.env.CI && (!tools.pdftoppm || !tools.pdflatex)) throw new Error('CI needs poppler-utils and texlive (pdftoppm, pdflatex): .ci/run installs them')

describe('figure export', () => {
  const tempDir = useTempDir()
  let service: LabService | undefined
  afterEach(async () => {
    await service?.close()
    service = undefined
  })

  async function exportOf(request: Record<string, unknown>, format: string, style: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
    const dir = tempDir()
    const fixture = exportFixture(dir)
    service = fixture.service
    const result = (await dispatch(service, 'export:figure', { request: { runs: [fixture.runId], ...request }, format, style: { overrides: style }, ...extra })) as ExportedFigure
    const files = result.files.map((f) => {
      const file = path.join(dir, 'out', f.name)
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.writeFileSync(file, Buffer.from(f.base64, 'base64'))
      return file
    })
    return { result, files, dir, runId: fixture.runId, svc: service }
  }

  it('SVG keeps the title, axis names, tick labels, legend entries and clock labels as text', async () => {
    const { files, runId, svc } = await exportOf({ figure: 'curves' }, 'svg')
    const svg = fs.readFileSync(files[0], 'utf8')
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].trim())
    expect(svg).toMatch(/^<svg width="85mm" height="60mm"/)
    expect(texts).toContain('step')
    expect(texts).toContain('accuracy')
    expect(texts).toEqual(expect.arrayContaining(['train', 'test', '0', '1,000', '0.2']))
    const clocks = (await dispatch(svc, 'analysis:clocks', { runId })) as LabResponses['analysis:clocks']
    expect(texts).toContain(`T_gen ${clocks.T_gen!.toLocaleString('en-US')}`)
    expect(texts.some((t) => t.startsWith('#1 fixture'))).toBe(true)
  })

  it('PNG has the pixel size of its millimetres at its DPI, and records the DPI', async () => {
    const { files } = await exportOf({ figure: 'clocks' }, 'png', { width: 120, height: 50, dpi: 150 })
    const png = fs.readFileSync(files[0])
    expect(png.readUInt32BE(16)).toBe(Math.round((120 / 25.4) * 150))
    expect(png.readUInt32BE(20)).toBe(Math.round((50 / 25.4) * 150))
    const phys = png.indexOf('pHYs')
    expect(phys).toBeGreaterThan(0)
    expect(png.readUInt32BE(phys + 4)).toBe(Math.round(150 / 0.0254))
  })

  it('CSV holds every stored point, never a downsampled view', async () => {
    const { files } = await exportOf({ figure: 'curves', metrics: ['train_loss', 'test_loss'] }, 'csv')
    const lines = fs.readFileSync(files[0], 'utf8').trim().split('\n')
    expect(lines[0]).toBe('panel,series,legend,run_id,x,y')
    const rows = lines.slice(1).map((l) => l.split(','))
    expect(rows.filter((r) => r[1] === 'train_loss')).toHaveLength(FIXTURE_STEPS)
    expect(rows.filter((r) => r[1] === 'test_loss')).toHaveLength(FIXTURE_STEPS)
    const at = rows.find((r) => r[1] === 'test_loss' && r[4] === '4321')!
    expect(Number(at[5])).toBeCloseTo(2 / (1 + 4321 / 1000), 6)
  })

  it.skipIf(!tools.pdftoppm)('PDF is vector with its font embedded, and pdftoppm draws the same plot as the PNG', async () => {
    const { files: [pdf], dir } = await exportOf({ figure: 'curves' }, 'pdf', { dpi: 72 })
    const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' })
    expect(fonts).toMatch(/DejaVuSans\s.*\byes\b/)
    execFileSync('pdftoppm', ['-r', '72', '-png', '-singlefile', pdf, path.join(dir, 'from-pdf')])
    const { files: [png] } = await exportOf({ figure: 'curves' }, 'png', { dpi: 72 })
    const a = grey(fs.readFileSync(path.join(dir, 'from-pdf.png')))
    const b = grey(fs.readFileSync(png))
    // The page is 240.94 × 170.08 pt: pdftoppm rounds its pixel size up, resvg to nearest.
    expect(Math.abs(a.width - b.width)).toBeLessThanOrEqual(1)
    expect(Math.abs(a.height - b.height)).toBeLessThanOrEqual(1)
    // Both are the same drawing rasterised by two engines: ink in the same places.
    expect(inkAgreement(a, b)).toBeGreaterThan(0.9)
  })

  it.skipIf(!tools.pdflatex)('the pgfplots file compiles with pdflatex, reading its data files', async () => {
    const { files } = await exportOf({ figure: 'clocks' }, 'tex')
    expect(files.slice(1).every((f) => f.includes('figure-data'))).toBe(true)
    const out = path.dirname(files[0])
    execFileSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', path.basename(files[0])], { cwd: out, stdio: 'pipe', timeout: 120_000 })
    expect(fs.statSync(path.join(out, 'figure.pdf')).size).toBeGreaterThan(5000)
  }, 150_000)

  it('a bundle records configs, seeds, engine and version, and the command that makes it again', async () => {
    const { result, files } = await exportOf({ figure: 'heatmap', sort: true }, 'svg', {}, { bundle: 'fig1' })
    expect(files.map((f) => path.basename(f))).toEqual(['figure.svg', 'figure.csv', 'figure.json', 'provenance.json'])
    const prov = JSON.parse(fs.readFileSync(files[3], 'utf8'))
    expect(prov.runs[0]).toMatchObject({ name: 'fixture', seed: 3, appVersion: 'test', config: expect.objectContaining({ p: 7, wd: 1 }) })
    expect(prov.madeBy).toMatch(/^Grokking Lab \d/)
    expect(prov.command).toBe(result.command)
    expect(result.command).toBe('grokking-lab export 1 --figure heatmap --sort --format svg --bundle fig1')
  })

  it('a bad request or style is one line naming the field', async () => {
    await expect(exportOf({ figure: 'sweep' }, 'svg')).rejects.toThrow('export: sweep: the sweep figure needs a sweep id')
    await expect(exportOf({ figure: 'curves' }, 'svg', { width: 5 })).rejects.toThrow('export:figure: style.overrides.width: a figure is at least 20 mm wide')
    await expect(exportOf({ figure: 'curves', metrics: ['nope'] }, 'svg')).rejects.toThrow(/run 1 has none of the metrics nope \(it stores: /)
  })
})

/** Decodes an 8-bit PNG (RGB or RGBA, filter types 0–4) to grey levels. */
function grey(png: Buffer): { width: number; height: number; v: Uint8Array } {
  const width = png.readUInt32BE(16)
  const height = png.readUInt32BE(20)
  const channels = { 2: 3, 6: 4, 0: 1, 4: 2 }[png[25]] as number
  const idat: Buffer[] = []
  for (let o = 8; o < png.length; ) {
    const len = png.readUInt32BE(o)
    if (png.toString('ascii', o + 4, o + 8) === 'IDAT') idat.push(png.subarray(o + 8, o + 8 + len))
    o += len + 12
  }
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * channels
  const px = new Uint8Array(stride * height)
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]
    for (let x = 0; x < stride; x++) {
      const r = raw[y * (stride + 1) + 1 + x]
      const a = x >= channels ? px[y * stride + x - channels] : 0
      const b = y > 0 ? px[(y - 1) * stride + x] : 0
      const c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels] : 0
      const p = a + b - c
      const pred = f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : f === 4 ? (Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c) : 0
      px[y * stride + x] = (r + pred) & 0xff
    }
  }
  const v = new Uint8Array(width * height)
  for (let i = 0; i < width * height; i++) v[i] = channels >= 3 ? (px[i * channels] + px[i * channels + 1] + px[i * channels + 2]) / 3 : px[i * channels]
  return { width, height, v }
}

/** Of the pixels inked (darker than 200) in either image, the share inked within 1 px in the other. */
function inkAgreement(a: ReturnType<typeof grey>, b: ReturnType<typeof grey>): number {
  const inked = (img: typeof a, x: number, y: number) => {
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx
      const yy = y + dy
      if (xx >= 0 && yy >= 0 && xx < img.width && yy < img.height && img.v[yy * img.width + xx] < 200) return true
    }
    return false
  }
  let total = 0
  let agree = 0
  for (let y = 0; y < Math.min(a.height, b.height); y++) {
    for (let x = 0; x < Math.min(a.width, b.width); x++) {
      const ia = a.v[y * a.width + x] < 200
      const ib = b.v[y * b.width + x] < 200
      if (!ia && !ib) continue
      total++
      if ((ia && inked(b, x, y)) || (ib && inked(a, x, y))) agree++
    }
  }
  return agree / Math.max(1, total)
}
