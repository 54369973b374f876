import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { useCpuBackend } from '../../../test/helpers/tf-cpu'
import { useTempDir } from '../../../test/helpers/temp-dir'
import { parseRunConfig, type ImportableModel, type RunConfigInput } from '../../shared/run-config'
import { initialValues } from '../models/model'
import { modelSpecs } from '../models/model-registry'
import { RunStore } from '../store/run-store'
import type { TensorData } from '../training/trainer'
import { exportWeights } from './export-weights'
import { checkImport, importModel } from './import-model'
import { parseSafetensors, readSafetensorsFile, serializeFloat32, serializeRaw, type RawTensor } from './safetensors'

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1)

const MLP: RunConfigInput = { model: 'embed-mlp', p: 7, d: 8, hidden: 16, frac: 0.4, steps: 10, lr: 1e-3 }
const TRANSFORMER: RunConfigInput = { model: 'transformer-1l', p: 7, d: 8, heads: 2, hidden: 16, frac: 0.3, steps: 10, lr: 1e-3 }

/** A config's tensors, seeded, perturbed so no value is a round init number. */
function weights(input: RunConfigInput, seed = 3): TensorData[] {
  const c = parseRunConfig({ ...input, seed })
  const specs = modelSpecs(c)
  return initialValues(specs, seed, 1).map((data, i) => ({ name: specs[i].name, shape: specs[i].shape, data: data.map((v) => v + 0.01 * i) }))
}

const fileOf = (tensors: TensorData[]) => parseSafetensors(serializeFloat32(tensors), 'w.safetensors')
const reshape = (t: TensorData[], name: string, shape: number[]) =>
  t.map((x) => (x.name === name ? { name, shape, data: new Float32Array(size(shape)) } : x))
const without = (t: TensorData[], name: string) => t.filter((x) => x.name !== name)

