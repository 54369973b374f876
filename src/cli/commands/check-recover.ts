import { checkLibrary } from '../../lab/store/library-check'
import { recoverLibrary } from '../../lab/store/library-recover'
import { resolveLibraryPath } from '../../lab/store/default-location'
import { formatTable } from '../format-table'
import { damagedLibraryAdvice } from '../../lab/store/library-damage'

/** `grokking-lab check`: SQLite's integrity check and the lab's own; exit 1 when something is wrong. */
export function checkCommand(o: { db?: string; json?: boolean }): number {
  const report = checkLibrary(resolveLibraryPath(o.db))
  if (o.json) {
    console.log(JSON.stringify(report))
    return report.ok ? 0 : 1
  }
  const sound = report.integrity.length === 1 && report.integrity[0] === 'ok'
  console.log(`library ${report.file}: ${report.runs ?? 'unreadable number of'} runs`)
  console.log(sound ? 'integrity: ok' : `integrity: DAMAGED (${report.integrity.length} problem(s)):\n  ${report.integrity.slice(0, 10).join('\n  ')}`)
  console.log(report.orphans.length ? `orphan rows: ${report.orphans.map((o) => `${o.rows} in ${o.table}`).join(', ')}` : 'orphan rows: none')
  if (report.stale.length) {
    console.log(`runs marked running without a live worker: ${report.stale.map((s) => `#${s.runId} (pid ${s.pid ?? '—'})`).join(', ')}; the next command that opens the library marks them interrupted, and \`grokking-lab resume RUN\` continues them`)
  }
  // The same words as the damaged-library line every other command prints.
  if (!sound) console.log(`the way out: ${damagedLibraryAdvice(report.file, { checked: true })}`)
  return report.ok ? 0 : 1
}

/** `grokking-lab recover --out NEW`: every readable run of a damaged library into a new one. */
export function recoverCommand(o: { db?: string; out: string; json?: boolean }): number {
  const report = recoverLibrary(resolveLibraryPath(o.db), o.out)
  if (o.json) {
    console.log(JSON.stringify(report))
    return 0
  }
  console.log(formatTable(['run', 'name', 'metric rows', 'snapshots', 'state'], report.runs.map((r) => [r.runId, r.name, r.metrics, r.snapshots, r.complete ? 'whole' : 'partly recovered'])))
  const skipped = Object.entries(report.skipped).map(([t, n]) => `${n} in ${t}`).join(', ')
  console.log(`recovered ${report.runs.length} run(s) into ${report.to} (integrity ${report.integrity}); lost runs: ${report.lost.length ? report.lost.map((id) => `#${id}`).join(', ') : 'none'}; rows on damaged pages: ${skipped || 'none'}`)
  return 0
}
