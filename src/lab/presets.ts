import { LabError } from '../shared/lab-error'
import type { RunConfigInput } from '../shared/run-config'
import { GM_PRESETS } from './systems/gm-presets'
import { LINEAR_PRESETS } from './systems/linear-presets'
import { REGRESSION_PRESETS } from './systems/regression-presets'

export interface Preset {
  name: string
  /** What the run shows and what the user should expect to see. */
  description: string
  config: RunConfigInput
}

const modAddMlp: RunConfigInput = {
  model: 'embed-mlp',
  p: 97,
  op: 'add',
  frac: 0.4,
  d: 128,
  hidden: 512,
  optimizer: 'adamw',
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.98,
  wd: 1.0,
  // Past T_struct (≈ 12k here), so the run shows the cleanup: the embedding settles on a few frequencies.
  steps: 20000,
  eval_every: 20,
}

/** Named configs that reproduce the lab's reference experiments. */
export const PRESETS: Preset[] = [
  {
    name: 'modadd-mlp',
    description:
      'embed-MLP on (a + b) mod 97, 40% of pairs for training, full-batch AdamW (lr 1e-3, betas 0.9/0.98, wd 1.0). ' +
      'Expect train accuracy to reach 1 within a few hundred steps while test accuracy stays near 0, then test accuracy ' +
      'to jump to ≥ 0.99 thousands of steps later as the weight norm falls: grokking (T_mem ≈ 80, T_gen ≈ 3,900). ' +
      'Training goes on past T_struct (≈ 12k): the embedding, spread over many frequencies when it groks, settles on ' +
      '9–12 key frequencies carrying about 97% of its power (analyze RUN), nearly every neuron tuned to one of them.',
    config: modAddMlp,
  },
  {
    name: 'modadd-mlp-nowd',
    description:
      'modadd-mlp without weight decay (wd 0), same budget. Expect it to memorize the training pairs just as fast ' +
      'but stay below 0.5 test accuracy: without the slow norm-shrinking drift there is no grokking.',
    config: { ...modAddMlp, wd: 0 },
  },
  {
    name: 'modadd-mlp-small',
    description:
      'A small, quick version of modadd-mlp (p 31, 60% train, d 64, hidden 256, lr 3e-3) that groks on a CPU in under ' +
      'a minute: train accuracy reaches 1 by step ~100, test accuracy ≥ 0.99 around step 1,300–2,200 (seed-dependent). ' +
      'With --set wd=0 it memorizes just as fast and test accuracy stays near 0.',
    config: { ...modAddMlp, p: 31, frac: 0.6, d: 64, hidden: 256, lr: 3e-3, steps: 3000 },
  },
  {
    name: 'tc-relu-embed',
    description:
      "TC's two-layer ReLU embedding model: embed-MLP on (a + b) mod 47, 50% train, AdamW lr 2e-3, wd 1. Watch " +
      'grad_ratio_head (‖∇ head‖ / ‖∇ embedding block‖): about 1.6 for the first few hundred steps (the classifier ' +
      'head gets the larger effective gradient and moves first), below 1 by the time it groks. Watch relu_churn ' +
      '(share of train-set on/off states that changed since the last eval): it falls about 5× within ~100 steps of ' +
      'memorizing (8% → under 2%), long before T_gen ≈ 1,900, then creeps up slowly (to ~3.5%): the activation ' +
      'patterns settle early (the conditional-linear region) rather than freezing completely.',
    config: { ...modAddMlp, p: 47, frac: 0.5, lr: 2e-3, steps: 3000 },
  },
  {
    name: 'nanda-transformer',
    description:
      "Nanda et al.'s one-layer transformer on (a + b) mod 113 with 30% of pairs, full-batch AdamW lr 1e-3, wd 1.0, " +
      'betas 0.9/0.98, 10-step warmup. Expect train loss < 1e-2 within a few hundred steps and test loss to fall below ' +
      '0.1 around 8k–9k steps (seed-dependent), with a handful of key Fourier frequencies emerging in the embedding.',
    config: {
      model: 'transformer-1l',
      p: 113,
      op: 'add',
      frac: 0.3,
      d: 128,
      heads: 4,
      hidden: 512,
      optimizer: 'adamw',
      lr: 1e-3,
      beta1: 0.9,
      beta2: 0.98,
      wd: 1.0,
      warmup: 10,
      steps: 15000,
      eval_every: 50,
    },
  },
  ...LINEAR_PRESETS,
  ...REGRESSION_PRESETS,
  ...GM_PRESETS,
]

/** The preset with this name; throws LabError listing the known presets. */
export function getPreset(name: string): Preset {
  const preset = PRESETS.find((p) => p.name === name)
  if (!preset) throw new LabError(`unknown preset '${name}' (presets: ${PRESETS.map((p) => p.name).join(', ')})`)
  return preset
}
