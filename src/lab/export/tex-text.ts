// Figure text in LaTeX: specials escaped, Greek and math symbols in math mode, and clock names
// such as T_gen as T with a roman subscript, so labels read as they do in the paper's body.

const SYMBOLS: Record<string, string> = {
  λ: '\\lambda', η: '\\eta', ε: '\\varepsilon', δ: '\\delta', α: '\\alpha', θ: '\\theta', σ: '\\sigma', Σ: '\\Sigma', μ: '\\mu', π: '\\pi',
  '·': '\\cdot', '‖': '\\|', '²': '^{2}', '≤': '\\le', '≥': '\\ge', '×': '\\times', '→': '\\to', '−': '-', '∈': '\\in', '╲': '\\backslash', '≈': '\\approx', '₁₀': '_{10}',
}
const SPECIAL: Record<string, string> = { '\\': '\\textbackslash{}', '#': '\\#', $: '\\$', '%': '\\%', '&': '\\&', _: '\\_', '{': '\\{', '}': '\\}', '~': '\\textasciitilde{}', '^': '\\textasciicircum{}' }

/** `text` as LaTeX that pdflatex typesets without extra packages. */
export function texText(text: string): string {
  let out = ''
  const re = /\b([A-Za-z])_([A-Za-z0-9]+)\b|₁₀|[ληεδαθσΣμπ·‖²≤≥×→−∈╲≈]|[\\#$%&_{}~^]/g
  let last = 0
  for (const m of text.matchAll(re)) {
    out += text.slice(last, m.index)
    if (m[1]) out += `$${m[1]}_{\\mathrm{${m[2]}}}$`
    else if (m[0] in SYMBOLS) out += `$${SYMBOLS[m[0]]}$`
    else out += SPECIAL[m[0]]
    last = m.index + m[0].length
  }
  // Adjacent math runs ($a$$b$) would read as display math: join them.
  return (out + text.slice(last)).replace(/\$\$/g, '')
}

/** A colour as `\definecolor`'s HTML argument (no #, upper case). */
export function texColor(css: string): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(css)?.[1]
  if (hex) return hex.toUpperCase()
  const rgb = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/i.exec(css)
  if (rgb) return rgb.slice(1, 4).map((v) => Number(v).toString(16).padStart(2, '0')).join('').toUpperCase()
  return '000000'
}
