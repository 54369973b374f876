import { z } from 'zod'
import type { ConfigIssue } from './api'
import { LabError } from './lab-error'

/** Operations of the modular-arithmetic task; see SCIENCE.md "Tasks". */
export const MODULAR_OPS = ['add', 'sub', 'mul', 'div', 'sq_sum', 'quad'] as const
export type ModularOp = (typeof MODULAR_OPS)[number]

export const MODEL_KINDS = ['embed-mlp', 'transformer-1l', 'deep-linear', 'diagonal-linear', 'matrix-factorization', 'two-layer-relu', 'gm-two-layer'] as const
export type ModelKind = (typeof MODEL_KINDS)[number]

/** Models whose weights `grokking-lab import` reads (TransformerLens names for the transformer). */
export const IMPORTABLE_MODELS = ['embed-mlp', 'transformer-1l'] as const
export type ImportableModel = (typeof IMPORTABLE_MODELS)[number]

export const TASKS = ['modular', 'sparse-linear', 'matrix-completion', 'low-rank-teacher', 'teacher-student'] as const
export type TaskKind = (typeof TASKS)[number]

/** Which models can train which task (SCIENCE.md "Tasks" and "Models"). */
export const TASK_MODELS: Record<TaskKind, ModelKind[]> = {
  modular: ['embed-mlp', 'transformer-1l', 'deep-linear', 'gm-two-layer'],
  'sparse-linear': ['diagonal-linear'],
  'matrix-completion': ['matrix-factorization'],
  'low-rank-teacher': ['deep-linear'],
  'teacher-student': ['two-layer-relu'],
}

export const OPTIMIZERS = ['sgd', 'adam', 'adamw'] as const

const positiveInt = z.number().int().positive()

/**
 * The one run-config schema. Keys are plain names so that `--set key=value` reads naturally;
 * the resolved object is stored verbatim with each run.
 */
