import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { EXPORT_FORMATS, type ExportFormat, type ExportRequest } from '../../shared/figures/export/export-request'
import { parseLength, type StyleOverrides } from '../../shared/figures/export/figure-style'
import type { LabBridge } from '../../shared/api'
import { DEFAULT_STYLE, resolveStyle, type FigureStyle } from '../../shared/figures/export/figure-style'
import { LabError } from '../../shared/lab-error'
import { dispatch } from '../../lab/api/dispatch'
import { createLabService } from '../../lab/api/lab-service'
import { resolveLibraryPath } from '../../lab/store/default-location'
import { formatTable } from '../format-table'
import { parseRunId } from '../run-id'

/** The style flags shared by `export` and `style save`. */
export interface StyleFlags {
  width?: string
  height?: string
  dpi?: string
  font?: string
  fontSize?: string
  lineWidth?: string
  title?: string
  xLabel?: string
  yLabel?: string
  legend?: string
  ticks?: string
  grid?: boolean
  logX?: boolean
  linearX?: boolean
  background?: string
}

export interface ExportOptions extends StyleFlags {
  figure: string
  format?: string
  out?: string
  bundle?: string
  style?: string
  sweep?: string
  metrics?: string
  x?: string
  logY?: boolean
  epsilon?: string
  accuracy?: string
  delta?: string
  tensor?: string
  step?: string
  sort?: boolean
  view?: string
  scale?: string
  frequency?: string
  clock?: string
  key?: string
  fixed?: string[]
  db?: string
  json?: boolean
}

function number(flag: string, raw: string | undefined, integer = false): number | undefined {
  if (raw === undefined) return undefined
  const v = Number(raw)
  if (!Number.isFinite(v) || (integer && !Number.isInteger(v))) throw new LabError(`--${flag} must be ${integer ? 'an integer' : 'a number'}, got '${raw}'`)
  return v
}

/** Style overrides from the flags; lengths take mm, cm, in or pt. */
export function styleOverrides(o: StyleFlags): StyleOverrides {
  const out: StyleOverrides = {}
  if (o.width !== undefined) out.width = parseLength(o.width, '--width')
  if (o.height !== undefined) out.height = parseLength(o.height, '--height')
  if (o.dpi !== undefined) out.dpi = number('dpi', o.dpi, true)
  if (o.font !== undefined) out.fontFamily = o.font as StyleOverrides['fontFamily']
  if (o.fontSize !== undefined) out.fontSize = number('font-size', o.fontSize)
  if (o.lineWidth !== undefined) out.lineWidth = number('line-width', o.lineWidth)
  if (o.title !== undefined) out.title = o.title
  if (o.xLabel !== undefined) out.xLabel = o.xLabel
  if (o.yLabel !== undefined) out.yLabel = o.yLabel
  if (o.legend !== undefined) out.legend = o.legend as StyleOverrides['legend']
  if (o.ticks !== undefined) out.tickFormat = o.ticks as StyleOverrides['tickFormat']
  if (o.grid !== undefined) out.grid = o.grid
  if (o.logX) out.logX = true
  if (o.linearX) out.logX = false
  if (o.background !== undefined) out.background = o.background as StyleOverrides['background']
  return out
}

function formatOf(o: ExportOptions): ExportFormat {
  const ext = o.out ? path.extname(o.out).slice(1).toLowerCase() : ''
  const format = o.format ?? (ext || (o.bundle ? 'svg' : ''))
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new LabError(`${o.format ? `--format ${o.format}` : `the file ${o.out}`}: the formats are ${EXPORT_FORMATS.join(', ')} (give --format, or an --out file ending in one)`)
  }
  return format as ExportFormat
}

function requestOf(runsArg: string | undefined, o: ExportOptions): ExportRequest {
  const thresholds = { epsilon: number('epsilon', o.epsilon), accuracy: number('accuracy', o.accuracy), delta: number('delta', o.delta) }
  const anyThreshold = Object.values(thresholds).some((v) => v !== undefined)
  return {
    figure: o.figure as ExportRequest['figure'],
    runs: runsArg ? runsArg.split(',').map((r) => parseRunId(r.trim())) : [],
    sweep: o.sweep === undefined ? undefined : number('sweep', o.sweep, true),
    metrics: o.metrics?.split(',').map((m) => m.trim()).filter(Boolean),
    x: o.x as ExportRequest['x'],
    logY: o.logY ?? false,
    thresholds: anyThreshold ? thresholds : undefined,
    tensor: o.tensor,
    step: number('step', o.step, true),
    sort: o.sort ?? false,
    view: o.view as ExportRequest['view'],
    scale: o.scale as ExportRequest['scale'],
    frequency: number('frequency', o.frequency, true),
    clock: o.clock,
    key: o.key,
    fixed: o.fixed ? Object.fromEntries(o.fixed.map(fixedPair)) : undefined,
  }
}

