// A library on a full disk (or read-only media): what SQLite's error means for the user, with
// the free space, instead of a stack trace.
import fs from 'node:fs'
import path from 'node:path'

/** Whether `e` says the library's disk is full or cannot be written. */
export function isStorageFull(e: unknown): boolean {
  const code = String((e as { code?: unknown })?.code ?? '')
  const message = String((e as Error)?.message ?? '')
  return code === 'SQLITE_FULL' || code === 'SQLITE_READONLY' || code === 'ENOSPC' || /disk is full|ENOSPC|no space left/i.test(message)
}

/** Free space on the disk holding `file`, as "1.2 MB", or null where it cannot be read. */
export function freeSpace(file: string): string | null {
  try {
    const s = fs.statfsSync(path.dirname(path.resolve(file)))
    const bytes = s.bavail * s.bsize
    return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`
  } catch {
    return null
  }
}

/** The one line a full disk gets: the library, the free space, where the run stopped and how to go on. */
export function storageFullMessage(e: unknown, file: string, runId: number, step: number): string {
  const free = freeSpace(file)
  const what = String((e as { code?: unknown })?.code) === 'SQLITE_READONLY' ? 'is read-only' : `is full (${free ?? 'unknown'} free)`
  return `the disk holding the run library ${file} ${what}: run ${runId} stopped at its last checkpoint (step ${step}) and is interrupted, nothing half-written kept; free some space, then \`grokking-lab resume ${runId}\``
}