export const runConfigSchema = z
  .object({
    task: z.enum(TASKS).default('modular'),
    model: z.enum(MODEL_KINDS).default('embed-mlp'),
    p: z.number().int().min(2, 'p must be an integer ≥ 2 (the modulus)').max(1000, 'p must be ≤ 1000').default(97),
    op: z.enum(MODULAR_OPS).default('add'),
    /** Train fraction (modular) or observed fraction (matrix completion). */
    frac: z
      .number()
      .gt(0, 'frac (train fraction) must be strictly between 0 and 1')
      .lt(1, 'frac (train fraction) must be strictly between 0 and 1')
      .default(0.4),
    /** Input dimension (sparse-linear, low-rank-teacher, teacher-student) or matrix size (matrix-completion). */
    dim: positiveInt.default(100),
    n_train: positiveInt.default(50),
    n_test: positiveInt.default(2000),
    /** Rank of the teacher matrix (matrix-completion, low-rank-teacher). */
    rank: positiveInt.default(2),
    /** Non-zeros of the sparse teacher w* (sparse-linear). */
    sparsity: positiveInt.default(5),
    /** Classes of the low-rank linear teacher. */
    classes: positiveInt.default(10),
    /** Layers of the deep linear net. */
    depth: positiveInt.default(3),
    input_dist: z.enum(['gaussian', 'rademacher']).default('gaussian'),
    /** ℓ2 gap kept between every sparse-linear input and the teacher's decision boundary (0 = none): LD's misgrokking data. */
    boundary_margin: z.number().min(0).default(0),
    /** Hidden units of the teacher (teacher-student); the student has `hidden`. */
    teacher_width: positiveInt.default(4),
    /** Std of Gaussian label noise (teacher-student). */
    noise: z.number().min(0).default(0),
    seed: z.number().int().min(0).default(0),
    steps: positiveInt,
    /** null = full batch, the default of the grokking literature. */
    batch_size: positiveInt.nullable().default(null),
    d: positiveInt.default(128),
    hidden: positiveInt.default(512),
    heads: positiveInt.default(4),
    optimizer: z.enum(OPTIMIZERS).default('adamw'),
    lr: z.number().positive('lr must be > 0'),
    wd: z.number().min(0, 'wd (weight decay) must be ≥ 0').default(0),
    /** Per-tensor weight decay overriding `wd`, keyed by tensor name (e.g. {"E": 0}). */
    wd_per_layer: z.record(z.string(), z.number().min(0)).default({}),
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.98),
    eps: z.number().positive().default(1e-8),
    momentum: z.number().min(0).lt(1).default(0),
    warmup: z.number().int().min(0).default(0),
    init_scale: z.number().positive('init_scale must be > 0').default(1),
    eval_every: positiveInt.default(20),
    snapshot_budget: z.number().int().min(2).default(40),
    checkpoint_every: positiveInt.default(200),
    /**
     * 'auto' trains embed-MLP and transformer-1L on the fast path where one applies (same maths,
     * hand-written backward: onnxruntime on the CPU, WGSL on webgpu for the embed-MLP); 'off' always
     * uses tfjs autodiff.
     */
    fast_path: z.enum(['auto', 'off']).default('auto'),
    /** Modular pairs: every ordered (a, b), or only a ≤ b (Musat 2025; commutative ops, gm-two-layer). */
    pairs: z.enum(['ordered', 'unordered']).default('ordered'),
    /** Hidden activation of gm-two-layer: σ in Ŷ = σ(XE)W. */
    activation: z.enum(['relu', 'quadratic']).default('relu'),
    /**
     * gm-two-layer: 'real' trains E and W by the optimizer; 'predicted' simulates Musat's Eq. 20
     * (W at its closed form every step, E ← E + lr·ΔE; ridge λ = n·p·wd/2 as in a real run, wd 0 = the zero-loss limit).
     */
    dynamics: z.enum(['real', 'predicted']).default('real'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!TASK_MODELS[c.task].includes(c.model)) {
      ctx.addIssue({ code: 'custom', path: ['model'], message: `model ${c.model} cannot train task ${c.task} (use ${TASK_MODELS[c.task].join(' or ')})` })
    }
    if (c.batch_size !== null && !['embed-mlp', 'transformer-1l'].includes(c.model)) {
      ctx.addIssue({ code: 'custom', path: ['batch_size'], message: `${c.model} trains full-batch only; leave batch_size unset (null)` })
    }
    if (c.task === 'matrix-completion' && (c.rank > c.dim || c.dim < 2)) {
      ctx.addIssue({ code: 'custom', path: ['rank'], message: `matrix completion needs dim ≥ 2 and rank (${c.rank}) ≤ dim (${c.dim})` })
    }
    if (c.task === 'sparse-linear' && c.sparsity > c.dim) {
      ctx.addIssue({ code: 'custom', path: ['sparsity'], message: `sparsity (${c.sparsity}) must be ≤ dim (${c.dim})` })
    }
    if (c.model === 'transformer-1l' && c.d % c.heads !== 0) {
      ctx.addIssue({ code: 'custom', path: ['heads'], message: `d (${c.d}) must be divisible by heads (${c.heads})` })
    }
    if (c.pairs === 'unordered' && c.model !== 'gm-two-layer') {
      ctx.addIssue({ code: 'custom', path: ['pairs'], message: `pairs=unordered is implemented for gm-two-layer only, not ${c.model}` })
    }
    if (c.pairs === 'unordered' && !['add', 'mul', 'sq_sum', 'quad'].includes(c.op)) {
      ctx.addIssue({ code: 'custom', path: ['pairs'], message: `pairs=unordered needs a commutative op (add, mul, sq_sum, quad), not ${c.op}` })
    }
    if (c.activation !== 'relu' && c.model !== 'gm-two-layer') {
      ctx.addIssue({ code: 'custom', path: ['activation'], message: `activation=${c.activation} is implemented for gm-two-layer only, not ${c.model}` })
    }
    if (c.dynamics === 'predicted' && (c.model !== 'gm-two-layer' || c.optimizer !== 'sgd' || c.momentum !== 0 || c.warmup !== 0)) {
      ctx.addIssue({ code: 'custom', path: ['dynamics'], message: 'dynamics=predicted needs model gm-two-layer with optimizer sgd, momentum 0 and warmup 0 (each step is E ← E + lr·ΔE)' })
    }
    if (c.task === 'modular' && c.op === 'div' && !isPrime(c.p)) {
      ctx.addIssue({ code: 'custom', path: ['p'], message: `op div needs a prime p so every b ≠ 0 has an inverse; ${c.p} is not prime` })
    }
  })

export type RunConfig = z.output<typeof runConfigSchema>
export type RunConfigInput = z.input<typeof runConfigSchema>
export const CONFIG_KEYS = Object.keys(runConfigSchema.shape) as (keyof RunConfig)[]

function isPrime(n: number): boolean {
  if (n < 2) return false
  for (let k = 2; k * k <= n; k++) if (n % k === 0) return false
  return true
}

/**
 * Every problem of a config object, by key, in the words the CLI prints them; empty when it is valid.
 * Whether it fits in memory is not one of them: that depends on the machine that trains it, so
 * assertFitsInMemory (memory-estimate.ts) checks it where a run is about to train.
 */
export function configIssues(input: unknown): ConfigIssue[] {
  const result = runConfigSchema.safeParse(input)
  return result.success ? [] : result.error.issues.map((i) => toConfigIssue(i, input))
}

