import path from 'node:path'
import { LabError } from '../../shared/lab-error'
import { parseRunConfig, type ImportableModel, type ModularOp, type RunConfig } from '../../shared/run-config'
import { APP_VERSION } from '../app-version'
import { modelSpecs } from '../models/model-registry'
import type { RunStore } from '../store/run-store'
import type { TensorData } from '../training/trainer'
import { evaluateImported } from './evaluate-imported'
import type { SafetensorsFile } from './safetensors'

export interface ImportOptions {
  model: ImportableModel
  p: number
  op?: ModularOp
  /** Train fraction and seed only define the split that analyses call train/test. */
  frac?: number
  seed?: number
  name?: string
  /** Where the file came from, for messages and the run's notes. */
  source?: string
}

/** Symbolic shape of every tensor, so errors can say what a dimension means. */
const SHAPES: Record<ImportableModel, Record<string, string[]>> = {
  'embed-mlp': { E: ['p', 'd'], W_in: ['2d', 'hidden'], b_in: ['hidden'], W_out: ['hidden', 'p'], b_out: ['p'] },
  'transformer-1l': {
    'embed.W_E': ['d_vocab', 'd_model'],
    'pos_embed.W_pos': ['n_ctx', 'd_model'],
    'blocks.0.attn.W_Q': ['n_heads', 'd_model', 'd_head'],
    'blocks.0.attn.W_K': ['n_heads', 'd_model', 'd_head'],
    'blocks.0.attn.W_V': ['n_heads', 'd_model', 'd_head'],
    'blocks.0.attn.W_O': ['n_heads', 'd_head', 'd_model'],
    'blocks.0.mlp.W_in': ['d_model', 'd_mlp'],
    'blocks.0.mlp.b_in': ['d_mlp'],
    'blocks.0.mlp.W_out': ['d_mlp', 'd_model'],
    'blocks.0.mlp.b_out': ['d_model'],
    'unembed.W_U': ['d_model', 'd_vocab'],
  },
}

/** TransformerLens biases the lab's transformer lacks: harmless only when zero (as in Nanda et al.'s setup). */
const ZERO_BIASES: Record<ImportableModel, Record<string, string[]>> = {
  'embed-mlp': {},
  'transformer-1l': {
    'blocks.0.attn.b_Q': ['n_heads', 'd_head'],
    'blocks.0.attn.b_K': ['n_heads', 'd_head'],
    'blocks.0.attn.b_V': ['n_heads', 'd_head'],
    'blocks.0.attn.b_O': ['d_model'],
    'unembed.b_U': ['d_vocab'],
  },
}

/** TransformerLens buffers (causal mask, masking constant) that a state_dict carries but are not weights. */
const IGNORED: Record<ImportableModel, string[]> = { 'embed-mlp': [], 'transformer-1l': ['blocks.0.attn.mask', 'blocks.0.attn.IGNORE'] }

/** Which tensor axis fixes each free dimension. */
const ANCHORS: Record<ImportableModel, [string, number, string][]> = {
  'embed-mlp': [['E', 1, 'd'], ['W_in', 1, 'hidden']],
  'transformer-1l': [['embed.W_E', 1, 'd_model'], ['blocks.0.attn.W_Q', 0, 'n_heads'], ['blocks.0.mlp.W_in', 1, 'd_mlp']],
}

const defaultFrac = (model: ImportableModel) => (model === 'transformer-1l' ? 0.3 : 0.4)

/**
 * Checks a file's tensors against the model kind and p, inferring the widths from the shapes;
 * returns the run config and the tensors in the model's order, or throws a LabError that names
 * the offending tensor and the shape it should have.
 */
