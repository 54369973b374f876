// The run-config form's fields, read off the one zod schema so the form can never disagree with
// what the lab accepts. No Node imports: the page compiles this too.
import type { ConfigField } from './api'
import { CONFIG_KEYS, runConfigSchema, type RunConfig } from './run-config'

type Key = keyof RunConfig
type Described = Pick<ConfigField, 'help' | 'group' | 'tasks' | 'models'>

const TOKEN_MODELS = ['embed-mlp', 'transformer-1l']

/** What each key means (the README's config table and the schema's comments), and where it goes in the form. */
const DESCRIPTIONS: Record<Key, Described> = {
  task: { group: 'task', help: 'What the model learns: modular arithmetic, or one of the linear / regression systems.' },
  model: { group: 'model', help: 'The network; each task trains only some models (modular: embed-mlp, transformer-1l, deep-linear).' },
  p: { group: 'task', help: 'The modulus: tokens are 0…p−1 and every pair (a, b) is one example.', tasks: ['modular'] },
  op: { group: 'task', help: 'The operation computed mod p (div needs a prime p).', tasks: ['modular'] },
  frac: { group: 'task', help: 'Train fraction of all pairs (modular) or observed fraction of entries (matrix completion).', tasks: ['modular', 'matrix-completion'] },
  dim: {
    group: 'task',
    help: 'Input dimension (sparse-linear, low-rank-teacher, teacher-student) or matrix size (matrix-completion).',
    tasks: ['sparse-linear', 'matrix-completion', 'low-rank-teacher', 'teacher-student'],
  },
  n_train: { group: 'task', help: 'Training points.', tasks: ['sparse-linear', 'low-rank-teacher', 'teacher-student'] },
  n_test: { group: 'task', help: 'Test points.', tasks: ['sparse-linear', 'low-rank-teacher', 'teacher-student'] },
  rank: { group: 'task', help: 'Rank of the teacher matrix.', tasks: ['matrix-completion', 'low-rank-teacher'] },
  sparsity: { group: 'task', help: 'Non-zeros of the sparse teacher w* (at most dim).', tasks: ['sparse-linear'] },
  classes: { group: 'task', help: 'Classes of the low-rank linear teacher.', tasks: ['low-rank-teacher'] },
  depth: { group: 'model', help: 'Layers of the deep linear net.', models: ['deep-linear'] },
  input_dist: { group: 'task', help: 'Distribution of the inputs: gaussian or rademacher (±1).', tasks: ['sparse-linear', 'low-rank-teacher'] },
  boundary_margin: {
    group: 'task',
    help: "ℓ2 gap kept between every input and the teacher's decision boundary (0 = none): misgrokking data.",
    tasks: ['sparse-linear'],
  },
  teacher_width: { group: 'task', help: 'Hidden units of the teacher; the student has `hidden`.', tasks: ['teacher-student'] },
  noise: { group: 'task', help: 'Standard deviation of Gaussian label noise.', tasks: ['teacher-student'] },
  seed: { group: 'task', help: 'Seed of the data split and the initialization.' },
  steps: { group: 'schedule', help: 'Training steps.' },
  batch_size: { group: 'schedule', help: 'Minibatch size; empty (null) = full batch, the default of the grokking literature.', models: TOKEN_MODELS },
  d: { group: 'model', help: 'Embedding / model width.', models: TOKEN_MODELS },
  hidden: { group: 'model', help: 'MLP width (the student width, the factor width, the deep linear net width).' },
  heads: { group: 'model', help: 'Attention heads (d must be divisible by heads).', models: ['transformer-1l'] },
  optimizer: { group: 'optimizer', help: 'sgd, adam or adamw (torch.optim rules).' },
  lr: { group: 'optimizer', help: 'Learning rate η.' },
  wd: { group: 'optimizer', help: 'Weight decay λ.' },
  wd_per_layer: { group: 'optimizer', help: 'Per-tensor weight decay overriding wd, keyed by tensor name (e.g. {"E": 0}).' },
  beta1: { group: 'optimizer', help: 'Adam β1.' },
  beta2: { group: 'optimizer', help: 'Adam β2.' },
  eps: { group: 'optimizer', help: 'Adam ε.' },
  momentum: { group: 'optimizer', help: 'SGD momentum.' },
  warmup: { group: 'schedule', help: 'Linear learning-rate warmup steps.' },
  init_scale: { group: 'model', help: 'α: multiplies the default initialization.' },
  eval_every: { group: 'recording', help: 'Steps between metric evaluations.' },
  snapshot_budget: { group: 'recording', help: 'Most weight snapshots kept for the run.' },
  checkpoint_every: { group: 'recording', help: 'Steps between resumable checkpoints.' },
  fast_path: {
    group: 'model',
    help: "auto: embed-MLP and transformer-1L train on the fast path where one applies (same maths, hand-written backward); off: always tfjs autodiff.",
    models: TOKEN_MODELS,
  },
  pairs: { group: 'task', help: 'ordered: every pair (a, b); unordered: only a ≤ b (Musat 2025; commutative ops, gm-two-layer).', tasks: ['modular'], models: ['gm-two-layer'] },
  activation: { group: 'model', help: 'σ of gm-two-layer, Ŷ = σ(XE)W: relu or quadratic.', models: ['gm-two-layer'] },
  dynamics: {
    group: 'optimizer',
    help: 'gm-two-layer: real trains E and W; predicted simulates Eq. 20 (W in closed form each step, E ← E + lr·ΔE, ridge λ = n·p·wd/2 as in a real run; wd 0 = the zero-loss limit).',
    models: ['gm-two-layer'],
  },
}

