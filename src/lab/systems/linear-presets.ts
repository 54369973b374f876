import type { RunConfigInput } from '../../shared/run-config'
import type { Preset } from '../presets'

// Tuned on a 2-core CPU (wasm backend, ~0.5–1 ms a step); each runs in well under a minute.
// Gradient-flow time is t = lr × step (minus lr × warmup / 2 when a warmup is set).

const tcDeepLinear: RunConfigInput = {
  task: 'low-rank-teacher',
  model: 'deep-linear',
  dim: 30,
  classes: 5,
  rank: 2,
  n_train: 20,
  n_test: 1000,
  depth: 3,
  hidden: 32,
  optimizer: 'sgd',
  lr: 0.05,
  wd: 0.004,
  steps: 15000,
  eval_every: 50,
}

// Large α, small λ; a 500-step warmup keeps the first steps stable at α = 100 (the kernel
// α²‖x‖² makes the initial curvature huge), and costs only lr × 250 = 12.5 of gradient-flow time.
const ldDiagonal: RunConfigInput = {
  task: 'sparse-linear',
  model: 'diagonal-linear',
  input_dist: 'rademacher',
  dim: 200,
  sparsity: 3,
  n_train: 60,
  n_test: 2000,
  optimizer: 'sgd',
  lr: 0.05,
  warmup: 500,
  wd: 0.01,
  init_scale: 100,
  steps: 20000,
  eval_every: 80,
}

const ldMisgrok: RunConfigInput = {
  ...ldDiagonal,
  input_dist: 'gaussian',
  dim: 1000,
  sparsity: 1000,
  n_train: 30,
  wd: 0.02,
  steps: 16000,
  eval_every: 50,
}

/** Presets of the deep and diagonal linear systems (TC, LD). */
export const LINEAR_PRESETS: Preset[] = [
  {
    name: 'tc-deep-linear',
    description:
      'Depth-3 deep linear net (hidden 32) on a rank-2 linear teacher (30 inputs, 5 classes, 20 training points), ' +
      'full-batch GD lr 0.05 with weight decay 0.004 on every layer. Expect two clocks: the fitting clock closes ' +
      'within a few hundred steps (min train margin > 0 by step ~50, train loss ≤ 0.01 by T_fit ≈ 200), while the ' +
      'structural energy Σ(λ/2)‖W_l‖² keeps falling toward its Schatten floor (λL/2)‖M‖_{S_2/3}^{2/3} for thousands ' +
      'of steps: energy_gap (0.10 → 2e-4), relative_energy_gap (0.8 → 0.01) and balancedness_gap shrink on the slow ' +
      '1/λ clock, about e-fold every 1/(2·λ·lr) = 2,500 steps, so T_struct ≈ 10.7k ≫ T_fit; the end-to-end map ' +
      "settles to effective rank 2, the teacher's.",
    config: tcDeepLinear,
  },
  {
    name: 'ld-diagonal-sparse',
    description:
      "LD's grokking: diagonal linear net f(x) = ⟨u² − v², x⟩ with large init α = 100 and small weight decay " +
      'λ = 0.01 on sparse linear classification (200 Rademacher inputs, a 3-sparse teacher, 60 training points), ' +
      'logistic loss, full-batch GD lr 0.05. Expect train accuracy 1 within ~100 steps while test accuracy stays ' +
      '≈ 0.66 (the kernel predictor), then a jump to 1 once gradient-flow time t = lr·step passes ≈ (1/λ)·log α = 460: ' +
      'test accuracy 0.9 at step ≈ 13.8k (t ≈ 1.5× that), T_gen ≈ 15.6k. The jump obeys λ·t ≈ log α + 2.2, so each ' +
      'tenfold α delays it by log(10)/λ (try --set init_scale=1000). As β turns sparse (the ℓ1 max-margin ' +
      "predictor), beta_eff_support falls from ≈ 110 to ≈ 5 and support_share (ℓ1 mass on w*'s support) rises " +
      'from 0.07 to 0.8.',
    config: ldDiagonal,
  },
  // LD's misgrokking needs inputs separated from the teacher's boundary by a large ℓ2 margin.
  {
    name: 'ld-diagonal-misgrok',
    description:
      "LD's misgrokking: the ld-diagonal-sparse net (α = 100, λ = 0.02) on data that a dense direction separates " +
      'by a large ℓ2 margin (1000 Gaussian inputs, a dense ±1 teacher, every input ≥ 3 from its boundary, 30 ' +
      'training points). Expect the kernel regime (ℓ2 bias) to generalize: test accuracy ≈ 0.99 from the first ' +
      'evaluations. Then, after t ≈ (1/λ)·log α = 230 (the fall runs over steps 7k–10k, t ≈ 1.5–2× that), the ' +
      'late ℓ1 bias makes β sparse (beta_eff_support ≈ 670 → 20) and test accuracy falls to ≈ 0.69 while train ' +
      'accuracy stays 1.',
    config: { ...ldMisgrok, boundary_margin: 3 },
  },
]
