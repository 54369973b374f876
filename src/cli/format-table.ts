/** A plain-text table with left-aligned columns, for terminal listings. */
export function formatTable(headers: string[], rows: unknown[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === 'number' && !Number.isInteger(c) ? c.toPrecision(4) : String(c ?? '-'))))]
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)))
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n')
}
