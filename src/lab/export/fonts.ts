// The font files behind a style's family: PNG (resvg) and PDF (pdfkit) embed real TrueType files,
// so text in an exported figure never falls back to whatever the viewer has.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { LabError } from '../../shared/lab-error'

const DEJAVU_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/TTF', '/usr/share/fonts/dejavu', '/Library/Fonts', 'C:\\Windows\\Fonts']
const FILES: Record<string, { regular: string; bold: string }> = {
  'DejaVu Sans': { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' },
  'DejaVu Serif': { regular: 'DejaVuSerif.ttf', bold: 'DejaVuSerif-Bold.ttf' },
  'DejaVu Sans Mono': { regular: 'DejaVuSansMono.ttf', bold: 'DejaVuSansMono-Bold.ttf' },
}

export interface FontFiles {
  family: string
  regular: string
  bold: string | null
}

function fcMatch(pattern: string): string | null {
  try {
    const file = execFileSync('fc-match', ['-f', '%{file}', pattern], { encoding: 'utf8', timeout: 5000 }).trim()
    return file && existsSync(file) ? file : null
  } catch {
    return null
  }
}

const cache = new Map<string, FontFiles>()

/** The TrueType files of `family`; throws one line naming the package to install when absent. */
export function fontFiles(family: string): FontFiles {
  const hit = cache.get(family)
  if (hit) return hit
  const names = FILES[family]
  const find = (file: string) => DEJAVU_DIRS.map((d) => `${d}/${file}`).find((p) => existsSync(p)) ?? null
  const regular = (names && find(names.regular)) ?? fcMatch(`${family}:style=Book`) ?? fcMatch(family)
  if (!regular || !/\.(ttf|otf)$/i.test(regular)) {
    throw new LabError(`the font '${family}' is not installed, and exported figures embed their font: install it (Debian: apt-get install fonts-dejavu-core) or pick another --font`)
  }
  const bold = (names && find(names.bold)) ?? null
  const files = { family, regular, bold }
  cache.set(family, files)
  return files
}