describe('import and export of weights', () => {
  const tempDir = useTempDir()
  const openStore = () => RunStore.open(path.join(tempDir(), 'lib.sqlite'))
  beforeAll(async () => {
    await useCpuBackend()
  })

  for (const input of [MLP, TRANSFORMER]) {
    it(`${input.model}: export then import reproduces the weights bit for bit`, async () => {
      const store = openStore()
      const config = parseRunConfig(input)
      const source = store.createRun({ name: 'src', preset: null, config, appVersion: 'test' })
      const original = weights(input)
      store.writeSnapshot(source, 0, weights(input, 9))
      store.writeSnapshot(source, 5, original)
      const out = path.join(tempDir(), 'w.safetensors')
      expect(exportWeights(store, source, out)).toEqual({ path: out, runId: source, step: 5, tensors: original.length })
      const file = readSafetensorsFile(out)
      expect(file.metadata).toEqual({ format: 'grokking-lab', model: input.model, p: '7', op: 'add', run: String(source), step: '5' })

      const result = await importModel(store, file, { model: input.model as ImportableModel, p: 7, source: out })
      const run = store.getRun(result.runId)
      expect(run).toMatchObject({ status: 'imported', name: 'w', stepsDone: 0 })
      expect(run.config).toMatchObject({ model: input.model, p: 7, d: 8, hidden: 16, frac: input.frac, seed: 0 })
      if (input.model === 'transformer-1l') expect(run.config.heads).toBe(2)
      expect(store.snapshotSteps(result.runId)).toEqual([0])
      const back = store.readSnapshot(result.runId, 0)
      expect(back.map((t) => [t.name, t.shape])).toEqual(original.map((t) => [t.name, t.shape]))
      back.forEach((t, i) => expect(bits(t.data)).toEqual(bits(original[i].data)))

      const metrics = Object.fromEntries(store.readSeries(result.runId).map((s) => [s.name, s.values[0]]))
      for (const key of ['all_loss', 'all_acc', 'train_loss', 'train_acc', 'test_loss', 'test_acc', 'param_norm']) {
        expect(Number.isFinite(metrics[key]), key).toBe(true)
      }
      expect(metrics.all_acc).toBe(result.metrics.all_acc)
      expect(store.summary(result.runId)?.trainAcc).toBe(metrics.train_acc)
      // The snapshot of the older step exports too.
      expect(exportWeights(store, source, out, 0).step).toBe(0)
      expect(() => exportWeights(store, source, out, 3)).toThrow(/no snapshot at step 3/)
      store.close()
    })
  }

  it('evaluates on all p² pairs: a hand-built exact adder scores 1, and is wrong for mul', async () => {
    const p = 5
    const E = new Float32Array(p * p)
    const W_in = new Float32Array(2 * p * p * p)
    const W_out = new Float32Array(p * p * p)
    for (let a = 0; a < p; a++) {
      E[a * p + a] = 1
      for (let b = 0; b < p; b++) {
        // Hidden unit a·p + b fires (1 + 1 − 1) only when both operands match; it votes for (a + b) mod p.
        W_in[a * p * p + a * p + b] = 1
        W_in[(p + b) * p * p + a * p + b] = 1
        W_out[(a * p + b) * p + ((a + b) % p)] = 1
      }
    }
    const tensors = [
      { name: 'E', shape: [p, p], data: E },
      { name: 'W_in', shape: [2 * p, p * p], data: W_in },
      { name: 'b_in', shape: [p * p], data: new Float32Array(p * p).fill(-1) },
      { name: 'W_out', shape: [p * p, p], data: W_out },
      { name: 'b_out', shape: [p], data: new Float32Array(p) },
    ]
    const store = openStore()
    const add = await importModel(store, fileOf(tensors), { model: 'embed-mlp', p })
    expect(add.metrics.all_acc).toBe(1)
    expect(add.metrics.train_acc).toBe(1)
    const mul = await importModel(store, fileOf(tensors), { model: 'embed-mlp', p, op: 'mul', name: 'as mul' })
    let agree = 0
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) agree += (a + b) % p === (a * b) % p ? 1 : 0
    expect(mul.metrics.all_acc).toBeCloseTo(agree / (p * p), 6)
    expect(store.getRun(mul.runId).name).toBe('as mul')
    store.close()
  })

  describe('rejects files that do not fit the model, naming the tensor and the expected shape', () => {
    const mlp = weights(MLP)
    const tf1 = weights(TRANSFORMER)
    const cases: [string, 'embed-mlp' | 'transformer-1l', TensorData[], RegExp][] = [
      ['mis-shaped W_out', 'embed-mlp', reshape(mlp, 'W_out', [16, 8]), /tensor 'W_out' in w\.safetensors has shape \[16, 8\]; expected \[hidden, p\] = \[16, 7\] \(embed-mlp, p = 7, d = 8, hidden = 16\)/],
      ['mis-shaped W_in', 'embed-mlp', reshape(mlp, 'W_in', [17, 16]), /tensor 'W_in' .* shape \[17, 16\]; expected \[2d, hidden\] = \[16, 16\]/],
      ['E for another p', 'embed-mlp', reshape(mlp, 'E', [11, 8]), /tensor 'E' .* shape \[11, 8\]; expected \[p, d\] = \[7, 8\]/],
      ['missing b_out', 'embed-mlp', without(mlp, 'b_out'), /w\.safetensors has no tensor 'b_out'; expected \[p\] = \[7\]/],
      ['missing E', 'embed-mlp', without(mlp, 'E'), /has no tensor 'E'; expected \[p, d\] = \[7, \?\]/],
      ['a transformer file as embed-mlp', 'embed-mlp', tf1, /tensors the lab's embed-mlp does not have: embed\.W_E, .*is --model right\?/],
      ['extra tensors', 'embed-mlp', [...mlp, { name: 'ln.w', shape: [1], data: new Float32Array(1) }], /does not have: ln\.w/],
      ['W_E for another p', 'transformer-1l', reshape(tf1, 'embed.W_E', [12, 8]), /tensor 'embed\.W_E' .* expected \[d_vocab, d_model\] = \[8, 8\]/],
      ['longer context', 'transformer-1l', reshape(tf1, 'pos_embed.W_pos', [4, 8]), /'pos_embed\.W_pos' .* expected \[n_ctx, d_model\] = \[3, 8\]/],
      ['d_head ≠ d_model / n_heads', 'transformer-1l', reshape(tf1, 'blocks.0.attn.W_K', [2, 8, 3]), /'blocks\.0\.attn\.W_K' .* \[2, 8, 3\]; expected \[n_heads, d_model, d_head\] = \[2, 8, 4\]/],
      ['n_heads not dividing d_model', 'transformer-1l', reshape(tf1, 'blocks.0.attn.W_Q', [3, 8, 4]), /d_model 8 .* not divisible by n_heads 3/],
      ['missing unembed', 'transformer-1l', without(tf1, 'unembed.W_U'), /no tensor 'unembed\.W_U'; expected \[d_model, d_vocab\] = \[8, 8\]/],
      ['mis-shaped bias', 'transformer-1l', [...tf1, { name: 'blocks.0.attn.b_O', shape: [4], data: new Float32Array(4) }], /'blocks\.0\.attn\.b_O' .* expected \[d_model\] = \[8\]/],
      ['non-zero bias', 'transformer-1l', [...tf1, { name: 'unembed.b_U', shape: [8], data: new Float32Array(8).fill(0.5) }], /non-zero attention\/unembed biases are not supported/],
    ]
    for (const [label, model, tensors, message] of cases) {
      it(label, async () => {
        const store = openStore()
        await expect(importModel(store, fileOf(tensors), { model, p: 7, source: 'w.safetensors' })).rejects.toThrow(message)
        expect(store.listRuns()).toEqual([])
        store.close()
      })
    }
    it('a bad p or frac before any shape', () => {
      expect(() => checkImport(fileOf(mlp), { model: 'embed-mlp', p: 1 })).toThrow(/p must be an integer ≥ 2/)
      expect(() => checkImport(fileOf(mlp), { model: 'embed-mlp', p: 7, frac: 1 })).toThrow(/frac/)
    })
  })

  it('accepts zero TransformerLens biases and skips its mask buffers', () => {
    const raw: RawTensor[] = weights(TRANSFORMER).map((t) => ({ name: t.name, dtype: 'F32', shape: t.shape, bytes: new Uint8Array(t.data.buffer) }))
    const zeros = (name: string, shape: number[]) => ({ name, dtype: 'F32', shape, bytes: new Uint8Array(4 * size(shape)) })
    raw.push(zeros('blocks.0.attn.b_Q', [2, 4]), zeros('blocks.0.attn.b_K', [2, 4]), zeros('blocks.0.attn.b_V', [2, 4]))
    raw.push(zeros('blocks.0.attn.b_O', [8]), zeros('unembed.b_U', [8]), zeros('blocks.0.attn.IGNORE', []))
    raw.push({ name: 'blocks.0.attn.mask', dtype: 'BOOL', shape: [3, 3], bytes: new Uint8Array([1, 0, 0, 1, 1, 0, 1, 1, 1]) })
    const { config, tensors } = checkImport(parseSafetensors(serializeRaw(raw)), { model: 'transformer-1l', p: 7 })
    expect(config).toMatchObject({ d: 8, heads: 2, hidden: 16, frac: 0.3 })
    expect(tensors.map((t) => t.name)).toEqual(modelSpecs(config).map((s) => s.name))
  })

  it('reads F16 and BF16 weights, converting them to float32', async () => {
    const store = openStore()
    const base = weights(MLP)
    // Quarters in [−4, 4) are exact in both half formats.
    const values = base.map((t) => t.data.map((_, i) => ((i % 32) - 16) / 4))
    const half = (v: number) => {
      if (v === 0) return 0
      const e = Math.floor(Math.log2(Math.abs(v)))
      return (v < 0 ? 0x8000 : 0) | ((e + 15) << 10) | Math.round((Math.abs(v) / 2 ** e - 1) * 1024)
    }
    const bf16 = (v: number) => new Uint32Array(new Float32Array([v]).buffer)[0] >>> 16
    for (const [dtype, encode] of [['F16', half], ['BF16', bf16]] as const) {
      const raw = base.map((t, k) => ({ name: t.name, dtype, shape: t.shape, bytes: new Uint8Array(new Uint16Array(Array.from(values[k], encode)).buffer) }))
      const result = await importModel(store, parseSafetensors(serializeRaw(raw)), { model: 'embed-mlp', p: 7 })
      store.readSnapshot(result.runId, 0).forEach((t, k) => expect(Array.from(t.data), `${dtype} ${t.name}`).toEqual(Array.from(values[k])))
    }
    store.close()
  })
})
