// Automatic backups: one a day, the last five kept, a failed one costing nothing; a damaged library
// names its newest backup, and `restore` puts it back while keeping the damaged file aside.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { useTempDir } from '../helpers/temp-dir'
import { runCli } from '../helpers/run-cli'
import { runMain } from './in-process-cli'
import { RunStore } from '../../src/lab/store/run-store'
import { backUpNow, backupFolder, listBackups, maybeBackUp } from '../../src/lab/store/library-backup'
import { checkLibrary } from '../../src/lab/store/library-check'
import { count } from './reliability-counts'
import { damagePages, smallLibrary } from './library-fixtures'

// The backup child runs at low priority: on a busy machine it can wait a while for a core.
async function until(test: () => boolean, ms = 50_000): Promise<void> {
  const start = Date.now()
  while (!test()) {
    if (Date.now() - start > ms) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 50))
  }
}

const runCount = (file: string) => {
  const db = new Database(file, { readonly: true })
  try {
    return (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n
  } finally {
    db.close()
  }
}

describe('automatic backups', () => {
  const tempDir = useTempDir()
  process.env.GROKKING_LAB_BACKUPS = 'on'
  afterAll(() => {
    delete process.env.GROKKING_LAB_BACKUPS
  })

  it('copies the library once a day in the background, a sound copy, keeping the newest five', { timeout: 90_000 }, async () => {
    const file = smallLibrary(tempDir())
    const dir = backupFolder(file)
    fs.mkdirSync(dir)
    // Six older days, oldest first: after today's copy only the newest four of them stay.
    const older = ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05', '2026-01-06']
    for (const day of older) fs.writeFileSync(path.join(dir, `lab-${day}.sqlite`), 'old')
    expect(maybeBackUp(file, { day: '2026-02-01' })).toBe(true)
    await until(() => !fs.existsSync(path.join(dir, '.backup.lock')))
    expect(listBackups(file).map((b) => b.day)).toEqual(['2026-02-01', '2026-01-06', '2026-01-05', '2026-01-04', '2026-01-03'])
    const copy = path.join(dir, 'lab-2026-02-01.sqlite')
    expect(runCount(copy)).toBe(3)
    expect(checkLibrary(copy).ok).toBe(true)
    count('integrity checks ok', 1)
    // Nothing but the kept copies is left in the folder (no partial file, WAL or lock).
    expect(fs.readdirSync(dir).sort()).toEqual(listBackups(file).map((b) => path.basename(b.file)).sort())
    // The same day again: nothing to do.
    expect(maybeBackUp(file, { day: '2026-02-01' })).toBe(false)
    count('backups made', 1)
  })

  it('starts one backup when several processes open the library at once', { timeout: 90_000 }, async () => {
    const file = smallLibrary(tempDir())
    const started = [1, 2, 3, 4].map(() => maybeBackUp(file, { day: '2026-03-01' }))
    expect(started.filter(Boolean)).toHaveLength(1)
    await until(() => listBackups(file).length === 1 && !fs.existsSync(path.join(backupFolder(file), '.backup.lock')))
  })

  it('a backup that cannot be made (the folder is a file) costs the command nothing', () => {
    const file = smallLibrary(tempDir())
    fs.writeFileSync(backupFolder(file), 'in the way')
    expect(maybeBackUp(file)).toBe(false)
    const store = RunStore.open(file)
    expect(store.listRuns()).toHaveLength(3)
    store.close()
  })

  it('does not let a damaged library push a sound backup out', async () => {
    const file = smallLibrary(tempDir())
    expect(await backUpNow(file, { day: '2026-04-01' })).toHaveProperty('made')
    damagePages(file, 'metrics')
    const result = await backUpNow(file, { day: '2026-04-02' })
    expect(result).toEqual({ skipped: expect.stringMatching(/^backup discarded: the library fails its integrity check/) })
    expect(listBackups(file).map((b) => b.day)).toEqual(['2026-04-01'])
    expect(fs.readdirSync(backupFolder(file))).toEqual(['lab-2026-04-01.sqlite'])
  })

  const tiny = path.join(fs.mkdtempSync('/tmp/grokking-lab-backup-disk-'), 'lib.sqlite')
  const mounted = (() => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
    try {
      fs.mkdirSync(backupFolder(tiny))
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', backupFolder(tiny)], { stdio: 'ignore' })
      return true
    } catch {
      return false
    }
  })()
  if (!mounted) console.warn('full-disk backup test skipped: cannot mount a tmpfs (needs root on Linux)')
  afterAll(() => {
    if (mounted) execFileSync('umount', [backupFolder(tiny)], { stdio: 'ignore' })
    fs.rmSync(path.dirname(tiny), { recursive: true, force: true })
  })

  it.skipIf(!mounted)('a backup that fills its disk is dropped, and the older backups and the library stay whole', async () => {
    fs.copyFileSync(smallLibrary(tempDir()), tiny)
    fs.writeFileSync(path.join(backupFolder(tiny), 'lab-2026-05-01.sqlite'), 'an older backup')
    // The space check would skip this copy; demand no free space to make SQLite meet the full disk.
    expect(await backUpNow(tiny, { day: '2026-05-02', minFreeBytes: -1e12 })).toEqual({ skipped: expect.stringMatching(/^backup failed: .*(full|space)/i) })
    expect(fs.readdirSync(backupFolder(tiny))).toEqual(['lab-2026-05-01.sqlite'])
    expect(fs.readFileSync(path.join(backupFolder(tiny), 'lab-2026-05-01.sqlite'), 'utf8')).toBe('an older backup')
    expect(checkLibrary(tiny).ok).toBe(true)
    count('integrity checks ok', 1)
    // With the space check, the same copy is skipped before it starts.
    expect(await backUpNow(tiny, { day: '2026-05-02' })).toEqual({ skipped: expect.stringMatching(/^backup skipped: \d+ MB free/) })
  })
})