// Just enough of zod 4's definition objects to read types, bounds and defaults off the schema.
interface ZodDefLike {
  type: string
  innerType?: { def: ZodDefLike }
  defaultValue?: unknown
  entries?: Record<string, string>
  checks?: { _zod: { def: { check: string; value?: number; inclusive?: boolean; format?: string } } }[]
}

/** One form field per config key, generated from runConfigSchema (types, options, bounds, defaults). */
export function configFields(): ConfigField[] {
  const shape = runConfigSchema.shape as unknown as Record<Key, { def: ZodDefLike }>
  return CONFIG_KEYS.map((key) => ({ key, ...fieldType(shape[key].def), ...DESCRIPTIONS[key] }))
}

function fieldType(outer: ZodDefLike): Omit<ConfigField, 'key' | keyof Described> {
  let def = outer
  let nullable = false
  let defaultValue: unknown
  let hasDefault = false
  for (;;) {
    if (def.type === 'default') {
      hasDefault = true
      defaultValue = def.defaultValue
    } else if (def.type === 'nullable') nullable = true
    else if (def.type !== 'optional') break
    def = def.innerType!.def
  }
  const field: Omit<ConfigField, 'key' | keyof Described> = { type: baseType(def), nullable }
  if (hasDefault) field.default = defaultValue
  if (def.entries) field.options = Object.values(def.entries)
  for (const check of def.checks ?? []) {
    const c = check._zod.def
    if (c.check === 'greater_than') {
      field.min = c.value
      if (!c.inclusive) field.exclusiveMin = true
    } else if (c.check === 'less_than') {
      field.max = c.value
      if (!c.inclusive) field.exclusiveMax = true
    }
  }
  return field
}

function baseType(def: ZodDefLike): ConfigField['type'] {
  switch (def.type) {
    case 'number':
      return (def.checks ?? []).some((c) => c._zod.def.check === 'number_format' && /int/.test(c._zod.def.format ?? '')) ? 'integer' : 'number'
    case 'enum':
      return 'enum'
    case 'record':
      return 'record'
    case 'string':
      return 'string'
    default:
      throw new Error(`configFields: no form field for a zod '${def.type}' schema`)
  }
}
