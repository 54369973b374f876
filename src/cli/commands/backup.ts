import { backUpNow, backupFolder, listBackups } from '../../lab/store/library-backup'
import { restoreBackup } from '../../lab/store/library-restore'
import { resolveLibraryPath } from '../../lab/store/default-location'
import { LabError } from '../../shared/lab-error'
import { formatTable } from '../format-table'

const size = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.ceil(bytes / 1e3)} kB`)

/** `grokking-lab backups`: the library's automatic backups, newest first, and where they live. */
export function backupsCommand(o: { db?: string; json?: boolean }): number {
  const file = resolveLibraryPath(o.db)
  const backups = listBackups(file)
  if (o.json) {
    console.log(JSON.stringify({ library: file, folder: backupFolder(file), backups }))
    return 0
  }
  if (backups.length === 0) {
    console.log(`no backups of ${file} yet (they are made once a day, in ${backupFolder(file)}, when the lab opens the library to write; \`grokking-lab backup\` makes one now)`)
    return 0
  }
  console.log(formatTable(['day', 'size', 'file'], backups.map((b) => [b.day, size(b.bytes), b.file])))
  console.log(`to put one back: grokking-lab restore --from FILE${o.db ? ` --db ${file}` : ''}`)
  return 0
}

/** `grokking-lab backup`: today's backup, made now (replacing today's, if any). */
export async function backupCommand(o: { db?: string; json?: boolean }): Promise<number> {
  const file = resolveLibraryPath(o.db)
  const result = await backUpNow(file)
  if (o.json) console.log(JSON.stringify({ library: file, ...result }))
  if ('skipped' in result) throw new LabError(`no backup made of ${file}: ${result.skipped}`)
  if (!o.json) console.log(`backed up ${file} to ${result.made}`)
  return 0
}

/** `grokking-lab restore --from BACKUP`: the backup in the library's place, the old file kept aside. */
export function restoreCommand(o: { db?: string; from: string; json?: boolean }): number {
  const report = restoreBackup(resolveLibraryPath(o.db), o.from)
  if (o.json) {
    console.log(JSON.stringify(report))
    return 0
  }
  console.log(`restored ${report.library} from ${report.from} (${report.runs} runs)`)
  if (report.keptAside) console.log(`the file it replaced is kept at ${report.keptAside} (\`grokking-lab recover --db ${report.keptAside} --out NEW.sqlite\` salvages runs newer than the backup)`)
  return 0
}
