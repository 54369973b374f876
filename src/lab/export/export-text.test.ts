import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { parseLength, resolveStyle, BUILTIN_STYLES } from '../../shared/figures/export/figure-style'
import { migrate } from '../store/schema'
import { listStyles, saveStyle, styleFor } from './style-store'
import { stableIds } from './render-svg'
import { texText } from './tex-text'

describe('figure text and styles', () => {
  it('turns labels into LaTeX: specials escaped, Greek in math, clock names with roman subscripts', () => {
    expect(texText('λ·η·t')).toBe('$\\lambda\\cdot\\eta\\cdot$t')
    expect(texText('T_gen 2,100')).toBe('$T_{\\mathrm{gen}}$ 2,100')
    expect(texText('‖θ‖')).toBe('$\\|\\theta\\|$')
    expect(texText('#1 test_acc 50%')).toBe('\\#1 test\\_acc 50\\%')
  })

  it('reads lengths in mm, cm, in and pt, and says how to write one it cannot read', () => {
    expect(parseLength('85mm')).toBe(85)
    expect(parseLength('8.5cm')).toBeCloseTo(85, 10)
    expect(parseLength('3.35in')).toBeCloseTo(85.09, 10)
    expect(parseLength('72pt')).toBeCloseTo(25.4, 10)
    expect(() => parseLength('wide', '--width')).toThrow("--width 'wide' is not a length: write it like 85mm, 8.5cm, 3.35in or 240pt")
  })

  it('saves named styles in the library, refuses built-in names, and lists both', () => {
    const db = new Database(':memory:')
    migrate(db)
    const mine = resolveStyle(BUILTIN_STYLES['one-column'], { fontFamily: 'DejaVu Serif', fontSize: 9 })
    saveStyle(db, 'neurips', mine)
    expect(styleFor(db, 'neurips', { legend: 'inside' })).toEqual({ ...mine, legend: 'inside' })
    expect(listStyles(db).map((s) => [s.name, s.builtin])).toEqual([['one-column', true], ['two-column', true], ['slide', true], ['neurips', false]])
    expect(() => saveStyle(db, 'slide', mine)).toThrow("'slide' is a built-in style")
    expect(() => styleFor(db, 'nope')).toThrow("no figure style 'nope' (styles: one-column, two-column, slide, neurips)")
  })

  it('numbers ECharts ids by first use, so one figure is one file in any process', () => {
    const a = '<g class="zr2-cls-8"><path class="zr2-cls-9" clip-path="url(#zr2-c3)"/></g><p class="zr2-cls-8"/>'
    const b = a.replace(/zr2-cls-8/g, 'zr0-cls-0').replace(/zr2-cls-9/g, 'zr0-cls-1').replace('zr2-c3', 'zr0-c0')
    expect(stableIds(a)).toBe(stableIds(b))
    expect(stableIds(a)).toBe('<g class="zr-cls-0"><path class="zr-cls-1" clip-path="url(#zr-c2)"/></g><p class="zr-cls-0"/>')
  })
})