export function checkImport(file: SafetensorsFile, options: ImportOptions): { config: RunConfig; tensors: TensorData[] } {
  const { model, p } = options
  const source = options.source ?? 'the file'
  const base = { model, p, op: options.op ?? 'add', frac: options.frac ?? defaultFrac(model), seed: options.seed ?? 0, steps: 1, lr: 1e-3 }
  parseRunConfig(base) // p, op and frac errors first, before any about shapes
  const shapes = SHAPES[model]
  const biases = ZERO_BIASES[model]
  const entries = new Map(file.entries.map((e) => [e.name, e]))
  const unknown = [...entries.keys()].filter((n) => !(n in shapes) && !(n in biases) && !IGNORED[model].includes(n))
  if (unknown.length) {
    throw new LabError(`${source} has tensors the lab's ${model} does not have: ${unknown.join(', ')} (is --model right? ` +
      `${model} has ${Object.keys(shapes).join(', ')})`)
  }

  const dims: Record<string, number> = model === 'transformer-1l' ? { p, d_vocab: p + 1, n_ctx: 3 } : { p }
  const context = () => `${model}, ${Object.entries(dims).map(([k, v]) => `${k} = ${v}`).join(', ')}`
  const expected = (symbols: string[]) => {
    const values = symbols.map((s) => resolve(s, dims) ?? '?')
    return `expected [${symbols.join(', ')}] = [${values.join(', ')}] (${context()})`
  }
  const shapeError = (name: string, symbols: string[]) => {
    const e = entries.get(name)
    return new LabError(e
      ? `tensor '${name}' in ${source} has shape [${e.shape.join(', ')}]; ${expected(symbols)}`
      : `${source} has no tensor '${name}'; ${expected(symbols)}`)
  }

  for (const [name, axis, symbol] of ANCHORS[model]) {
    const shape = entries.get(name)?.shape
    if (!shape || shape.length !== shapes[name].length || shape[axis] < 1) throw shapeError(name, shapes[name])
    dims[symbol] = shape[axis]
  }
  if (model === 'transformer-1l') {
    if (dims.d_model % dims.n_heads !== 0) {
      throw new LabError(`d_model ${dims.d_model} (from embed.W_E) is not divisible by n_heads ${dims.n_heads} ` +
        `(from blocks.0.attn.W_Q); the lab's transformer-1l needs d_head = d_model / n_heads`)
    }
    dims.d_head = dims.d_model / dims.n_heads
  }

  const sameShape = (name: string, symbols: string[]) => {
    const shape = entries.get(name)?.shape
    return shape !== undefined && shape.length === symbols.length && symbols.every((s, i) => resolve(s, dims) === shape[i])
  }
  for (const [name, symbols] of Object.entries(shapes)) if (!sameShape(name, symbols)) throw shapeError(name, symbols)
  for (const [name, symbols] of Object.entries(biases)) {
    if (!entries.has(name)) continue
    if (!sameShape(name, symbols)) throw shapeError(name, symbols)
    if (!file.read(name).every((v) => v === 0)) {
      throw new LabError(`${source}: tensor '${name}' is non-zero; non-zero attention/unembed biases are not supported by the lab's transformer-1l yet`)
    }
  }

  const config = parseRunConfig(model === 'embed-mlp'
    ? { ...base, d: dims.d, hidden: dims.hidden }
    : { ...base, d: dims.d_model, hidden: dims.d_mlp, heads: dims.n_heads })
  const tensors = modelSpecs(config).map((spec) => ({ name: spec.name, shape: spec.shape, data: file.read(spec.name) }))
  return { config, tensors }
}

function resolve(symbol: string, dims: Record<string, number>): number | undefined {
  if (symbol === '2d') return dims.d === undefined ? undefined : 2 * dims.d
  return dims[symbol]
}

export interface ImportResult {
  runId: number
  name: string
  config: RunConfig
  /** all_loss/all_acc on every valid pair, train_/test_ on the config's split, norms. */
  metrics: Record<string, number>
}

/**
 * Imports a checked file as a new run with status 'imported': one snapshot at step 0 and its
 * metrics at step 0, written in one transaction so a failure leaves no half-made run.
 * Evaluates on the current tf backend.
 */
export async function importModel(store: RunStore, file: SafetensorsFile, options: ImportOptions): Promise<ImportResult> {
  const { config, tensors } = checkImport(file, options)
  const metrics = await evaluateImported(config, tensors.map((t) => t.data))
  const name = options.name ?? (options.source ? path.basename(options.source).replace(/\.safetensors$/i, '') : 'imported')
  const notes = `imported from ${options.source ?? 'a safetensors file'}` +
    (Object.keys(file.metadata).length ? ` (metadata ${JSON.stringify(file.metadata)})` : '')
  const runId = store.db.transaction(() => {
    const id = store.createRun({ name, preset: null, config, appVersion: APP_VERSION, notes, status: 'imported' })
    store.writeSnapshot(id, 0, tensors)
    store.appendMetrics(id, Object.entries(metrics).map(([metric, value]) => ({ name: metric, value, step: 0, wallSeconds: 0 })))
    store.finishRun(id, 'imported', { stepsDone: 0 })
    return id
  })()
  return { runId, name, config, metrics }
}
