import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/run-cli'
import { useTempDir } from '../helpers/temp-dir'

// The lab's central claim on a configuration small enough for CI: with weight decay the network
// memorizes early and generalizes much later; without it, it only memorizes.
describe('grokking on modular addition (modadd-mlp-small, p 31)', () => {
  const tempDir = useTempDir()

  it('with weight decay: memorizes early, generalizes much later', async () => {
    const db = path.join(tempDir(), 'lib.sqlite')
    const r = await runCli(['train', '--preset', 'modadd-mlp-small', '--db', db, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result.trainAcc).toBeGreaterThanOrEqual(0.99)
    expect(result.testAcc).toBeGreaterThanOrEqual(0.99)
    expect(result.T_mem).not.toBeNull()
    expect(result.T_gen).not.toBeNull()
    expect(result.T_gen).toBeGreaterThanOrEqual(5 * result.T_mem)
  }, 180_000)

  it('without weight decay: memorizes, does not generalize in the same budget', async () => {
    const db = path.join(tempDir(), 'lib.sqlite')
    const r = await runCli(['train', '--preset', 'modadd-mlp-small', '--set', 'wd=0', '--db', db, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result.trainAcc).toBeGreaterThanOrEqual(0.99)
    expect(result.testAcc).toBeLessThan(0.5)
    expect(result.T_gen).toBeNull()
  }, 180_000)
})