function toConfigIssue(issue: z.core.$ZodIssue, input: unknown): ConfigIssue {
  if (issue.code === 'unrecognized_keys') {
    const message = `unknown config key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')} (known keys: ${CONFIG_KEYS.join(', ')})`
    return { key: issue.keys.length === 1 ? issue.keys[0] : 'config', message }
  }
  const key = issue.path.join('.') || 'config'
  const given = valueAt(input, issue.path)
  if (issue.code === 'invalid_type') {
    if (issue.path.length === 0) return { key, message: `a run config must be an object of config keys, not ${describe(input)}` }
    if (given === MISSING) return { key, message: `missing config key '${key}'` }
    const nullable = key === 'batch_size' ? ' or null (full batch)' : ''
    return { key, message: `${key} must be ${EXPECTED[issue.expected] ?? issue.expected}${nullable}, not ${describe(given)}` }
  }
  if (issue.code === 'invalid_value') return { key, message: `${key} must be one of ${issue.values.map(String).join(', ')}, not ${describe(given)}` }
  // zod's own words for a bound ("Too small: expected number to be >0") get the key and the value.
  if ((issue.code === 'too_small' || issue.code === 'too_big') && /^Too (small|big)/.test(issue.message)) {
    const bound = issue.code === 'too_small' ? `${issue.inclusive ? '≥' : '>'} ${issue.minimum}` : `${issue.inclusive ? '≤' : '<'} ${issue.maximum}`
    return { key, message: `${key} must be ${bound}, not ${describe(given)}` }
  }
  return { key, message: issue.message }
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  record: 'an object of tensor names to weight decays, e.g. {"E": 0}',
  string: 'text',
}

const MISSING = Symbol('missing')

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = input
  for (const step of path) {
    if (typeof at !== 'object' || at === null || !Object.prototype.hasOwnProperty.call(at, step)) return MISSING
    at = (at as Record<PropertyKey, unknown>)[step]
  }
  return at
}

/** A value as the error names it: NaN and Infinity said to be no numbers, text quoted, the type of the rest. */
function describe(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN (not a number)' : Number.isFinite(v) ? String(v) : `${v} (not a finite number)`
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`
  if (typeof v === 'boolean') return `${v} (a boolean)`
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  return typeof v === 'object' ? 'an object' : typeof v
}

/** An issue as one clause of the CLI's line: the key first, unless the message already names it. */
export function issueText(issue: ConfigIssue): string {
  return issue.key === 'config' || issue.message.startsWith(issue.key) || issue.message.includes(`'${issue.key}'`) ? issue.message : `${issue.key}: ${issue.message}`
}

/**
 * Validates a config object; throws LabError naming every problem and how to fix it. Memory is
 * checked where a run trains (assertFitsInMemory), not here.
 */
export function parseRunConfig(input: unknown): RunConfig {
  const result = runConfigSchema.safeParse(input)
  if (!result.success) throw new LabError(`invalid run config: ${result.error.issues.map((i) => issueText(toConfigIssue(i, input))).join('; ')}`)
  return result.data
}

/** Parses one `--set key=value` override into the object form merged over a preset or file. */
export function applyOverride(target: Record<string, unknown>, assignment: string): void {
  const eq = assignment.indexOf('=')
  if (eq <= 0) throw new LabError(`--set expects key=value, got '${assignment}'`)
  const key = assignment.slice(0, eq).trim()
  const value = parseValue(assignment.slice(eq + 1).trim(), assignment.slice(0, eq).trim())
  const [head, ...rest] = key.split('.')
  if (!(CONFIG_KEYS as string[]).includes(head)) {
    throw new LabError(`unknown config key '${head}' (known keys: ${CONFIG_KEYS.join(', ')})`)
  }
  if (rest.length === 0) {
    target[head] = value
  } else if (head === 'wd_per_layer' && rest.length === 1) {
    const map = { ...((target[head] as Record<string, unknown>) ?? {}) }
    map[rest[0]] = value
    target[head] = map
  } else {
    throw new LabError(`'${key}': only wd_per_layer takes a sub-key (wd_per_layer.TENSOR=value)`)
  }
}

function parseValue(raw: string, key: string): unknown {
  // Number('NaN') is NaN, which zod would report as a missing key: say what is wrong instead.
  if (/^[-+]?(nan|inf(inity)?)$/i.test(raw)) throw new LabError(`${key}=${raw}: '${raw}' is not a finite number; give a number such as 0.001 or 1e-3`)
  if (raw === 'null') return null
  if (raw === 'true') return true
  if (raw === 'false') return false
  if (raw !== '' && !Number.isNaN(Number(raw))) return Number(raw)
  if (raw.startsWith('{') || raw.startsWith('[')) {
    try {
      return JSON.parse(raw)
    } catch {
      throw new LabError(`could not parse '${raw}' as JSON`)
    }
  }
  return raw
}