/** `key=value` of --fixed; a value that parses as JSON (numbers, true) is that value. */
function fixedPair(text: string): [string, unknown] {
  const eq = text.indexOf('=')
  if (eq <= 0) throw new LabError(`--fixed ${text}: write it as key=value, e.g. --fixed lr=0.001`)
  const raw = text.slice(eq + 1)
  try {
    return [text.slice(0, eq), JSON.parse(raw)]
  } catch {
    return [text.slice(0, eq), raw]
  }
}

function write(dir: string, name: string, bytes: Buffer): string {
  const file = path.join(dir, name)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, bytes)
  return file
}

/** Runs `work` on an in-process lab over `--db`, through the same validated dispatcher the app uses. */
async function withLab<T>(db: string | undefined, work: (call: LabBridge['invoke']) => Promise<T>): Promise<T> {
  const service = createLabService({ dbPath: resolveLibraryPath(db), mode: 'browser' }, () => {})
  try {
    return await work((channel, request) => dispatch(service, channel, request))
  } finally {
    await service.close()
  }
}

/** `grokking-lab export RUNS --figure F --format X --out FILE | --bundle DIR`: one figure, headless. */
export async function exportCommand(runsArg: string | undefined, o: ExportOptions): Promise<number> {
  if (!o.out && !o.bundle) throw new LabError('export needs --out FILE (one figure) or --bundle DIR (figure, data and provenance)')
  const format = formatOf(o)
  const request = requestOf(runsArg, o)
  const overrides = styleOverrides(o)
  return withLab(o.db, async (call) => {
    const result = await call('export:figure', { request: request as Record<string, unknown>, style: { preset: o.style, overrides }, format, out: o.out, bundle: o.bundle })
    const dir = o.bundle ?? path.dirname(o.out!)
    const written = result.files.map((f) => write(dir, f.name, Buffer.from(f.base64, 'base64')))
    if (o.json) console.log(JSON.stringify({ files: written, command: result.command }))
    else {
      for (const f of written) console.log(`wrote ${f}`)
      console.log(`made again by: ${result.command}`)
    }
    return 0
  })
}

function describe(s: FigureStyle): string {
  return `${s.width}×${s.height} mm, ${s.fontFamily} ${s.fontSize} pt, lines ${s.lineWidth} pt, legend ${s.legend}, ${s.dpi} dpi`
}

/** `grokking-lab style save NAME [flags] [--from STYLE]`: a named style for later exports. */
export async function styleSaveCommand(name: string, o: StyleFlags & { from?: string; db?: string }): Promise<number> {
  const overrides = styleOverrides(o)
  return withLab(o.db, async (call) => {
    const styles = await call('styles:list', {})
    const from = o.from ?? DEFAULT_STYLE
    const base = styles.find((s) => s.name === from)
    if (!base) throw new LabError(`no figure style '${from}' to start from (styles: ${styles.map((s) => s.name).join(', ')})`)
    const saved = await call('styles:save', { name, style: resolveStyle(base.style, overrides) })
    console.log(`saved style ${saved.name}: ${describe(saved.style)}`)
    return 0
  })
}

/** `grokking-lab styles`: the built-in and saved figure styles. */
export async function stylesCommand(o: { db?: string; json?: boolean }): Promise<number> {
  return withLab(o.db, async (call) => {
    const styles = await call('styles:list', {})
    if (o.json) console.log(JSON.stringify(styles))
    else console.log(formatTable(['style', 'kind', 'size', 'font', 'lines', 'legend', 'dpi'], styles.map((s) => [s.name, s.builtin ? 'built-in' : 'saved', `${s.style.width}×${s.style.height} mm`, `${s.style.fontFamily} ${s.style.fontSize} pt`, `${s.style.lineWidth} pt`, s.style.legend, s.style.dpi])))
    return 0
  })
}
