// Publication style of an exported figure: its size on paper, its type, line widths, legend and
// axes. One schema for the CLI's flags, the app's style editor and saved style presets.
import { z } from 'zod'
import { LabError } from '../../lab-error'

/** Points per millimetre: exported figures are laid out in points (1/72 in), the unit of type. */
export const PT_PER_MM = 72 / 25.4

const UNIT_MM: Record<string, number> = { mm: 1, cm: 10, in: 25.4, pt: 25.4 / 72 }

/** "85mm", "8.5cm", "3.35in" or "240pt" in millimetres; a bare number is taken as millimetres. */
export function parseLength(text: string, what = 'length'): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(mm|cm|in|pt)?\s*$/i.exec(text)
  const value = m ? Number(m[1]) * UNIT_MM[(m[2] ?? 'mm').toLowerCase()] : Number.NaN
  if (!(value > 0) || value > 2000) throw new LabError(`${what} '${text}' is not a length: write it like 85mm, 8.5cm, 3.35in or 240pt (up to 2 m)`)
  return value
}

/** Fonts every platform the lab ships for can embed (the DejaVu families come with Debian's fonts-dejavu-core). */
export const FONT_FAMILIES = ['DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono'] as const
export const LEGEND_POSITIONS = ['top', 'right', 'bottom', 'inside', 'none'] as const
export const TICK_FORMATS = ['auto', 'plain', 'sci'] as const

export const figureStyleSchema = z
  .object({
    /** Millimetres. */
    width: z.number().min(20, 'a figure is at least 20 mm wide').max(2000),
    height: z.number().min(15, 'a figure is at least 15 mm high').max(2000),
    fontFamily: z.enum(FONT_FAMILIES),
    /** Points. */
    fontSize: z.number().min(4).max(36),
    /** Points, for the curves (axes take half). */
    lineWidth: z.number().min(0.1).max(8),
    /** Replaces the figure's title; '' leaves the title out (papers put it in the caption). */
    title: z.string().max(300).optional(),
    xLabel: z.string().max(200).optional(),
    yLabel: z.string().max(200).optional(),
    legend: z.enum(LEGEND_POSITIONS),
    tickFormat: z.enum(TICK_FORMATS),
    /** Forces a log (true) or linear (false) axis; absent keeps the figure's own. */
    logX: z.boolean().optional(),
    logY: z.boolean().optional(),
    grid: z.boolean(),
    /** PNG resolution. */
    dpi: z.number().int().min(36).max(2400),
    background: z.enum(['white', 'transparent']),
  })
  .strict()

export type FigureStyle = z.infer<typeof figureStyleSchema>

const BASE: FigureStyle = {
  width: 85,
  height: 60,
  fontFamily: 'DejaVu Sans',
  fontSize: 8,
  lineWidth: 1,
  legend: 'top',
  tickFormat: 'auto',
  grid: false,
  dpi: 300,
  background: 'white',
}

/** The styles every lab has: a one-column and a two-column paper figure, and a slide. */
export const BUILTIN_STYLES: Record<string, FigureStyle> = {
  'one-column': BASE,
  'two-column': { ...BASE, width: 175, height: 80, fontSize: 9 },
  slide: { ...BASE, width: 254, height: 143, fontSize: 16, lineWidth: 2, legend: 'right' },
}
export const DEFAULT_STYLE = 'one-column'

/** A style preset's name: letters, digits, - and _, so it is a safe file and flag value. */
export const styleNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'a style name is letters, digits, - and _ (up to 64)')

/** Style overrides: any subset of the fields, each validated as in a whole style. */
export const styleOverridesSchema = figureStyleSchema.partial()
export type StyleOverrides = z.infer<typeof styleOverridesSchema>

/** `base` with `overrides` applied, checked as a whole; a bad field is one LabError line. */
export function resolveStyle(base: FigureStyle, overrides: StyleOverrides = {}): FigureStyle {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined))
  const parsed = figureStyleSchema.safeParse({ ...base, ...defined })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new LabError(`style ${issue.path.join('.') || 'value'}: ${issue.message}`)
  }
  return parsed.data
}
