// The one CLI command that re-makes an export: written into every figure bundle, and shown by the
// app's Export dialog, so a figure in a paper can be traced to its runs and made again.
import type { ExportFormat, ParsedExportRequest } from './export-request'
import type { StyleOverrides } from './figure-style'

const quote = (v: string) => (/^[\w.,:/=@+-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`)

/** `grokking-lab export …` with the flags that give `request`, `style` and `format`. */
export function exportCommand(request: ParsedExportRequest, style: { preset?: string; overrides?: StyleOverrides }, format: ExportFormat, target: { out: string } | { bundle: string }): string {
  const a: string[] = ['grokking-lab', 'export']
  if (request.runs.length) a.push(request.runs.join(','))
  a.push('--figure', request.figure)
  if (request.sweep !== undefined) a.push('--sweep', String(request.sweep))
  if (request.metrics) a.push('--metrics', request.metrics.join(','))
  if (request.x !== 'step') a.push('--x', request.x)
  if (request.logY) a.push('--log-y')
  for (const [k, v] of Object.entries(request.thresholds ?? {})) if (v !== undefined) a.push(`--${k}`, String(v))
  if (request.tensor) a.push('--tensor', request.tensor)
  if (request.step !== undefined) a.push('--step', String(request.step))
  if (request.sort) a.push('--sort')
  if (request.view !== 'embedding') a.push('--view', request.view)
  if (request.scale !== 'shared') a.push('--scale', request.scale)
  if (request.frequency !== undefined) a.push('--frequency', String(request.frequency))
  if (request.clock) a.push('--clock', request.clock)
  if (request.key) a.push('--key', request.key)
  for (const [k, v] of Object.entries(request.fixed ?? {})) a.push('--fixed', `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
  if (style.preset) a.push('--style', style.preset)
  const o = style.overrides ?? {}
  if (o.width !== undefined) a.push('--width', `${o.width}mm`)
  if (o.height !== undefined) a.push('--height', `${o.height}mm`)
  if (o.dpi !== undefined) a.push('--dpi', String(o.dpi))
  if (o.fontFamily !== undefined) a.push('--font', o.fontFamily)
  if (o.fontSize !== undefined) a.push('--font-size', String(o.fontSize))
  if (o.lineWidth !== undefined) a.push('--line-width', String(o.lineWidth))
  if (o.title !== undefined) a.push('--title', o.title)
  if (o.xLabel !== undefined) a.push('--x-label', o.xLabel)
  if (o.yLabel !== undefined) a.push('--y-label', o.yLabel)
  if (o.legend !== undefined) a.push('--legend', o.legend)
  if (o.tickFormat !== undefined) a.push('--ticks', o.tickFormat)
  if (o.grid !== undefined) a.push(o.grid ? '--grid' : '--no-grid')
  if (o.logX !== undefined) a.push(o.logX ? '--log-x' : '--linear-x')
  if (o.background !== undefined) a.push('--background', o.background)
  a.push('--format', format, ...('out' in target ? ['--out', target.out] : ['--bundle', target.bundle]))
  return a.map(quote).join(' ')
}
