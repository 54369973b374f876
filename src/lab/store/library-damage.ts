// What a damaged library means for the user, in one line: the newest backup and how to put it
// back, else how to salvage the intact runs.
import { newestBackup } from './library-backup'
import { resolveLibraryPath } from './default-location'

/** Whether `e` is SQLite saying the file is damaged. */
export function isDamaged(e: unknown): boolean {
  return (e as { code?: string })?.code === 'SQLITE_CORRUPT' || (e as { code?: string })?.code === 'SQLITE_NOTADB' || /malformed/.test(String((e as Error)?.message))
}

/**
 * The way out of a damaged library `file`, in one clause: restore its newest backup, or check and
 * recover it. `checked`: the caller is `check` itself, so it does not send the user to `check`.
 */
export function damagedLibraryAdvice(file: string, opts: { checked?: boolean } = {}): string {
  const backup = newestBackup(file)
  const recover = `save every intact run with \`grokking-lab recover --db ${file} --out NEW.sqlite\``
  const salvage = opts.checked ? recover : `see what is wrong with \`grokking-lab check --db ${file}\`, and ${recover}`
  if (!backup) return salvage
  return `its newest backup is ${backup.file} (${backup.day}): \`grokking-lab restore --from ${backup.file} --db ${file}\` puts it back and keeps the damaged file aside; or ${salvage}`
}

/** The CLI's line for a damaged library met by the command `argv` (its --db, else the default library). */
export function damagedLibraryLine(e: unknown, argv: readonly string[] = process.argv): string {
  const at = argv.findIndex((a) => a === '--db' || a.startsWith('--db='))
  const explicit = at < 0 ? undefined : argv[at].startsWith('--db=') ? argv[at].slice(5) : argv[at + 1]
  return damagedLibraryMessage(e, resolveLibraryPath(explicit))
}

/** The line for the damaged library `file`, with SQLite's words in brackets. */
export function damagedLibraryMessage(e: unknown, file: string): string {
  return `the run library ${file} is damaged (${(e as Error)?.message ?? e}); ${damagedLibraryAdvice(file)}`
}
