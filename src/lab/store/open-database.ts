import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { LabError } from '../../shared/lab-error'
import { APPLICATION_ID, migrate } from './schema'
import { maybeBackUp } from './library-backup'
import { damagedLibraryMessage, isDamaged } from './library-damage'

// Lets a library on read-only media be opened as immutable (a `file:` URI), where SQLite could not
// create the WAL index beside it. better-sqlite3 reads this once, when its addon first loads.
process.env.SQLITE_USE_URI ??= '1'

export interface OpenOptions {
  readonly?: boolean
  /**
   * Path to a better_sqlite3.node built for another ABI (Electron's); defaults to
   * GROKKING_LAB_SQLITE_BINDING, then Node's own build.
   */
  nativeBinding?: string
}

const SQLITE_HEADER = 'SQLite format 3\u0000'

/**
 * Opens (creating if needed) a run library, refusing anything that is not one without writing a
 * byte to it. WAL lets the UI read series while a worker writes; synchronous=NORMAL under WAL
 * keeps the file consistent through a kill at any moment.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  const exists = fs.existsSync(file)
  if (exists) checkExistingFile(file)
  const locked = exists ? notWritable(file) : null
  if (locked) return openReadOnlyMedia(file, locked, options)
  if (!exists && options.readonly) throw new LabError(`no run library at ${file}; train a run first or pass another --db`)
  if (!exists) ensureWritableFolder(file)

  let db: Database.Database
  try {
    db = new Database(file, {
      readonly: options.readonly ?? false,
      nativeBinding: options.nativeBinding ?? process.env.GROKKING_LAB_SQLITE_BINDING,
    })
  } catch (e) {
    throw new LabError(`cannot open the run library at ${file}: ${(e as Error).message}`)
  }
  try {
    const appId = db.pragma('application_id', { simple: true }) as number
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }
    if (appId !== APPLICATION_ID && tables.n > 0) {
      throw new LabError(`${file} is a SQLite database but not a Grokking Lab library; pass another --db path`)
    }
    db.pragma('busy_timeout = 10000')
    db.pragma('foreign_keys = ON')
    if (!options.readonly) {
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = NORMAL')
      migrate(db)
      if (exists && worthBackingUp(db)) maybeBackUp(file, { nativeBinding: options.nativeBinding })
    }
    return db
  } catch (e) {
    db.close()
    if (e instanceof LabError) throw e
    if (isDamaged(e)) throw new LabError(damagedLibraryMessage(e, file))
    throw new LabError(`cannot use the run library at ${file}: ${(e as Error).message}`)
  }
}

/**
 * Whether opening `db` should consider today's backup: only a library with runs in it, and not in
 * a training worker (its parent, which opened the library first, already did).
 */
function worthBackingUp(db: Database.Database): boolean {
  // The table itself, not an index of it: a damaged first page of runs is found here, at open.
  const any = db.prepare('SELECT id FROM runs NOT INDEXED LIMIT 1').get() !== undefined
  return any && process.send === undefined
}

/** Why `file` cannot be written ('EROFS' for read-only media), or null where it can. */
function notWritable(file: string): string | null {
  try {
    fs.accessSync(file, fs.constants.W_OK)
    // SQLite writes its WAL and index beside the file.
    fs.accessSync(path.dirname(path.resolve(file)), fs.constants.W_OK)
    return null
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'EACCES'
  }
}

/**
 * `file` as a read-only `immutable` URI: how a WAL library on read-only media is read, where SQLite
 * cannot create the WAL index beside it (needs SQLITE_USE_URI, set above).
 */
export function immutableUri(file: string): string {
  return `file:${path.resolve(file).replace(/%/g, '%25').replace(/\?/g, '%3f').replace(/#/g, '%23')}?immutable=1`
}

/**
 * A plain read-only connection to an existing SQLite file, for check and recover: no lab checks,
 * so a damaged file still opens; on read-only media, as immutable where SQLite cannot open it
 * otherwise. Throws SQLite's error where the file cannot be opened at all.
 */
