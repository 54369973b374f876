import { describe, expect, it } from 'vitest'
import { configFields } from './config-fields'
import { CONFIG_KEYS, configIssues, issueText, parseRunConfig } from './run-config'

describe('config fields', () => {
  const fields = configFields()
  const field = (key: string) => fields.find((f) => f.key === key)!

  it('has one field per config key, each with help and a group', () => {
    expect(fields.map((f) => f.key)).toEqual(CONFIG_KEYS)
    for (const f of fields) {
      expect(f.help.length, f.key).toBeGreaterThan(5)
      expect(['task', 'model', 'optimizer', 'schedule', 'recording']).toContain(f.group)
    }
  })

  it('reads types, bounds, defaults and nullability off the schema', () => {
    expect(field('frac')).toMatchObject({ type: 'number', min: 0, max: 1, exclusiveMin: true, exclusiveMax: true, default: 0.4 })
    expect(field('p')).toMatchObject({ type: 'integer', min: 2, max: 1000, default: 97 })
    expect(field('p').exclusiveMin).toBeUndefined()
    expect(field('beta1')).toMatchObject({ min: 0, max: 1, exclusiveMax: true })
    expect(field('beta1').exclusiveMin).toBeUndefined()
    expect(field('steps')).toMatchObject({ type: 'integer', min: 0, exclusiveMin: true, nullable: false })
    expect('default' in field('steps')).toBe(false)
    expect(field('batch_size')).toMatchObject({ type: 'integer', nullable: true, default: null, models: ['embed-mlp', 'transformer-1l'] })
    expect(field('model')).toMatchObject({ type: 'enum', default: 'embed-mlp' })
    expect(field('model').options).toContain('transformer-1l')
    expect(field('wd_per_layer')).toMatchObject({ type: 'record', default: {} })
    expect(field('p').tasks).toEqual(['modular'])
  })

  it('every default passes the schema', () => {
    const config = Object.fromEntries(fields.filter((f) => 'default' in f).map((f) => [f.key, f.default]))
    expect(() => parseRunConfig({ ...config, steps: 10, lr: 0.1 })).not.toThrow()
  })
})

describe('config issues', () => {
  it('names each problem by key in the words parseRunConfig throws', () => {
    const input = { steps: 10, frac: 2, bogus: 1 }
    const issues = configIssues(input)
    expect(issues.map((i) => i.key).sort()).toEqual(['bogus', 'frac', 'lr'])
    expect(issues.find((i) => i.key === 'lr')!.message).toBe("missing config key 'lr'")
    // Beside its field the message stands alone; the CLI's line names the key only where the message does not.
    expect(issues.find((i) => i.key === 'frac')!.message).toBe('frac (train fraction) must be strictly between 0 and 1')
    expect(() => parseRunConfig(input)).toThrow(`invalid run config: ${issues.map(issueText).join('; ')}`)
    expect(issueText({ key: 'beta1', message: 'Too big: expected number to be <1' })).toBe('beta1: Too big: expected number to be <1')
    expect(configIssues({ steps: 10, lr: 0.1 })).toEqual([])
  })
})
