import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { openDatabase } from './open-database'
import { RunStore } from './run-store'
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './schema'

// Another process creating the same new library: it takes the write lock, builds the schema,
// says so, and commits a moment later, while this thread is already opening the file.
const OTHER_PROCESS = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.sqlite)
const db = new Database(workerData.file)
db.pragma('journal_mode = WAL')
db.exec('BEGIN IMMEDIATE')
for (const sql of workerData.migrations) db.exec(sql)
db.pragma('application_id = ' + workerData.appId)
db.pragma('user_version = ' + workerData.migrations.length)
parentPort.postMessage('locked')
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300)
db.exec('COMMIT')
db.close()
parentPort.postMessage('committed')
`

describe('opening a library', () => {
  it.skipIf(process.platform !== 'linux')('a --db folder that cannot be made (under /proc) is one error line, not a hang', () => {
    // Node's recursive mkdir never returns here; the library makes each level itself.
    expect(() => RunStore.open('/proc/grokking-lab-x/lab.sqlite')).toThrow(
      'cannot create a run library at /proc/grokking-lab-x/lab.sqlite (ENOENT); pass a writable --db path or set GROKKING_LAB_DB',
    )
  })

  it('two processes creating one new library at once: the second waits and finds the schema made', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gl-open-'))
    const file = path.join(dir, 'lab.sqlite')
    const other = new Worker(OTHER_PROCESS, {
      eval: true,
      workerData: { file, sqlite: require.resolve('better-sqlite3'), migrations: MIGRATIONS, appId: APPLICATION_ID },
    })
    const messages: string[] = []
    const done = new Promise<void>((resolve, reject) => {
      other.on('message', (m: string) => messages.push(m))
      other.on('error', reject)
      other.on('exit', () => resolve())
    })
    await new Promise<void>((resolve) => other.once('message', () => resolve()))
    // The other side still holds its transaction: this open reads version 0 and must not
    // re-create the tables once the other commits.
    const db = openDatabase(file)
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    db.prepare('SELECT count(*) FROM runs').get()
    db.close()
    await done
    expect(messages).toEqual(['locked', 'committed'])
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
