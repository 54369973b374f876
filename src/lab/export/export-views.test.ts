import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { useTempDir } from '../../../test/helpers/temp-dir'
import type { ExportedFigure, LabResponses } from '../../shared/api'
import type { Figure } from '../../shared/figures/export/figure'
import { neuronStrip } from '../../shared/figures/fourier-views'
import { maxAbs } from '../../shared/figures/heatmap-data'
import { dispatch } from '../api/dispatch'
import type { LabService } from '../api/lab-service'
import { exportFixture, FIXTURE_STEPS, systemsFixture } from './export-fixture'

const hasPdflatex = (() => {
  try {
    execFileSync('pdflatex', ['-v'], { stdio: 'ignore' })
    return true
  } catch (e) {
    return (e as { code?: string }).code !== 'ENOENT'
  }
})()

// The figures of the Fourier view's pictures and the per-system views, exported from the
// library as the page's Export buttons ask for them.
describe('export of the remaining views', () => {
  const tempDir = useTempDir()
  let service: LabService | undefined
  afterEach(async () => {
    await service?.close()
    service = undefined
  })

  async function run(svc: LabService, request: Record<string, unknown>, format = 'json', dir?: string) {
    const result = (await dispatch(svc, 'export:figure', { request, format, style: { overrides: {} } })) as ExportedFigure
    const files = result.files.map((f) => ({ name: f.name, bytes: Buffer.from(f.base64, 'base64') }))
    if (dir) for (const f of files) fs.mkdirSync(path.dirname(path.join(dir, f.name)), { recursive: true }), fs.writeFileSync(path.join(dir, f.name), f.bytes)
    return { result, files, figure: format === 'json' ? (JSON.parse(files[0].bytes.toString()).figure as Figure) : null }
  }
  const modular = () => {
    const f = exportFixture(tempDir())
    service = f.service
    return f
  }
  const systems = () => {
    const f = systemsFixture(tempDir())
    service = f.service
    return f
  }

  it('the neuron strip is the Fourier view’s, built from the snapshot’s E and W_in', async () => {
    const { service: svc, runId } = modular()
    const { figure, result } = await run(svc, { figure: 'neurons', runs: [runId] })
    const step = FIXTURE_STEPS - 1
    const E = (await dispatch(svc, 'snapshots:tensor', { runId, step, tensor: 'E' })) as LabResponses['snapshots:tensor']
    const W = (await dispatch(svc, 'snapshots:tensor', { runId, step, tensor: 'W_in' })) as LabResponses['snapshots:tensor']
    expect(figure!.kind).toBe('bar')
    expect(figure!.kind === 'bar' && figure!.figure.bars).toEqual(neuronStrip(E.data, W.data, 7, 4, 6).bars)
    expect(result.command).toBe(`grokking-lab export ${runId} --figure neurons --format json --out figure.json`)
  })

  it('a cos/sin circle is drawn for the key frequency by default, or the one asked for, and refuses one the run lacks', async () => {
    const { service: svc, runId } = modular()
    const { figure } = await run(svc, { figure: 'circles', runs: [runId] })
    expect(figure!.kind).toBe('scatter')
    if (figure!.kind !== 'scatter') return
    // The fixture's E carries frequency 2 on its first two columns.
    expect(figure!.figure.title).toContain('k = 2')
    expect(figure!.figure.points).toHaveLength(7)
    expect(figure!.figure.equalAspect).toBe(true)
    const other = await run(svc, { figure: 'circles', runs: [runId], frequency: 3, step: FIXTURE_STEPS / 2 }, 'csv')
    const rows = other.files[0].bytes.toString().trim().split('\n')
    expect(rows[0]).toBe('label,x,y')
    expect(rows).toHaveLength(8)
    expect(other.result.command).toContain(`--step ${FIXTURE_STEPS / 2} --frequency 3`)
    await expect(run(svc, { figure: 'circles', runs: [runId], frequency: 5 })).rejects.toThrow(`--frequency 5: run ${runId} has frequencies 1…3 (p = 7)`)
    await expect(run(svc, { figure: 'neurons', runs: [runId], step: 17 })).rejects.toThrow(`run ${runId} has no snapshot at step 17`)
  })

  it('the Gini/IPR curve has a point per snapshot and marks the step asked for', async () => {
    const { service: svc, runId } = modular()
    const { figure } = await run(svc, { figure: 'concentration', runs: [runId], step: FIXTURE_STEPS / 2 })
    expect(figure!.kind).toBe('line')
    if (figure!.kind !== 'line') return
    expect(figure!.figure.series.map((s) => [s.name, s.steps])).toEqual([
      ['Gini', [FIXTURE_STEPS / 2, FIXTURE_STEPS - 1]],
      ['IPR', [FIXTURE_STEPS / 2, FIXTURE_STEPS - 1]],
    ])
    expect(figure!.figure.markers).toEqual([expect.objectContaining({ x: FIXTURE_STEPS / 2, label: 'step' })])
  })

  it('a heatmap’s colour scale is shared over the snapshots by default, as on the page, or this step’s', async () => {
    const { service: svc, runId } = modular()
    const step = FIXTURE_STEPS / 2
    const at = async (s: number) => maxAbs(((await dispatch(svc, 'snapshots:tensor', { runId, step: s, tensor: 'E' })) as LabResponses['snapshots:tensor']).data)
    const shared = await run(svc, { figure: 'heatmap', runs: [runId], step })
    const own = await run(svc, { figure: 'heatmap', runs: [runId], step, scale: 'step' })
    const scale = (f: Figure | null) => (f?.kind === 'heatmap' ? f.figure.scale.max : NaN)
    // The fixture's E at the middle step is half the last one.
    expect(scale(shared.figure)).toBeCloseTo(await at(FIXTURE_STEPS - 1), 6)
    expect(scale(own.figure)).toBeCloseTo(await at(step), 6)
    expect(scale(own.figure)).toBeCloseTo(scale(shared.figure) / 2, 6)
    expect(own.result.command).toContain('--scale step')
    expect(shared.result.command).not.toContain('--scale')
  })

  it('the per-system views export with their clocks, δ line and every stored point', async () => {
    const { service: svc, deepLinear, largeInit } = systems()
    const energy = await run(svc, { figure: 'energy', runs: [deepLinear] })
    expect(energy.figure!.kind === 'line' && energy.figure!.figure.series.map((s) => [s.id, s.steps.length])).toEqual([
      ['structural_energy', 201],
      ['schatten_floor', 201],
    ])
    const balance = await run(svc, { figure: 'balancedness', runs: [deepLinear] })
    const delta = balance.figure!.kind === 'line' ? balance.figure!.figure.series.find((s) => s.id === 'delta') : undefined
    expect(delta?.values).toEqual([0.05, 0.05])
    const transition = await run(svc, { figure: 'transition', runs: [largeInit], x: 'log-step' })
    expect(transition.figure!.kind === 'line' && transition.figure!.figure.x.label).toBe('log₁₀ step')
    expect(transition.result.command).toContain('--x log-step')
    await expect(run(svc, { figure: 'transition', runs: [largeInit], x: 'lambda-t' })).rejects.toThrow('the transition figure is drawn on step or log-step, as its view')
    await expect(run(svc, { figure: 'energy', runs: [largeInit] })).rejects.toThrow(`the energy figure is the deep-linear view's; run ${largeInit} is a diagonal-linear run (its view's figures: transition, distance)`)
  })

  it('the λ collapse draws each run against λ·η·t, the first as this run: dashed, on top', async () => {
    const { service: svc, twoPhase } = systems()
    const [own, other] = twoPhase
    const { figure } = await run(svc, { figure: 'collapse', runs: [own, other], metrics: ['test_loss'] })
    if (figure!.kind !== 'line') throw new Error('a line figure')
    expect(figure!.figure.series.map((s) => [s.name, s.dash])).toEqual([
      [`#${other} λ=0.004`, 'solid'],
      [`#${own} λ=0.002 (this run)`, 'dashed'],
    ])
    expect(figure!.figure.y.scale).toBe('log')
    const last = figure!.figure.series[1]
    expect(last.steps[last.steps.length - 1]).toBeCloseTo(0.002 * 0.2 * 1000, 9)
    await expect(run(svc, { figure: 'collapse', runs: [own], metrics: ['train_acc'] })).rejects.toThrow('the collapse figure draws one of param_norm, test_loss')
  })

  it.skipIf(!hasPdflatex)('a circle’s pgfplots file compiles with pdflatex', async () => {
    const { service: svc, runId } = modular()
    const dir = tempDir()
    const { files } = await run(svc, { figure: 'circles', runs: [runId] }, 'tex', dir)
    expect(files.map((f) => f.name).filter((n) => n.endsWith('.csv')).length).toBeGreaterThan(0)
    execFileSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', 'figure.tex'], { cwd: dir, stdio: 'pipe', timeout: 120_000 })
    expect(fs.statSync(path.join(dir, 'figure.pdf')).size).toBeGreaterThan(3000)
  }, 150_000)
})
