import path from 'node:path'
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/run-cli'
import { useTempDir } from '../helpers/temp-dir'

/** Trains a small run through the CLI with `threads` wasm threads and returns its weights file's bytes. */
async function trainWith(dir: string, threads: number, model: string): Promise<{ weights: Buffer; trainLoss: number; backends: string }> {
  const db = path.join(dir, `${model}-${threads}.sqlite`)
  const env = { GROKKING_LAB_WASM_THREADS: String(threads) }
  const args = ['train', '--preset', 'modadd-mlp-small', '--set', `model=${model}`, '--set', 'p=23', '--set', 'frac=0.5', '--set', 'lr=1e-3', '--set', 'wd=1', '--set', 'd=32']
  const r = await runCli([...args, '--set', 'hidden=64', '--set', 'heads=2', '--set', 'fast_path=off', '--steps', '60', '--backend', 'wasm', '--db', db, '--json'], env)
  expect(r.code, r.stderr).toBe(0)
  const run = JSON.parse(r.stdout)
  const out = path.join(dir, `${model}-${threads}.safetensors`)
  expect((await runCli(['export-weights', String(run.runId), '--step', '60', '--out', out, '--db', db], env)).code).toBe(0)
  return { weights: fs.readFileSync(out), trainLoss: run.trainLoss, backends: (await runCli(['backends'], env)).stdout }
}

describe('multi-threaded wasm (the Node shims for tfjs-backend-wasm threads)', () => {
  const tempDir = useTempDir()

  for (const model of ['transformer-1l', 'embed-mlp']) {
    it(`${model}: 2 threads compute the same run as 1 thread`, async () => {
      const one = await trainWith(tempDir(), 1, model)
      const two = await trainWith(tempDir(), 2, model)
      expect(one.backends).toMatch(/wasm\s+available\s+WebAssembly \(SIMD\), single thread/)
      expect(two.backends).toMatch(/wasm\s+available\s+WebAssembly \(SIMD\), 2 threads/)
      expect(two.trainLoss).toBeCloseTo(one.trainLoss, 5)
      // XNNPACK splits products by output tile, so each sum runs in the same order on any thread count.
      expect(two.weights.equals(one.weights)).toBe(true)
    }, 120_000)
  }
})
