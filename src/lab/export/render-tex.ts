// A pgfplots figure: a LaTeX document whose tikzpicture reads its data from files beside it, so
// the figure can be restyled in the paper's own fonts and compiles with plain pdflatex.
import type { Figure } from '../../shared/figures/export/figure'
import type { FigureStyle } from '../../shared/figures/export/figure-style'
import { divergingStops } from '../../shared/figures/heatmap-data'
import type { LineFigure } from '../../shared/figures/line-figure'
import { PHASE_COLORS, PHASE_SHORT, PHASES } from '../../shared/figures/sweep-figures'
import { num } from '../../shared/format-number'
import { figureTitle } from '../../shared/figures/export/figure'
import { gridHeatmapPng, heatmapPng } from './heatmap-raster'
import { texColor, texText } from './tex-text'

export interface TexOutput {
  tex: string
  /** Data files, named relative to the .tex file. */
  files: { name: string; bytes: Buffer }[]
}

class Colors {
  private names = new Map<string, string>()
  name(css: string): string {
    const hex = texColor(css)
    let n = this.names.get(hex)
    if (!n) {
      n = `fig${String.fromCharCode(65 + (this.names.size % 26))}${this.names.size >= 26 ? this.names.size : ''}`
      this.names.set(hex, n)
    }
    return n
  }
  defs(): string {
    return [...this.names].map(([hex, n]) => `\\definecolor{${n}}{HTML}{${hex}}`).join('\n')
  }
}

const DASH = { solid: 'solid', dashed: 'dashed', dotted: 'dotted' } as const

function axisKeys(style: FigureStyle, x: { label: string; log: boolean; min?: number; max?: number }, y: { label: string; log: boolean; min?: number; max?: number }): string[] {
  const keys = [`xlabel={${texText(style.xLabel ?? x.label)}}`, `ylabel={${texText(style.yLabel ?? y.label)}}`]
  if (x.log) keys.push('xmode=log')
  if (y.log) keys.push('ymode=log')
  if (x.log || y.log) keys.push('log ticks with fixed point')
  for (const [k, v] of [['xmin', x.min], ['xmax', x.max], ['ymin', y.min], ['ymax', y.max]] as const) if (v !== undefined && Number.isFinite(v)) keys.push(`${k}=${v}`)
  if (style.grid) keys.push('grid=major')
  keys.push(...legendKeys(style))
  if (style.tickFormat === 'sci') keys.push('scaled ticks=false', 'tick label style={/pgf/number format/sci}')
  if (style.tickFormat === 'plain') keys.push('scaled ticks=false', 'tick label style={/pgf/number format/fixed}')
  return keys
}

function legendKeys(style: FigureStyle): string[] {
  switch (style.legend) {
    case 'none':
      return ['legend entries={}']
    case 'right':
      return ['legend pos=outer north east', 'legend cell align=left']
    case 'bottom':
      return ['legend style={at={(0.5,-0.25)},anchor=north,legend columns=-1}']
    case 'inside':
      return ['legend pos=north east', 'legend cell align=left']
    default:
      // Above the plot, with the title lifted over it.
      return ['legend style={at={(0.5,1.02)},anchor=south,legend columns=-1,draw=none}', 'title style={yshift=1.4em}']
  }
}

function lineAxis(f: LineFigure, style: FigureStyle, colors: Colors, files: TexOutput['files'], dir: string, prefix: string, legend: boolean): string {
  const logY = style.logY ?? f.y.scale === 'log'
  const out: string[] = []
  const seen = new Set<string>()
  f.series.forEach((s, i) => {
    const name = `${dir}/${prefix}s${i}.csv`
    const n = Math.min(s.steps.length, s.values.length)
    const lines = ['x,y']
    for (let k = 0; k < n; k++) lines.push(`${s.steps[k]},${Number.isFinite(s.values[k]) && (!logY || s.values[k] > 0) ? s.values[k] : 'nan'}`)
    files.push({ name, bytes: Buffer.from(lines.join('\n') + '\n') })
    const entry = s.legend ?? s.name
    const first = legend && !seen.has(entry)
    seen.add(entry)
    out.push(`\\addplot[color=${colors.name(s.color)}, ${DASH[s.dash ?? 'solid']}, line width=${style.lineWidth}pt, no markers${first ? '' : ', forget plot'}] table[x=x, y=y, col sep=comma] {${name}};`)
    if (first) out.push(`\\addlegendentry{${texText(entry)}}`)
  })
  const y0 = logY ? 1 : 0
  // Clocks at one step share a label (T_margin and T_mem often coincide), as on screen.
  const labels = new Map<number, string[]>()
  for (const m of f.markers) labels.set(m.x, [...(labels.get(m.x) ?? []), m.label])
  const labelled = new Set<number>()
  for (const m of f.markers) {
    const c = colors.name(m.color)
    const node = labelled.has(m.x) ? '' : ` node[pos=0.97, anchor=north east, rotate=90, font=\\scriptsize, text=${c}] {${texText(`${labels.get(m.x)!.join(' · ')} ${num(m.x)}`)}}`
    labelled.add(m.x)
    out.push(`\\draw[${c}, ${DASH[m.dash ?? 'dashed']}, line width=${Math.max(0.4, style.lineWidth * 0.8)}pt] ({axis cs:${m.x},${y0}} |- {rel axis cs:0,0}) -- ({axis cs:${m.x},${y0}} |- {rel axis cs:0,1})${node};`)
  }
  return out.join('\n')
}

