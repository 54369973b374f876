import { describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../shared/run-config'
import { batchShapeKey, engineFor, fastPathBlocker } from './engine-choice'
import { mergeConstants } from './graph-parts'
import { float32, int64 } from './onnx-graph'

describe('which engine trains a run', () => {
  it('routes each model to its engine on each backend', () => {
    expect(engineFor('wasm', 'embed-mlp')).toBe('onnxruntime')
    expect(engineFor('cpu', 'transformer-1l')).toBe('onnxruntime')
    expect(engineFor('webgpu', 'embed-mlp')).toBe('webgpu')
    expect(engineFor('webgpu', 'transformer-1l')).toBe('webgpu')
    expect(engineFor('webgpu', 'deep-linear')).toBeUndefined()
    // Native TensorFlow: its CPU build leaves training to onnxruntime, its CUDA build keeps it.
    expect(engineFor('tensorflow', 'embed-mlp', false)).toBe('onnxruntime')
    expect(engineFor('tensorflow', 'transformer-1l', true)).toBeUndefined()
    expect(engineFor('wasm', 'deep-linear')).toBeUndefined()
  })

  it('says why the fast path does not apply', () => {
    const c = parseRunConfig({ model: 'transformer-1l', p: 11, lr: 1e-3, steps: 10, d: 8, heads: 2 })
    expect(fastPathBlocker(c, 'wasm')).toBeUndefined()
    expect(fastPathBlocker({ ...c, fast_path: 'off' }, 'wasm')).toMatch(/off in the config/)
    // Here tfjs-node is not installed, so tensorflow means its CPU build.
    expect(fastPathBlocker(c, 'tensorflow')).toBeUndefined()
    expect(fastPathBlocker({ ...c, model: 'deep-linear' }, 'wasm')).toMatch(/no fast path for deep-linear/)
  })

  it('batches only runs that differ in per-member keys', () => {
    const c = parseRunConfig({ model: 'transformer-1l', p: 11, lr: 1e-3, steps: 10, d: 8, heads: 2 })
    expect(batchShapeKey({ ...c, seed: 3, wd: 2, lr: 3e-3 })).toBe(batchShapeKey(c))
    expect(batchShapeKey({ ...c, heads: 4 })).not.toBe(batchShapeKey(c))
    expect(batchShapeKey({ ...c, batch_size: 16 })).not.toBe(batchShapeKey(c))
  })
})

describe('graph constants', () => {
  it('merges a name given the same value twice, and refuses two values for one name', () => {
    expect(mergeConstants([int64('axis1', [1])], [int64('axis1', [1]), float32('one', [], [1])]).map((c) => c.name)).toEqual(['axis1', 'one'])
    expect(() => mergeConstants([int64('p', [11])], [int64('p', [13])])).toThrow(/'p' is defined twice/)
    expect(() => mergeConstants([int64('x', [1, 2])], [int64('x', [1])])).toThrow(/defined twice/)
  })
})
