import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDir } from '../../../test/helpers/temp-dir'
import { backupFolder } from './library-backup'
import { damagedLibraryAdvice, damagedLibraryLine, isDamaged } from './library-damage'

describe('the damaged-library line', () => {
  const tempDir = useTempDir()
  const corrupt = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' })

  it('names the library of --db and its newest backup, with the restore command', () => {
    const file = path.join(tempDir(), 'lib.sqlite')
    fs.mkdirSync(backupFolder(file))
    for (const day of ['2026-01-02', '2026-01-10', '2026-01-03']) fs.writeFileSync(path.join(backupFolder(file), `lab-${day}.sqlite`), '')
    const newest = path.join(backupFolder(file), 'lab-2026-01-10.sqlite')
    for (const argv of [['node', 'bin', 'runs', '--db', file], ['node', 'bin', 'runs', `--db=${file}`]]) {
      expect(damagedLibraryLine(corrupt, argv)).toBe(
        `the run library ${file} is damaged (database disk image is malformed); its newest backup is ${newest} (2026-01-10): \`grokking-lab restore --from ${newest} --db ${file}\` puts it back and keeps the damaged file aside; or see what is wrong with \`grokking-lab check --db ${file}\`, and save every intact run with \`grokking-lab recover --db ${file} --out NEW.sqlite\``,
      )
    }
  })

  it('without backups, says how to check and recover', () => {
    const file = path.join(tempDir(), 'lib.sqlite')
    expect(damagedLibraryLine(corrupt, ['node', 'bin', 'show', '3', '--db', file])).toMatch(/is damaged \(database disk image is malformed\); see what is wrong with `grokking-lab check --db .*`, and save every intact run with `grokking-lab recover --db .* --out NEW\.sqlite`$/)
  })

  it('leaves out the pointer to check when check itself gives the advice', () => {
    const file = path.join(tempDir(), 'lab.sqlite')
    expect(damagedLibraryAdvice(file, { checked: true })).toBe(`save every intact run with \`grokking-lab recover --db ${file} --out NEW.sqlite\``)
  })

  it('knows SQLite damage from other errors', () => {
    expect(isDamaged(corrupt)).toBe(true)
    expect(isDamaged(Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' }))).toBe(true)
    expect(isDamaged(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe(false)
  })
})
