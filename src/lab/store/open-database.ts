import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { LabError } from '../../shared/lab-error'
import { APPLICATION_ID, migrate } from './schema'

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
  else if (options.readonly) throw new LabError(`no run library at ${file}; train a run first or pass another --db`)
  else ensureWritableFolder(file)

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
    }
    return db
  } catch (e) {
    db.close()
    if (e instanceof LabError) throw e
    throw new LabError(`cannot use the run library at ${file}: ${(e as Error).message}`)
  }
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
