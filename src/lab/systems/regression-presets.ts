import type { Preset } from '../presets'

/** Presets of matrix completion (LD) and two-phase regression (GF). */
export const REGRESSION_PRESETS: Preset[] = [
  {
    name: 'ld-matrix-completion',
    description:
      'Matrix completion (LD): M* = vvᵀ (20×20, rank 1, scaled to rms 1), 30% of entries observed; M = UVᵀ with ' +
      'hidden 100 and large init (α 10 on U; V = 0, so UVᵀ starts at 0), full-batch GD lr 0.5, small weight decay ' +
      '5e-4; loss = MSE over observed entries; accuracy = share of entries with |error| < 0.1·rms(M*). Expect the ' +
      'observed entries to be fit by step ~200 (kernel regime: effective rank of UVᵀ ≈ 9.5, nuclear norm ≈ 35) ' +
      'while the held-out MSE stays at ≈ 1, no better than predicting 0, until step ~4k as ‖θ‖ decays from 41 to ' +
      '17; then it falls 10× by step ~14k and 10⁴× by 60k as UVᵀ moves to the low-rank min-nuclear-norm ' +
      'completion (effective rank → 1.0, e2e_nuclear → target_nuclear = 20): test accuracy ≥ 0.99 (T_gen) near ' +
      'step 41k. Best seen on the log-step axis. With --set init_scale=0.1 (rich regime) the held-out error falls ' +
      'together with the train error: no delay.',
    config: {
      task: 'matrix-completion',
      model: 'matrix-factorization',
      dim: 20,
      rank: 1,
      frac: 0.3,
      hidden: 100,
      init_scale: 10,
      optimizer: 'sgd',
      lr: 0.5,
      wd: 5e-4,
      steps: 60000,
      eval_every: 200,
    },
  },
  {
    name: 'gf-two-phase',
    description:
      'Teacher–student regression (GF): x ~ N(0, I₁₀), teacher = 2 ReLU units, 80 train points (test labels ' +
      'noiseless); student f(x) = aᵀReLU(Wx + b) with 100 units and PyTorch init; loss = mean (f − y)²; full-batch ' +
      'GD lr 0.2, weight decay λ = 2e-3; accuracy = share with |error| < 0.1·rms(labels). Expect a fast phase (train ' +
      'loss below 1e-3 of its start by step ~200, train accuracy 1 by ~300) and then a slow drift along the ' +
      'zero-loss manifold: ‖θ‖ (param_norm) falls from ~4.6 after the fit to ~2.0, half of that drop by ' +
      'λ·η·t ≈ 0.55, while the train loss stays ~0 and the test loss falls from ~0.05 to ~7e-4 (test accuracy ' +
      '≥ 0.99 by step ~16k): norm minimization generalizes. Runs with --set wd=0.001 steps=60000 eval_every=200 ' +
      'and wd=0.004 steps=15000 eval_every=50 collapse onto this one against λ·η·t (series --time-axis lambda-t): ' +
      '‖θ‖ agrees within ~2% at equal λ·η·t.',
    config: {
      task: 'teacher-student',
      model: 'two-layer-relu',
      dim: 10,
      teacher_width: 2,
      n_train: 80,
      n_test: 500,
      noise: 0,
      hidden: 100,
      optimizer: 'sgd',
      lr: 0.2,
      wd: 2e-3,
      steps: 30000,
      eval_every: 100,
    },
  },
]
