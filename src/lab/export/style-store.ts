// Saved figure styles: the built-in presets plus the user's own, kept in the library's
// figure_styles table so the app and the CLI offer the same names.
import type Database from 'better-sqlite3'
import { LabError } from '../../shared/lab-error'
import { BUILTIN_STYLES, DEFAULT_STYLE, figureStyleSchema, resolveStyle, styleNameSchema, type FigureStyle, type StyleOverrides } from '../../shared/figures/export/figure-style'

export interface NamedStyle {
  name: string
  builtin: boolean
  style: FigureStyle
}

/** Every style by name: built-ins first, then saved ones (a saved style never shadows a built-in). */
export function listStyles(db: Database.Database): NamedStyle[] {
  const saved = db.prepare('SELECT name, style_json FROM figure_styles ORDER BY name').all() as { name: string; style_json: string }[]
  const own = saved.flatMap((r) => {
    const parsed = figureStyleSchema.safeParse(JSON.parse(r.style_json))
    // A style saved by a newer lab with fields this one lacks is skipped, not fatal.
    return parsed.success ? [{ name: r.name, builtin: false, style: parsed.data }] : []
  })
  return [...Object.entries(BUILTIN_STYLES).map(([name, style]) => ({ name, builtin: true, style })), ...own]
}

/** The style called `name` (default: one-column) with `overrides`; an unknown name lists the known ones. */
export function styleFor(db: Database.Database, name: string | undefined, overrides: StyleOverrides = {}): FigureStyle {
  const all = listStyles(db)
  const wanted = name ?? DEFAULT_STYLE
  const found = all.find((s) => s.name === wanted)
  if (!found) throw new LabError(`no figure style '${wanted}' (styles: ${all.map((s) => s.name).join(', ')}); save one with \`grokking-lab style save NAME …\``)
  return resolveStyle(found.style, overrides)
}

/** Saves `style` as `name`; built-in names are refused so that their meaning never changes. */
export function saveStyle(db: Database.Database, name: string, style: FigureStyle): NamedStyle {
  const checked = styleNameSchema.safeParse(name)
  if (!checked.success) throw new LabError(`style name '${name}': ${checked.error.issues[0].message}`)
  if (name in BUILTIN_STYLES) throw new LabError(`'${name}' is a built-in style; save yours under another name`)
  const valid = resolveStyle(style)
  db.prepare('INSERT INTO figure_styles (name, style_json, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET style_json = excluded.style_json, updated_at = excluded.updated_at').run(
    name,
    JSON.stringify(valid),
    new Date().toISOString(),
  )
  return { name, builtin: false, style: valid }
}