function rasterAxis(name: string, keys: string[], colormap: string, meta: { min: number; max: number }, extent: { cols: number; rows: number; reverseY: boolean }): string {
  return [
    `\\begin{axis}[${[...keys, 'enlargelimits=false', 'axis on top', `xmin=0, xmax=${extent.cols}, ymin=0, ymax=${extent.rows}`, extent.reverseY ? 'y dir=reverse' : '', colormap, 'colorbar', `point meta min=${meta.min}, point meta max=${meta.max}`].filter(Boolean).join(',\n  ')}]`,
    `\\addplot graphics[xmin=0, xmax=${extent.cols}, ymin=0, ymax=${extent.rows}] {${name}};`,
    '\\end{axis}',
  ].join('\n')
}

function colormapKey(name: string, css: string[]): string {
  return `colormap={${name}}{${css.map((c) => `rgb255=(${hexTriple(texColor(c))})`).join(' ')}}`
}

function hexTriple(hex: string): string {
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(',')
}

/** Category ticks: at most ~8 labels over `values`, at cell centres. */
function categoryTicks(values: string[], axis: 'x' | 'y'): string[] {
  const every = Math.max(1, Math.ceil(values.length / 8))
  const at = values.map((_, i) => i).filter((i) => i % every === 0)
  return [`${axis}tick={${at.map((i) => i + 0.5).join(',')}}`, `${axis}ticklabels={${at.map((i) => texText(values[i])).join(',')}}`]
}

