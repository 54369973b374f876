import { describe, expect, it } from 'vitest'
import { embedMlpSpecs } from '../lab/models/embed-mlp'
import { transformerSpecs } from '../lab/models/transformer-1l'
import { deepLinearSpecs } from '../lab/systems/deep-linear-system'
import { diagonalLinearSpecs } from '../lab/systems/diagonal-linear-system'
import { gmTwoLayerSpecs } from '../lab/systems/gm-data'
import { matrixFactorizationSpecs } from '../lab/systems/matrix-factorization-system'
import { twoLayerReluSpecs } from '../lab/systems/two-layer-relu-system'
import { isLabError } from './lab-error'
import { assertFitsInMemory, estimateMemory, formatBytes, machineMemory, memoryProblem, parameterCount } from './memory-estimate'
import { configIssues, parseRunConfig, type RunConfig } from './run-config'

const size = (specs: { shape: number[] }[]) => specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0)

describe('memory estimate', () => {
  it('counts the parameters every model really builds', () => {
    const base = { steps: 10, lr: 1e-3, p: 13, d: 8, hidden: 24, heads: 2, dim: 30, depth: 4, classes: 5 }
    const cases: [Partial<RunConfig>, (c: RunConfig) => { shape: number[] }[]][] = [
      [{ model: 'embed-mlp' }, embedMlpSpecs],
      [{ model: 'transformer-1l' }, transformerSpecs],
      [{ model: 'deep-linear' }, deepLinearSpecs],
      [{ model: 'deep-linear', task: 'low-rank-teacher' }, deepLinearSpecs],
      [{ model: 'gm-two-layer' }, gmTwoLayerSpecs],
      [{ model: 'diagonal-linear', task: 'sparse-linear' }, diagonalLinearSpecs],
      [{ model: 'matrix-factorization', task: 'matrix-completion', rank: 2 }, matrixFactorizationSpecs],
      [{ model: 'two-layer-relu', task: 'teacher-student' }, twoLayerReluSpecs],
    ]
    for (const [extra, specs] of cases) {
      const c = parseRunConfig({ ...base, ...extra })
      expect(parameterCount(c), c.model).toBe(size(specs(c)))
    }
  })

  it('adds gradients, Adam moments and a checkpoint copy to the weights', () => {
    const adam = parseRunConfig({ steps: 10, lr: 1e-3, p: 97, optimizer: 'adamw' })
    const sgd = parseRunConfig({ steps: 10, lr: 1e-3, p: 97, optimizer: 'sgd' })
    expect(estimateMemory(adam).stateBytes).toBe(parameterCount(adam) * 4 * 7)
    expect(estimateMemory(sgd).stateBytes).toBe(parameterCount(sgd) * 4 * 3)
    expect(estimateMemory(adam).workBytes).toBe(97 * 97 * 2 * (512 + 97) * 4)
  })

  it('refuses a width of 10^6 on an 8 GB machine, with the estimate, and lets the presets by', () => {
    const c = { ...parseRunConfig({ steps: 10, lr: 1e-3, p: 97 }), hidden: 1_000_000, d: 1_000_000 }
    const problem = memoryProblem(c, { free: 8e9 })
    // 2·10^12 weights of W_in, 7 floats each (weight, gradient, two moments, a checkpoint copy of all three).
    expect(problem).toBe("this config needs about 56.1 TB (56.0 TB for 2.00e+12 parameters with gradients and optimizer state, 75 GB for the data and activations), more than this machine's 8.0 GB of free memory; make p, d, hidden smaller")
    expect(memoryProblem(parseRunConfig({ steps: 10, lr: 1e-3, p: 113, d: 128, hidden: 512 }), { free: 8e9 })).toBeNull()
    expect(memoryProblem(c, null)).toBeNull()
  })

  it('leaves validation to the config and refuses only where a run is about to train', () => {
    // A planned config (a Slurm sweep on a login node, a form) is valid whatever this machine's memory.
    const wide = { steps: 10, lr: 1e-3, p: 97, d: 1_000_000, hidden: 1_000_000 }
    expect(configIssues(wide)).toEqual([])
    const c = parseRunConfig(wide)
    const small = parseRunConfig({ steps: 10, lr: 1e-3, p: 97 })
    let thrown: unknown
    try {
      assertFitsInMemory([small, c], { free: 8e9 })
    } catch (e) {
      thrown = e
    }
    expect(isLabError(thrown)).toBe(true)
    expect((thrown as Error).message).toBe(`invalid run config: ${memoryProblem(c, { free: 8e9 })}`)
    expect(() => assertFitsInMemory(small, { free: 8e9 })).not.toThrow()
    expect(() => assertFitsInMemory([c], null)).not.toThrow()
    expect(() => assertFitsInMemory([], { free: 1 })).not.toThrow()
  })

  it('reads the free memory in Node, and says sizes plainly', () => {
    expect(machineMemory()!.free).toBeGreaterThan(0)
    expect(formatBytes(48e9)).toBe('48 GB')
    expect(formatBytes(5e8)).toBe('500 MB')
    expect(formatBytes(Infinity)).toBe('more bytes than any machine has')
  })
})