describe('a damaged library and its backup', () => {
  const tempDir = useTempDir()

  it('names the newest backup, and restore puts it back keeping the damaged file aside', async () => {
    const dir = tempDir()
    const file = smallLibrary(dir)
    const env = { GROKKING_LAB_BACKUPS: 'on' }
    // A writing command on a library with runs starts the day's backup without waiting for it.
    expect((await runCli(['runs', '--db', file], env)).code).toBe(0)
    await until(() => listBackups(file).length === 1 && !fs.existsSync(path.join(backupFolder(file), '.backup.lock')))
    const [backup] = listBackups(file)

    damagePages(file, 'runs', 1)
    const damaged = fs.readFileSync(file)
    const runs = await runMain(['runs', '--db', file])
    expect(runs.code).toBe(2)
    const lines = runs.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(`grokking-lab: the run library ${file} is damaged (`)
    expect(lines[0]).toContain(`its newest backup is ${backup.file} (${backup.day}): \`grokking-lab restore --from ${backup.file} --db ${file}\``)
    const check = await runMain(['check', '--db', file])
    expect(check.code).toBe(1)
    expect(check.stdout).toContain(`\nthe way out: its newest backup is ${backup.file} (${backup.day}): \`grokking-lab restore --from ${backup.file} --db ${file}\` puts it back and keeps the damaged file aside; ` +
      `or save every intact run with \`grokking-lab recover --db ${file} --out NEW.sqlite\`\n`)

    const listed = await runMain(['backups', '--db', file, '--json'])
    expect(JSON.parse(listed.stdout)).toMatchObject({ library: file, backups: [{ file: backup.file, day: backup.day }] })

    const restore = await runMain(['restore', '--from', path.basename(backup.file), '--db', file, '--json'])
    expect(restore.code).toBe(0)
    const report = JSON.parse(restore.stdout)
    expect(report).toMatchObject({ library: file, from: backup.file, runs: 3, keptAside: expect.stringMatching(/lib\.sqlite\.damaged-\d{8}-\d{6}$/) })
    // The damaged file is kept byte for byte; the library is the backup again.
    expect(fs.readFileSync(report.keptAside).equals(damaged)).toBe(true)
    expect(checkLibrary(file).ok).toBe(true)
    count('integrity checks ok', 1)
    expect(runCount(file)).toBe(3)
    count('damaged libraries restored', 1)
  }, 90_000)

  it('restore refuses a damaged backup and leaves the library as it was', async () => {
    const dir = tempDir()
    const file = smallLibrary(dir)
    const bad = path.join(dir, 'bad.sqlite')
    fs.copyFileSync(file, bad)
    damagePages(bad, 'metrics')
    const before = fs.readFileSync(file)
    const restore = await runMain(['restore', '--from', bad, '--db', file])
    expect(restore.code).toBe(2)
    expect(restore.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^grokking-lab: the backup .*bad\.sqlite is damaged too/)])
    expect(fs.readFileSync(file).equals(before)).toBe(true)
    // Nothing set aside, nothing half-copied.
    expect(fs.readdirSync(dir).filter((n) => n.includes('lib.sqlite'))).toEqual(['lib.sqlite'])
  })
})