/** The figure as a pgfplots document, data files under `dataDir` (relative to the .tex). */
export function renderTex(figure: Figure, style: FigureStyle, dataDir: string): TexOutput {
  const colors = new Colors()
  const files: TexOutput['files'] = []
  const title = style.title ?? figureTitle(figure)
  const size = [`width=${style.width}mm`, `height=${style.height}mm`]
  let body: string
  switch (figure.kind) {
    case 'line': {
      const f = figure.figure
      const keys = [...size, ...(title ? [`title={${texText(title)}}`] : []), 'unbounded coords=jump', ...axisKeys(style, { label: f.x.label, log: style.logX ?? f.x.scale === 'log', min: f.x.min, max: f.x.max }, { label: f.y.label, log: style.logY ?? f.y.scale === 'log', min: f.y.min, max: f.y.max })]
      body = `\\begin{axis}[${keys.join(',\n  ')}]\n${lineAxis(f, style, colors, files, dataDir, '', style.legend !== 'none')}\n\\end{axis}`
      break
    }
    case 'panels': {
      const cols = Math.max(1, Math.min(figure.columns, figure.panels.length))
      const rows = Math.ceil(figure.panels.length / cols)
      const panels = figure.panels.map((f, i) => {
        const keys = [`title={${texText(f.title)}}`, 'unbounded coords=jump', ...axisKeys(style, { label: f.x.label, log: style.logX ?? f.x.scale === 'log', min: f.x.min, max: f.x.max }, { label: f.y.label, log: style.logY ?? f.y.scale === 'log', min: f.y.min, max: f.y.max })]
        return `\\nextgroupplot[${keys.filter((k) => !k.startsWith('legend') || i === 0).join(', ')}]\n${lineAxis(f, style, colors, files, dataDir, `p${i}-`, i === 0 && style.legend !== 'none')}`
      })
      const w = (style.width / cols) * 0.82
      const h = (style.height / rows) * 0.7
      body = `\\begin{groupplot}[group style={group size=${cols} by ${rows}, horizontal sep=14mm, vertical sep=16mm}, width=${w.toFixed(1)}mm, height=${h.toFixed(1)}mm, title style={font=\\footnotesize}]\n${panels.join('\n')}\n\\end{groupplot}`
      if (title) body += `\n\\node[anchor=south] at (current bounding box.north) {${texText(title)}};`
      break
    }
    case 'bar': {
      const f = figure.figure
      const numeric = f.bars.every((b) => Number.isFinite(Number(b.category)))
      const keys = [...size, ...(title ? [`title={${texText(title)}}`] : []), 'ybar', `bar width=${Math.max(0.3, ((style.width * 0.7) / Math.max(1, f.bars.length)) * 0.7).toFixed(2)}mm`, ...axisKeys(style, { label: f.x.label, log: false }, { label: f.y.label, log: style.logY ?? f.y.scale === 'log', min: f.y.min, max: f.y.max })]
      if (!numeric) keys.push(`symbolic x coords={${f.bars.map((b) => b.category).join(',')}}`)
      // One data file per bar colour (key frequencies and the rest), each drawn in its colour.
      const plots = [...new Set(f.bars.map((b) => b.color))].map((c, i) => {
        const name = `${dataDir}/bars${i}.csv`
        files.push({ name, bytes: Buffer.from(['x,value', ...f.bars.filter((b) => b.color === c).map((b) => `${b.category},${b.value}`)].join('\n') + '\n') })
        return `\\addplot[fill=${colors.name(c)}, draw=none, forget plot] table[x=x, y=value, col sep=comma] {${name}};`
      })
      const labels = f.bars.filter((b) => b.label).map((b) => `\\node[above, font=\\scriptsize] at (axis cs:${b.category},${b.value}) {${texText(b.label!)}};`)
      body = `\\begin{axis}[${keys.join(',\n  ')}]\n${plots.join('\n')}\n${labels.join('\n')}\n\\end{axis}`
      break
    }
    case 'scatter': {
      const f = figure.figure
      const keys = [...size, ...(title ? [`title={${texText(title)}}`] : []), ...axisKeys(style, { label: f.x.label, log: f.x.scale === 'log', min: f.x.min, max: f.x.max }, { label: f.y.label, log: f.y.scale === 'log', min: f.y.min, max: f.y.max })]
      if (f.equalAspect) keys.push('axis equal image')
      // One data file per point colour, each drawn in its colour, as the SVG colours them.
      const plots = [...new Set(f.points.map((p) => p.color))].map((c, i) => {
        const name = `${dataDir}/points${i}.csv`
        files.push({ name, bytes: Buffer.from(['x,y,label', ...f.points.filter((p) => p.color === c).map((p) => `${p.x},${p.y},${p.label}`)].join('\n') + '\n') })
        return `\\addplot[only marks, mark=*, mark size=1.2pt, color=${colors.name(c)}, forget plot] table[x=x, y=y, col sep=comma] {${name}};`
      })
      const labels = f.showLabels ? f.points.map((p) => `\\node[right, font=\\tiny, text=black!70] at (axis cs:${p.x},${p.y}) {${texText(p.label)}};`) : []
      body = `\\begin{axis}[${keys.join(',\n  ')}]\n${[...plots, ...labels].join('\n')}\n\\end{axis}`
      break
    }
    case 'grid-heatmap': {
      const f = figure.figure
      const name = `${dataDir}/cells.png`
      files.push({ name, bytes: gridHeatmapPng(f) })
      const keys = [...size, ...(title ? [`title={${texText(title)}}`] : []), `xlabel={${texText(style.xLabel ?? f.columns.label)}}`, `ylabel={${texText(style.yLabel ?? f.rows.label)}}`, ...categoryTicks(f.columns.values.map((v) => num(v)), 'x'), ...categoryTicks(f.rows.values.map(String), 'y')]
      body = rasterAxis(name, keys, colormapKey('heat', f.colors), { min: f.min, max: f.max }, { cols: f.columns.values.length, rows: f.rows.values.length, reverseY: false })
      break
    }
    case 'heatmap': {
      const f = figure.figure
      const name = `${dataDir}/cells.png`
      files.push({ name, bytes: heatmapPng(f) })
      const keys = [...size, ...(title ? [`title={${texText(title)}}`] : []), `xlabel={${texText(style.xLabel ?? f.colLabel)}}`, `ylabel={${texText(style.yLabel ?? f.rowLabel)}}`]
      body = rasterAxis(name, keys, colormapKey('diverging', divergingStops()), f.scale, { cols: f.cols, rows: f.rows, reverseY: true })
      break
    }
    case 'scaling': {
      const f = figure.figure
      const name = `${dataDir}/runs.csv`
      files.push({ name, bytes: Buffer.from(['x,y', ...f.points.map((p) => `${p.x},${p.y}`)].join('\n') + '\n') })
      const keys = [...size, ...(title ? [`title={${texText(title)}}`] : []), ...axisKeys(style, { label: f.x.label, log: style.logX ?? f.x.scale === 'log', min: f.x.min, max: f.x.max }, { label: f.y.label, log: style.logY ?? f.y.scale === 'log', min: f.y.min, max: f.y.max })]
      const lines = f.lines.map((l) => `\\addplot[color=${colors.name(l.color)}, ${DASH[l.dash]}, line width=${style.lineWidth}pt, no markers] coordinates {${l.points.map(([x, y]) => `(${x},${y})`).join(' ')}};\n\\addlegendentry{${texText(l.name)}}`)
      const censored = f.censored.length ? `\\addplot[only marks, mark=o, color=black!60] coordinates {${f.censored.map((p) => `(${p.x},${p.y})`).join(' ')}};\n\\addlegendentry{never fired}` : ''
      body = `\\begin{axis}[${keys.join(',\n  ')}]\n${lines.join('\n')}\n\\addplot[only marks, mark=*, mark size=1.5pt, color=black] table[x=x, y=y, col sep=comma] {${name}};\n\\addlegendentry{runs}\n${censored}\n\\end{axis}`
      break
    }
    case 'phase': {
      const g = figure.grid
      const colsText = g.cols.map((c) => num(c))
      const rowsText = g.rows.map((r) => (g.rowKey ? num(r) : ''))
      const keys = [...size, ...(title ? [`title={${texText(title)}}`] : []), `xlabel={${texText(style.xLabel ?? g.colKey)}}`, `ylabel={${texText(style.yLabel ?? g.rowKey ?? '')}}`, `xmin=0, xmax=${g.cols.length}, ymin=0, ymax=${g.rows.length}`, ...categoryTicks(colsText, 'x'), ...categoryTicks(rowsText, 'y'), ...legendKeys(style), 'legend image code/.code={\\draw[#1] (0cm,-0.1cm) rectangle (0.2cm,0.1cm);}']
      const legend = PHASES.map((p) => `\\addlegendimage{fill=${colors.name(PHASE_COLORS[p])}, draw=none}\n\\addlegendentry{${texText(p)}}`)
      // White borders and a short label in each cell, so the map never relies on colour alone.
      const cells = g.cells
        .filter((c) => c.phase)
        .map((c) => `\\filldraw[fill=${colors.name(PHASE_COLORS[c.phase!])}, draw=white, line width=1pt] (axis cs:${c.col},${c.row}) rectangle (axis cs:${c.col + 1},${c.row + 1});\n\\node[text=white, font=\\footnotesize] at (axis cs:${c.col + 0.5},${c.row + 0.5}) {${PHASE_SHORT[c.phase!]}${c.runIds.length > 1 ? ` $\\times$${c.runIds.length}` : ''}};`)
      body = `\\begin{axis}[${keys.join(',\n  ')}]\n${legend.join('\n')}\n${cells.join('\n')}\n\\end{axis}`
      break
    }
  }
  const tex = [
    '% Made by Grokking Lab. Compile with: pdflatex FILE.tex (data files beside it).',
    '% To put the figure in a paper, copy the tikzpicture and \\usepackage{pgfplots} with the libraries below.',
    '\\documentclass{article}',
    `\\usepackage[paperwidth=${(style.width + 30).toFixed(0)}mm, paperheight=${(style.height + 30).toFixed(0)}mm, margin=8mm]{geometry}`,
    '\\usepackage{pgfplots}',
    '\\usepgfplotslibrary{groupplots}',
    '\\pgfplotsset{compat=1.17}',
    '\\pagestyle{empty}',
    colors.defs(),
    '\\begin{document}',
    `\\noindent\\begin{tikzpicture}[font=\\fontsize{${style.fontSize}}{${Math.round(style.fontSize * 1.2)}}\\selectfont]`,
    body,
    '\\end{tikzpicture}',
    '\\end{document}',
    '',
  ].join('\n')
  return { tex, files }
}
