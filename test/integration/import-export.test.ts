import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readSafetensorsFile, writeSafetensorsFile } from '../../src/lab/io/safetensors'
import { RunStore } from '../../src/lab/store/run-store'
import { runCli } from '../helpers/run-cli'
import { useTempDir } from '../helpers/temp-dir'

const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex')

describe('grokking-lab import / export-weights', () => {
  const tempDir = useTempDir()

  it('exports a trained run and imports it back bit for bit; a mis-shaped file exits 2 naming the tensor', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'lib.sqlite')
    const train = await runCli(['train', '--preset', 'modadd-mlp-small', '--steps', '20', '--db', db, '--json'])
    expect(train.code, train.stderr).toBe(0)
    const source = JSON.parse(train.stdout).runId as number

    const out = path.join(dir, 'trained.safetensors')
    const exported = await runCli(['export-weights', String(source), '--out', out, '--db', db])
    expect(exported.code, exported.stderr).toBe(0)
    expect(exported.stdout.trim()).toBe(out)
    expect(readSafetensorsFile(out).metadata).toMatchObject({ format: 'grokking-lab', model: 'embed-mlp', p: '31', step: '20' })

    const imported = await runCli(['import', out, '--model', 'embed-mlp', '--p', '31', '--backend', 'wasm', '--db', db, '--json'])
    expect(imported.code, imported.stderr).toBe(0)
    const result = JSON.parse(imported.stdout)
    expect(result).toMatchObject({ model: 'embed-mlp', p: 31, name: 'trained' })
    expect(result.runId).not.toBe(source)
    expect(result.accAll).toBeGreaterThanOrEqual(0)
    expect(result.accAll).toBeLessThanOrEqual(1)
    expect(result.lossAll).toBeGreaterThan(0)

    const store = RunStore.open(db, { readonly: true })
    try {
      const trained = store.readSnapshot(source, 20)
      const back = store.readSnapshot(result.runId, 0)
      expect(back.map((t) => [t.name, t.shape])).toEqual(trained.map((t) => [t.name, t.shape]))
      back.forEach((t, i) => expect(bits(t.data), t.name).toBe(bits(trained[i].data)))
      const run = store.getRun(result.runId)
      expect(run).toMatchObject({ status: 'imported', stepsDone: 0 })
      expect(run.config).toMatchObject({ model: 'embed-mlp', p: 31, d: 64, hidden: 256, frac: 0.4 })
      expect(store.readSeries(result.runId, ['all_acc'])[0].values).toEqual([result.accAll])
    } finally {
      store.close()
    }

    const text = await runCli(['import', out, '--model', 'embed-mlp', '--p', '31', '--name', 'again', '--db', db])
    expect(text.stdout).toMatch(/^run \d+ imported: accuracy on all 31² pairs \d\.\d{4}/)

    // Same weights with W_out one column short: refused before anything is written.
    const bad = path.join(dir, 'bad.safetensors')
    writeSafetensorsFile(bad, readSafetensorsFile(out).entries.map((e) => {
      const shape = e.name === 'W_out' ? [256, 30] : e.shape
      return { name: e.name, shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) }
    }))
    const notTensors = path.join(dir, 'notes.safetensors')
    fs.writeFileSync(notTensors, 'just some notes, not weights')
    for (const [file, message] of [[bad, /tensor 'W_out' .* has shape \[256, 30\]; expected \[hidden, p\] = \[256, 31\]/], [notTensors, /not a valid safetensors file/]] as const) {
      const r = await runCli(['import', file, '--model', 'embed-mlp', '--p', '31', '--db', db])
      expect(r.code).toBe(2)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(message)
    }
    const runs = JSON.parse((await runCli(['runs', '--db', db, '--json'])).stdout)
    expect(runs.map((r: { status: string }) => r.status)).toEqual(['completed', 'imported', 'imported'])

    const noStep = await runCli(['export-weights', String(source), '--step', '999', '--out', bad, '--db', db])
    expect(noStep.code).toBe(2)
    expect(noStep.stderr).toMatch(/no snapshot at step 999/)
  })
})
