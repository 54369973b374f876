// Automatic backups: at most one copy a day of a library in use, made with SQLite's online backup
// API, kept in `<library>.backups/lab-YYYY-MM-DD.sqlite` (the newest BACKUPS_KEPT of them).
//
// The copy is made by a detached, low-priority child process, so a short command pays only for a
// stat and a spawn, and a serving event loop never steps through pages. The child copies into a
// `.partial` file, checks the copy (quick_check) and only then renames it into place and prunes
// the oldest: a full disk, a kill, or a damaged source leaves the earlier backups as they were.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'

export const BACKUPS_KEPT = 5
/** A backup is skipped unless the disk keeps this much free beyond twice the library's size. */
const MIN_FREE_BYTES = 100e6
/** A lock older than this is left from a killed backup, not a running one. */
const STALE_LOCK_MS = 60 * 60 * 1000
const LOCK = '.backup.lock'

export interface BackupFile {
  file: string
  /** The local day it was made, YYYY-MM-DD. */
  day: string
  bytes: number
}

/** The folder that holds the backups of the library `file`. */
export function backupFolder(file: string): string {
  return `${path.resolve(file)}.backups`
}

/** The local calendar day of `at`, as YYYY-MM-DD. */
export function localDay(at = new Date()): string {
  const two = (n: number) => String(n).padStart(2, '0')
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`
}

/** The library's backups, newest first; none where the folder is missing or unreadable. */
export function listBackups(file: string): BackupFile[] {
  const dir = backupFolder(file)
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch {
    return []
  }
  return names
    .map((n) => /^lab-(\d{4}-\d{2}-\d{2})\.sqlite$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ file: path.join(dir, m[0]), day: m[1], bytes: sizeOf(path.join(dir, m[0])) }))
    .sort((a, b) => (a.day < b.day ? 1 : -1))
}

/** The newest backup of `file`, or null. */
export function newestBackup(file: string): BackupFile | null {
  return listBackups(file)[0] ?? null
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size
  } catch {
    return 0
  }
}

export interface BackupOptions {
  nativeBinding?: string
  /** The day the copy is named for (default today). */
  day?: string
  /** Free bytes the disk must keep beyond twice the library's size (default 100 MB). */
  minFreeBytes?: number
}

/**
 * Starts today's backup of `file` in the background when there is none yet and none under way;
 * returns whether one was started. Never throws: a backup that cannot be made costs nothing but
 * the backup. GROKKING_LAB_BACKUPS=off turns automatic backups off; under a test runner they are off
 * unless it is `on`, as test suites delete their libraries right after a command, under a copy's feet.
 */
export function maybeBackUp(file: string, options: BackupOptions = {}): boolean {
  if ((process.env.GROKKING_LAB_BACKUPS ?? (process.env.VITEST ? 'off' : 'on')) === 'off') return false
  try {
    const job = claim(file, options)
    if (!job) return false
    const child = launch(job, 'ignore')
    if (!child) return release(job.dir)
    child.on('error', () => release(job.dir))
    child.unref()
    return true
  } catch {
    return false
  }
}

export type BackupResult = { made: string } | { skipped: string }

/** Makes today's backup of `file` now (replacing today's, if any) and waits for it. */
export async function backUpNow(file: string, options: BackupOptions = {}): Promise<BackupResult> {
  const job = claim(file, { ...options, minFreeBytes: options.minFreeBytes ?? 0 }, true)
  if (!job) return { skipped: `a backup of ${file} is already being made` }
  const child = launch(job, 'pipe')
  if (!child) {
    release(job.dir)
    return { skipped: 'cannot start the backup process (better-sqlite3 not found)' }
  }
  let out = ''
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()))
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null))
    child.on('exit', (c) => resolve(c))
  })
  if (code === 0) return { made: job.target }
  release(job.dir)
  return { skipped: out.trim().split('\n').pop() || `the backup process exited with code ${code}` }
}

interface Job {
  source: string
  dir: string
  target: string
  name: string
  minFree: number
  binding?: string
  module: string
}

/** Takes the backup lock for today's copy, or null where it exists, is being made, or cannot be. */
function claim(file: string, options: BackupOptions, replace = false): Job | null {
  const source = path.resolve(file)
  const dir = backupFolder(source)
  const name = `lab-${options.day ?? localDay()}.sqlite`
  const target = path.join(dir, name)
  if (!replace && fs.existsSync(target)) return null
  let module: string
  try {
    module = createRequire(import.meta.url).resolve('better-sqlite3')
  } catch {
    return null
  }
  try {
    fs.mkdirSync(dir)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return null
  }
  const lock = path.join(dir, LOCK)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' })
      const binding = options.nativeBinding ?? process.env.GROKKING_LAB_SQLITE_BINDING
      return { source, dir, target, name, minFree: options.minFreeBytes ?? envBytes() ?? MIN_FREE_BYTES, binding, module }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return null
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
      if (age < STALE_LOCK_MS) return null
      fs.rmSync(lock, { force: true })
    }
  }
  return null
}

function envBytes(): number | undefined {
  const v = Number(process.env.GROKKING_LAB_BACKUP_MIN_FREE)
  return process.env.GROKKING_LAB_BACKUP_MIN_FREE !== undefined && Number.isFinite(v) ? v : undefined
}

function release(dir: string): false {
  fs.rmSync(path.join(dir, LOCK), { force: true })
  return false
}

function launch(job: Job, stdio: 'ignore' | 'pipe') {
  // Electron's binary runs scripts as Node only when told to.
  const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' }
  const child = spawn(process.execPath, ['-e', CHILD_SOURCE, JSON.stringify(job)], { detached: stdio === 'ignore', stdio: ['ignore', stdio, stdio], env })
  if (child.pid === undefined) return null
  try {
    // A backup must not take cores from training.
    os.setPriority(child.pid, 15)
  } catch {
    // Not permitted here: it still runs.
  }
  return child
}

// Plain JavaScript, run by `node -e` so it needs neither tsx nor a file of its own in a bundled app.
const CHILD_SOURCE = String.raw`
const fs = require('fs')
const path = require('path')
const job = JSON.parse(process.argv[1])
const partial = path.join(job.dir, '.' + job.name + '.partial')
const finish = (code, message) => {
  for (const f of [partial, partial + '-journal', partial + '-wal', partial + '-shm']) try { fs.rmSync(f, { force: true }) } catch {}
  try { fs.rmSync(path.join(job.dir, '${LOCK}'), { force: true }) } catch {}
  if (message) process.stderr.write(String(message).replace(/\s+/g, ' ') + '\n')
  process.exit(code)
}
;(async () => {
  const Database = require(job.module)
  const size = fs.statSync(job.source).size + (fs.statSync(job.source + '-wal', { throwIfNoEntry: false })?.size ?? 0)
  const s = fs.statfsSync(job.dir)
  const free = s.bavail * s.bsize
  if (free < 2 * size + job.minFree) finish(3, 'backup skipped: ' + Math.round(free / 1e6) + ' MB free on the disk of ' + job.dir + ', too little for a ' + Math.round(size / 1e6) + ' MB copy')
  const opts = { readonly: true, fileMustExist: true, nativeBinding: job.binding || undefined }
  const db = new Database(job.source, opts)
  db.pragma('busy_timeout = 10000')
  try { await db.backup(partial) } finally { db.close() }
  // The copy takes the source's WAL mode; a single self-contained file is what a backup should be.
  const copy = new Database(partial, { nativeBinding: opts.nativeBinding })
  copy.pragma('journal_mode = DELETE')
  const check = copy.pragma('quick_check(1)', { simple: true })
  copy.close()
  // A damaged library must not push a sound backup out of the folder.
  if (check !== 'ok') finish(4, 'backup discarded: the library fails its integrity check (' + check + ')')
  fs.renameSync(partial, job.target)
  const kept = fs.readdirSync(job.dir).filter((n) => /^lab-\d{4}-\d{2}-\d{2}\.sqlite$/.test(n)).sort().reverse()
  for (const old of kept.slice(${BACKUPS_KEPT})) fs.rmSync(path.join(job.dir, old), { force: true })
  finish(0)
})().catch((e) => finish(1, 'backup failed: ' + (e && e.message)))
`
