import { describe, expect, it } from 'vitest'
import { DEFAULT_GPU_MEMORY_MB, fitsBudget, gpuMemoryBudgetBytes, residentBuffers, splitBatch } from './gpu-memory'

const MB = 2 ** 20
const sum = (a: number[]) => a.reduce((x, y) => x + y, 0)
// p 113 at 30% train: 3,831 train pairs and 8,938 test pairs.
const bigP = { train: 3831, test: 8938 }
const embed = (members: number) => residentBuffers('embed-mlp', { p: 113, d: 128, hidden: 512, members }, bigP)

describe('GPU memory of a batch', () => {
  it('splits runs into even batches of the most that fit', () => {
    expect(splitBatch(64, (k) => k <= 16)).toEqual([16, 16, 16, 16])
    expect(splitBatch(10, (k) => k <= 4)).toEqual([4, 3, 3])
    expect(splitBatch(3, () => true)).toEqual([3])
    expect(splitBatch(3, () => false)).toEqual([1, 1, 1])
    expect(splitBatch(0, () => true)).toEqual([])
  })

  it('counts what grows with the batch: 64 runs of the embed-MLP at p 113 take 4 batches of 16 in 1 GB', () => {
    const roomy = { maxBufferSize: 4 * 1024 * MB, maxStorageBufferBindingSize: 2 * 1024 * MB }
    const gb = { ...roomy, totalBytes: 1024 * MB }
    expect(splitBatch(64, (k) => fitsBudget(embed(k), gb))).toEqual([16, 16, 16, 16])
    // One buffer over the binding limit is enough not to fit: the test set's hidden layer is 17.5 MB a run.
    const small = { maxBufferSize: 256 * MB, maxStorageBufferBindingSize: 128 * MB, totalBytes: 64 * 1024 * MB }
    expect(Math.max(...embed(7))).toBeLessThanOrEqual(128 * MB)
    expect(Math.max(...embed(8))).toBeGreaterThan(128 * MB)
    expect(splitBatch(64, (k) => fitsBudget(embed(k), small))).toEqual([7, 7, 7, 7, 6, 6, 6, 6, 6, 6])
  })

  it('counts the optimizer state before the update only for batches, and minibatch plans only with minibatches', () => {
    const one = sum(embed(1))
    const two = sum(embed(2))
    // Two runs hold more than twice one (the 'before' copy of weights, m and v), less than 2.2×.
    expect(two).toBeGreaterThan(2 * one)
    expect(two).toBeLessThan(2.2 * one)
    const minibatch = residentBuffers('embed-mlp', { p: 113, d: 128, hidden: 512, members: 1 }, { ...bigP, batch: 512 })
    expect(sum(minibatch)).toBeGreaterThan(one)
    const transformer = residentBuffers('transformer-1l', { p: 113, d: 128, hidden: 512, heads: 4, members: 1 }, bigP)
    expect(sum(transformer)).toBeGreaterThan(one)
  })

  it('takes its total from GROKKING_LAB_GPU_MEMORY_MB, or a conservative default', () => {
    expect(gpuMemoryBudgetBytes({})).toBe(DEFAULT_GPU_MEMORY_MB * MB)
    expect(gpuMemoryBudgetBytes({ GROKKING_LAB_GPU_MEMORY_MB: '0.5' })).toBe(0.5 * MB)
    expect(() => gpuMemoryBudgetBytes({ GROKKING_LAB_GPU_MEMORY_MB: 'lots' })).toThrow(/positive number/)
    expect(() => gpuMemoryBudgetBytes({ GROKKING_LAB_GPU_MEMORY_MB: '0' })).toThrow(/positive number/)
  })
})
