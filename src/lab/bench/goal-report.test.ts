import { describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../shared/run-config'
import { getPreset } from '../presets'
import { formatGoalReport, goalLines, type GoalReport } from './goal-report'

const span = (median: number) => ({ median, min: median * 0.9, max: median * 1.2 })

/** A report as the GPU machine would give it; each test bends one number. */
function report(): GoalReport {
  return {
    date: '2026-12-02T15:00:00.000Z',
    host: { cpus: 16, node: 'v20.20.0', platform: 'linux-x64' },
    backend: 'webgpu',
    adapter: 'native: nvidia hopper NVIDIA H200',
    software: false,
    quick: false,
    pytorch: 'PyTorch 2.11 on cuda (python3)',
    transformer: {
      config: parseRunConfig(getPreset('nanda-transformer').config),
      ours: { engine: 'fast path', msPerStep: span(2), windows: 5, stepsPerWindow: 750, evalOverhead: 0.02, evalMs: 2, peakRssMb: 300, tensorBytesMb: 1 },
      pytorch: { msPerStep: span(5), device: 'cuda', threads: 16, torch: '2.11' },
    },
    evalOverhead: {
      config: parseRunConfig(getPreset('modadd-mlp').config),
      ours: { evalEvery: 20, withEval: span(0.6), without: span(0.55), overhead: 0.6 / 0.55 - 1, windows: 5, stepsPerWindow: 2720 },
      pytorch: { msPerStep: span(2), msPerStepEval: span(2.4), evalOverhead: 0.2, device: 'cuda', threads: 16, torch: '2.11' },
    },
    batched: {
      config: parseRunConfig({ ...getPreset('nanda-transformer').config, steps: 1000 }),
      ours: { backend: 'webgpu', preset: 'nanda-transformer', runs: 8, steps: 1000, batched: true, oneRunMs: 3000, batchMs: 7500, ratio: 2.5 },
    },
  }
}

describe("issue 17's goal table", () => {
  it('judges each measure against its goal', () => {
    const [a, b, c] = goalLines(report())
    expect(a).toMatchObject({ id: 'a', ratio: '2.50×', met: true, value: 2.5 })
    expect(a.ours).toBe('2.00 (1.80–2.40)')
    expect(a.pytorch).toBe('5.00 (cuda)')
    expect(b).toMatchObject({ id: 'b', ours: '+9.1% (0.60 vs 0.55 ms)', pytorch: '+20.0% (2.40 vs 2.00 ms)', ratio: '4.00×', met: true })
    expect(c).toMatchObject({ id: 'c', ours: '2.50× (7.50 s vs 3.00 s)', met: true, value: 2.5 })
    expect(c.measure).toBe('8 × transformer-1L p 113 f 0.3 d 128 hidden 512 heads 4, 1000 steps, as one batch vs one run')
    expect(a.measure).toContain('p 113 f 0.3 d 128 hidden 512 heads 4')
    expect(b.measure).toContain('every 20')
  })

  it('fails each goal just past its bound', () => {
    const r = report()
    r.transformer.ours.msPerStep = span(5 / 1.49)
    r.evalOverhead.ours.overhead = 0.1
    r.batched.ours.ratio = 3
    expect(goalLines(r).map((l) => l.met)).toEqual([false, false, false])
    r.transformer.ours.msPerStep = span(5 / 1.5)
    expect(goalLines(r)[0].met).toBe(true)
  })

  it('leaves the transformer unmeasured without PyTorch, and counts runs one after another as not batched', () => {
    const r = report()
    delete r.transformer.pytorch
    r.transformer.pytorchError = 'PyTorch reference failed: no CUDA'
    delete r.evalOverhead.pytorch
    r.batched.ours = { ...r.batched.ours, batched: false, ratio: 2 }
    const [a, b, c] = goalLines(r)
    expect(a).toMatchObject({ met: undefined, ratio: '-', pytorch: '- (PyTorch reference failed: no CUDA)' })
    expect(b).toMatchObject({ met: true, ratio: '-', pytorch: '- (not run)' })
    expect(c.met).toBe(false)
    expect(c.measure).toContain('one after another')
  })

  it('prints a row per goal, its verdict, and a warning when the numbers say nothing of a GPU', () => {
    const r = report()
    r.batched.ours.ratio = 4
    const text = formatGoalReport(r)
    const rows = text.split('\n').filter((l) => /^\([abc]\) {2}/.test(l))
    expect(rows).toHaveLength(3)
    expect(rows[0].endsWith('  met')).toBe(true)
    expect(rows[2].endsWith('  NOT met')).toBe(true)
    expect(text).not.toContain('NOTE')
    r.software = true
    r.quick = true
    expect(formatGoalReport(r)).toContain('NOTE: a software renderer and shrunken shapes and few steps (--quick): these numbers say nothing about a GPU')
  })
})
