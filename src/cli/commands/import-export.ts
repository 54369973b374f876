import path from 'node:path'
import { LabError } from '../../shared/lab-error'
import { IMPORTABLE_MODELS, MODULAR_OPS, type ImportableModel, type ModularOp } from '../../shared/run-config'
import type { BackendName } from '../../shared/backend'
import { useBackend } from '../../lab/backends/select-backend'
import { exportWeights } from '../../lab/io/export-weights'
import { checkImport, importModel } from '../../lab/io/import-model'
import { readSafetensorsFile } from '../../lab/io/safetensors'
import { resolveLibraryPath } from '../../lab/store/default-location'
import { RunStore } from '../../lab/store/run-store'
import { parseRunId } from '../run-id'

export interface ImportCommandOptions {
  model: string
  p: string
  op?: string
  frac?: string
  seed?: string
  name?: string
  backend?: string
  db?: string
  json?: boolean
}

/** `grokking-lab import FILE`: a safetensors checkpoint becomes an 'imported' run with one snapshot. */
export async function importCommand(fileArg: string, options: ImportCommandOptions): Promise<number> {
  if (!(IMPORTABLE_MODELS as readonly string[]).includes(options.model)) {
    throw new LabError(`unknown model '${options.model}' (choose one of: ${IMPORTABLE_MODELS.join(', ')})`)
  }
  if (options.op !== undefined && !(MODULAR_OPS as readonly string[]).includes(options.op)) {
    throw new LabError(`unknown op '${options.op}' (choose one of: ${MODULAR_OPS.join(', ')})`)
  }
  const p = parseNumber(options.p, '--p')
  const frac = options.frac === undefined ? undefined : parseNumber(options.frac, '--frac')
  const seed = options.seed === undefined ? undefined : parseNumber(options.seed, '--seed')
  const importOptions = {
    model: options.model as ImportableModel,
    p,
    op: options.op as ModularOp | undefined,
    frac,
    seed,
    name: options.name,
    source: path.resolve(fileArg),
  }
  // Check the file before touching the library or loading a backend: a bad file costs nothing.
  const file = readSafetensorsFile(fileArg)
  checkImport(file, importOptions)
  await useBackend((options.backend ?? 'wasm') as BackendName | 'auto')
  const store = RunStore.open(resolveLibraryPath(options.db))
  try {
    const result = await importModel(store, file, importOptions)
    const { config, metrics } = result
    if (options.json) {
      console.log(JSON.stringify({
        runId: result.runId, name: result.name, model: config.model, p: config.p, op: config.op,
        accAll: metrics.all_acc, lossAll: metrics.all_loss,
        trainAcc: metrics.train_acc, testAcc: metrics.test_acc, db: store.path,
      }))
    } else {
      const pairs = config.op === 'div' ? `${config.p}·${config.p - 1}` : `${config.p}²`
      console.log(`run ${result.runId} imported: accuracy on all ${pairs} pairs ${metrics.all_acc.toFixed(4)} (loss ${metrics.all_loss.toPrecision(4)})`)
    }
    return 0
  } finally {
    store.close()
  }
}

/** `grokking-lab export-weights RUN --out FILE`: a run's snapshot as F32 safetensors. */
export function exportWeightsCommand(runArg: string, options: { step?: string; out: string; db?: string; json?: boolean }): number {
  const runId = parseRunId(runArg)
  const step = options.step === undefined ? undefined : parseNumber(options.step, '--step')
  const store = RunStore.open(resolveLibraryPath(options.db), { readonly: true })
  try {
    const result = exportWeights(store, runId, path.resolve(options.out), step)
    console.log(options.json ? JSON.stringify(result) : result.path)
    return 0
  } finally {
    store.close()
  }
}

function parseNumber(raw: string, flag: string): number {
  const value = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(value)) throw new LabError(`${flag} expects a number, got '${raw}'`)
  if (flag !== '--frac' && !Number.isInteger(value)) throw new LabError(`${flag} expects an integer, got '${raw}'`)
  if (flag === '--step' && value < 0) throw new LabError(`--step expects a step ≥ 0, got '${raw}'`)
  return value
}
