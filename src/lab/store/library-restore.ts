// `grokking-lab restore --from BACKUP`: puts a backup in the library's place. The file it replaces
// (damaged, most likely) is renamed aside with its WAL, never deleted, so nothing is lost by it.
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { LabError } from '../../shared/lab-error'
import { backupFolder } from './library-backup'
import { APPLICATION_ID } from './schema'

export interface RestoreReport {
  library: string
  from: string
  runs: number
  /** Where the replaced library now lies (null where there was none). */
  keptAside: string | null
}

/** A stamp for the file kept aside: UTC date and time, to the second. */
function stamp(at = new Date()): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')
}

/** `from` as given, or the backup of that name in the library's backup folder. */
export function resolveBackup(file: string, from: string): string {
  if (fs.existsSync(from)) return path.resolve(from)
  const inFolder = path.join(backupFolder(file), path.basename(from))
  if (fs.existsSync(inFolder)) return inFolder
  throw new LabError(`no backup at ${from}; \`grokking-lab backups\` lists the backups of ${file}`)
}

/** Replaces the library `file` with the backup `from`, keeping the old file aside. */
export function restoreBackup(file: string, from: string): RestoreReport {
  const library = path.resolve(file)
  const source = resolveBackup(library, from)
  if (source === library) throw new LabError(`${from} is the library itself; pass one of its backups to --from`)
  const runs = checkBackup(source)
  const dir = path.dirname(library)
  const partial = path.join(dir, `.${path.basename(library)}.restoring`)
  try {
    fs.copyFileSync(source, partial)
  } catch (e) {
    fs.rmSync(partial, { force: true })
    throw new LabError(`cannot copy ${source} beside ${library} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); free some space or check the folder's permissions`)
  }
  let keptAside: string | null = null
  if (fs.existsSync(library)) {
    keptAside = `${library}.damaged-${stamp()}`
    fs.renameSync(library, keptAside)
    // The WAL and its index belong to the file set aside; left here they would be replayed into the backup.
    for (const suffix of ['-wal', '-shm']) {
      if (fs.existsSync(library + suffix)) fs.renameSync(library + suffix, keptAside + suffix)
    }
  }
  fs.renameSync(partial, library)
  return { library, from: source, runs, keptAside }
}

/** The run count of a sound backup; a LabError for anything else. */
function checkBackup(file: string): number {
  let db: Database.Database
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
  } catch (e) {
    throw new LabError(`cannot open the backup ${file}: ${(e as Error).message}`)
  }
  try {
    if (db.pragma('application_id', { simple: true }) !== APPLICATION_ID) throw new LabError(`${file} is not a Grokking Lab library; pass one of its backups to --from`)
    const check = db.pragma('quick_check(1)', { simple: true })
    if (check !== 'ok') throw new LabError(`the backup ${file} is damaged too (${String(check).replace(/\s+/g, ' ')}); try an older one (\`grokking-lab backups\`) or \`grokking-lab recover\``)
    return (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n
  } catch (e) {
    if (e instanceof LabError) throw e
    throw new LabError(`the backup ${file} cannot be read (${(e as Error).message}); try an older one (\`grokking-lab backups\`)`)
  } finally {
    db.close()
  }
}
