// Small libraries for export tests: one modular run with 5,000 stored evaluations (more than any
// downsampled view keeps), clocks, and snapshots at two steps; and runs of the per-system views.
import path from 'node:path'
import { parseRunConfig } from '../../shared/run-config'
import { createLabService, type LabService } from '../api/lab-service'
import { getPreset } from '../presets'
import { RunStore } from '../store/run-store'

export const FIXTURE_STEPS = 5000

/** Opens a lab over a new library in `dir` holding that run; returns it and the run id. */
export function exportFixture(dir: string): { service: LabService; runId: number; dbPath: string } {
  const dbPath = path.join(dir, 'lib.sqlite')
  const store = RunStore.open(dbPath)
  const runId = store.createRun({ name: 'fixture', preset: 'modadd-mlp-small', config: parseRunConfig({ p: 7, d: 4, hidden: 6, steps: FIXTURE_STEPS, lr: 1e-3, wd: 1, seed: 3 }), appVersion: 'test', tags: [] })
  const rows = []
  for (let step = 0; step < FIXTURE_STEPS; step++) {
    rows.push({ name: 'train_acc', step, value: Math.min(1, step / 500), wallSeconds: step })
    rows.push({ name: 'test_acc', step, value: 1 / (1 + Math.exp(-(step - 3000) / 200)), wallSeconds: step })
    rows.push({ name: 'train_loss', step, value: 2 * Math.exp(-step / 300) + 1e-6, wallSeconds: step })
    rows.push({ name: 'test_loss', step, value: 2 / (1 + step / 1000), wallSeconds: step })
  }
  store.appendMetrics(runId, rows)
  // E carries frequency 2 on its first two columns (cos, sin), so the Fourier views have a key frequency.
  const E = new Float32Array(7 * 4).map((_, i) => {
    const [a, j] = [Math.floor(i / 4), i % 4]
    const angle = (2 * Math.PI * 2 * a) / 7
    return j === 0 ? Math.cos(angle) : j === 1 ? Math.sin(angle) : 0.1 * Math.cos(a + j)
  })
  const W_in = new Float32Array(8 * 6).map((_, i) => Math.sin(i * 0.7) * 0.5)
  const W_out = new Float32Array(6 * 7).map((_, i) => Math.cos(i * 1.3) * 0.5)
  for (const step of [FIXTURE_STEPS / 2, FIXTURE_STEPS - 1]) {
    store.writeSnapshot(runId, step, [
      { name: 'E', shape: [7, 4], data: E.map((v) => (step === FIXTURE_STEPS - 1 ? v : v * 0.5)) },
      { name: 'W_in', shape: [8, 6], data: W_in },
      { name: 'W_out', shape: [6, 7], data: W_out },
    ])
  }
  store.finishRun(runId, 'completed', { stepsDone: FIXTURE_STEPS })
  store.close()
  return { service: createLabService({ dbPath, mode: 'browser' }, () => {}), runId, dbPath }
}

/**
 * A library for the per-system views' exports, made directly in the store: a deep linear run
 * (energy, floor, gaps), two two-layer ReLU runs of different λ (‖θ‖, test loss) and a diagonal
 * net with large init (accuracies, distance from init).
 */
export function systemsFixture(dir: string): { service: LabService; deepLinear: number; twoPhase: [number, number]; largeInit: number } {
  const store = RunStore.open(path.join(dir, 'systems.sqlite'))
  const make = (preset: string, set: Record<string, number>, metrics: (step: number) => Record<string, number>) => {
    const runId = store.createRun({ name: preset, preset, config: parseRunConfig({ ...getPreset(preset).config, ...set }), appVersion: 'test', tags: [] })
    const rows = []
    for (let step = 0; step <= set.steps; step += 10) for (const [name, value] of Object.entries(metrics(step))) rows.push({ name, step, value, wallSeconds: step })
    store.appendMetrics(runId, rows)
    store.finishRun(runId, 'completed', { stepsDone: set.steps })
    return runId
  }
  const deepLinear = make('tc-deep-linear', { steps: 2000 }, (s) => {
    const floor = 0.05
    const gap = 0.1 * Math.exp(-s / 400)
    return { structural_energy: floor + gap, schatten_floor: floor, energy_gap: gap, relative_energy_gap: gap / (floor + gap), balancedness_gap: 0.5 * Math.exp(-s / 300), train_loss: Math.exp(-s / 50) }
  })
  const twoPhase = ([0.002, 0.004] as const).map((wd) => make('gf-two-phase', { steps: 1000, wd }, (s) => ({ param_norm: 2 + 2.6 * Math.exp(-wd * 0.2 * s * 10), test_loss: 0.05 * Math.exp(-wd * 0.2 * s * 5) }))) as [number, number]
  const largeInit = make('ld-diagonal-sparse', { steps: 2000 }, (s) => ({ train_acc: Math.min(1, s / 100), test_acc: s < 1500 ? 0.66 : 1, train_loss: Math.exp(-s / 100), test_loss: 0.5, rel_dist_init: 0.01 + s / 2000 }))
  store.close()
  return { service: createLabService({ dbPath: path.join(dir, 'systems.sqlite'), mode: 'browser' }, () => {}), deepLinear, twoPhase, largeInit }
}