export function openForReading(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get()
    return db
  } catch (e) {
    // A damaged page is for the caller to report; only a file SQLite cannot open is retried.
    if ((e as { code?: string }).code !== 'SQLITE_CANTOPEN') return db
    db.close()
    return new Database(immutableUri(file), { readonly: true, fileMustExist: true })
  }
}

/** The one line a write to a library that cannot be written gets. */
export function readOnlyLibraryMessage(file: string, reason: string): string {
  const why = reason === 'EROFS' ? 'is on a read-only disk' : `cannot be written by this user (${reason})`
  return `the run library ${file} ${why}, so nothing was written to it; read commands (runs, show, series, export) work where it is, and to train, copy it to a writable disk and pass --db COPY`
}

/**
 * A library that cannot be written, opened read-only so reading commands work. Every writing
 * statement on it fails with one LabError naming the library, before SQLite is asked.
 */
function openReadOnlyMedia(file: string, reason: string, options: OpenOptions): Database.Database {
  const settings = { readonly: true, fileMustExist: true, nativeBinding: options.nativeBinding ?? process.env.GROKKING_LAB_SQLITE_BINDING }
  const tryOpen = (name: string): Database.Database | Error => {
    let db: Database.Database | undefined
    try {
      db = new Database(name, settings)
      db.prepare('SELECT count(*) FROM sqlite_master').get()
      return db
    } catch (e) {
      db?.close()
      return e as Error
    }
  }
  let opened = tryOpen(file)
  if (opened instanceof Error) opened = tryOpen(immutableUri(file))
  if (opened instanceof Error) throw new LabError(`${readOnlyLibraryMessage(file, reason)} (but it cannot be read either: ${opened.message})`)
  const db = opened
  if (db.pragma('application_id', { simple: true }) !== APPLICATION_ID) {
    db.close()
    throw new LabError(`${file} is a SQLite database but not a Grokking Lab library; pass another --db path`)
  }
  db.pragma('busy_timeout = 10000')
  const prepare = db.prepare.bind(db)
  const refuse = () => {
    throw new LabError(readOnlyLibraryMessage(file, reason))
  }
  db.prepare = ((sql: string) => {
    const stmt = prepare(sql)
    if (!stmt.readonly) stmt.run = refuse
    return stmt
  }) as typeof db.prepare
  return db
}

function checkExistingFile(file: string): void {
  const stat = fs.statSync(file)
  if (!stat.isFile()) throw new LabError(`${file} is not a file; pass a file path to --db`)
  if (stat.size === 0) return
  const fd = fs.openSync(file, 'r')
  const header = Buffer.alloc(16)
  try {
    fs.readSync(fd, header, 0, 16, 0)
  } finally {
    fs.closeSync(fd)
  }
  if (header.toString('latin1') !== SQLITE_HEADER) {
    throw new LabError(`${file} is not a Grokking Lab database (not a SQLite file); pass another --db path`)
  }
}

function ensureWritableFolder(file: string): void {
  const dir = path.dirname(path.resolve(file))
  try {
    makeFolders(dir)
    fs.accessSync(dir, fs.constants.W_OK)
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message
    throw new LabError(`cannot create a run library at ${file} (${reason}); pass a writable --db path or set GROKKING_LAB_DB`)
  }
}

/**
 * mkdir -p one level at a time from the nearest existing folder. Node's recursive mkdir loops for
 * ever under /proc (each mkdir answers ENOENT there), so the levels are made, and checked, here.
 */
export function makeFolders(dir: string): void {
  const missing: string[] = []
  let at = dir
  while (!fs.existsSync(at)) {
    missing.unshift(at)
    const up = path.dirname(at)
    if (up === at) break
    at = up
  }
  if (!fs.statSync(at).isDirectory()) throw Object.assign(new Error(`${at} is not a folder`), { code: 'ENOTDIR' })
  for (const level of missing) fs.mkdirSync(level)
}
