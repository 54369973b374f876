// Every config key given a value of the wrong type, NaN and Infinity (in code, in --set and in a
// --config file), and sizes that cannot fit in memory: each refused with one clear line, before
// anything is allocated or written.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDir } from '../helpers/temp-dir'
import { runMain } from './in-process-cli'
import { configFields } from '../../src/shared/config-fields'
import { CONFIG_KEYS, configIssues, parseRunConfig } from '../../src/shared/run-config'
import { isLabError } from '../../src/shared/lab-error'
import { count } from './reliability-counts'

const NOT_NUMBERS: unknown[] = ['abc', '', true, [1], { a: 1 }, NaN, Infinity, -Infinity]

/** Values of the wrong type for a field of this kind. */
function wrongValues(field: ReturnType<typeof configFields>[number]): unknown[] {
  switch (field.type) {
    case 'number':
      return field.nullable ? NOT_NUMBERS : [...NOT_NUMBERS, null]
    case 'integer':
      return [...(field.nullable ? NOT_NUMBERS : [...NOT_NUMBERS, null]), 1.5]
    case 'enum':
      return ['no-such-option', 5, true, null, [field.options![0]], { a: 1 }]
    case 'record':
      return ['abc', 5, true, null, [1], { E: 'abc' }, { E: NaN }, { E: Infinity }]
    default:
      return [5]
  }
}

describe('malformed configs', () => {
  const tempDir = useTempDir()

  it('refuses a wrong-typed value of every key with one line naming the key and the value', () => {
    const fields = configFields()
    expect(fields.map((f) => f.key)).toEqual(CONFIG_KEYS)
    let refused = 0
    for (const field of fields) {
      for (const bad of wrongValues(field)) {
        const input = { steps: 100, lr: 1e-3, [field.key]: bad }
        const label = `${field.key}=${typeof bad === 'number' ? String(bad) : JSON.stringify(bad)}`
        const issues = configIssues(input)
        expect(issues, label).toHaveLength(1)
        expect(issues[0].key.split('.')[0], label).toBe(field.key)
        expect(issues[0].message, label).not.toMatch(/missing|Invalid input|Invalid option|\n/)
        expect(issues[0].message.startsWith(issues[0].key), label).toBe(true)
        if (typeof bad === 'number' && !Number.isFinite(bad)) expect(issues[0].message, label).toMatch(/not (NaN \(not a number\)|-?Infinity \(not a finite number\))/)
        let thrown: unknown
        try {
          parseRunConfig(input)
        } catch (e) {
          thrown = e
        }
        expect(isLabError(thrown), label).toBe(true)
        expect((thrown as Error).message, label).toBe(`invalid run config: ${issues[0].message}`)
        refused++
      }
    }
    expect(refused).toBeGreaterThan(6 * CONFIG_KEYS.length)
    count('malformed configs refused', refused)
  })

  it('train refuses NaN, Infinity and a size that cannot fit, in one line, before writing anything', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'lab.sqlite')
    const file = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text)
      return path.join(dir, name)
    }
    const cases: [string[], RegExp][] = [
      [['--preset', 'modadd-mlp-small', '--set', 'lr=Infinity'], /^grokking-lab: lr=Infinity: 'Infinity' is not a finite number; give a number such as 0\.001 or 1e-3$/],
      [['--preset', 'modadd-mlp-small', '--set', 'hidden=abc'], /^grokking-lab: invalid run config: hidden must be a number, not the text "abc"$/],
      // JSON has no NaN: the file is refused as JSON, naming it.
      [['--config', file('nan.json', '{"steps": 100, "lr": NaN}')], /^grokking-lab: config file .*nan\.json is not valid JSON: .*NaN/],
      // 1e999 is valid JSON and reads as Infinity.
      [['--config', file('inf.json', '{"steps": 100, "lr": 1e999}')], /^grokking-lab: invalid run config: lr must be a number, not Infinity \(not a finite number\)$/],
      [['--config', file('wide.json', '{"steps": 100, "lr": 0.001, "p": 97, "d": 1000000, "hidden": 1000000}')], /^grokking-lab: invalid run config: this config needs about 56\.1 TB \(56\.0 TB for 2\.00e\+12 parameters .*\), more than this machine's [\d.]+ [GT]B of free memory; make p, d, hidden smaller$/],
    ]
    for (const [args, line] of cases) {
      const r = await runMain(['train', ...args, '--db', db])
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr.trim().split('\n'), args.join(' ')).toEqual([expect.stringMatching(line)])
    }
    expect(fs.existsSync(db)).toBe(false)
    count('malformed configs refused', cases.length)
  }, 60_000)

  it('plans a Slurm sweep too big for this machine, and refuses it only where it would train here', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'lab.sqlite')
    const wide = path.join(dir, 'wide.json')
    fs.writeFileSync(wide, '{"steps": 100, "lr": 0.001, "p": 97, "d": 1000000, "hidden": 1000000}')
    const slurmDir = path.join(dir, 'slurm')
    // A login node's memory says nothing of the compute nodes' that train it.
    const planned = await runMain(['sweep', '--config', wide, '--grid', 'wd=0.1,1', '--slurm', slurmDir, '--no-submit', '--json'])
    expect(planned.stderr).toBe('')
    expect(planned.code).toBe(0)
    expect(JSON.parse(planned.stdout)).toMatchObject({ runs: 2, tasks: expect.any(Number) })
    expect(fs.existsSync(path.join(slurmDir, 'sweep.sbatch'))).toBe(true)
    const local = await runMain(['sweep', '--config', wide, '--grid', 'wd=0.1,1', '--db', db])
    expect(local.code).toBe(2)
    expect(local.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^grokking-lab: invalid run config: this config needs about 56\.1 TB .*more than this machine's [\d.]+ [GT]B of free memory; make p, d, hidden smaller$/)])
    expect(fs.existsSync(db)).toBe(false)
  }, 60_000)
})
