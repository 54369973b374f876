import type { Preset } from '../presets'
import type { RunConfigInput } from '../../shared/run-config'

const paperTask: Omit<RunConfigInput, 'steps' | 'lr'> = {
  task: 'modular',
  model: 'gm-two-layer',
  pairs: 'unordered',
  op: 'add',
  p: 37,
  frac: 0.7,
  hidden: 512,
  activation: 'relu',
  optimizer: 'sgd',
}

/** Presets of Musat 2025 (GM): norm minimization on the zero-loss manifold. */
export const GM_PRESETS: Preset[] = [
  {
    name: 'gm-two-layer',
    description:
      "Musat 2025's two-layer model Ŷ = σ(XE)W (no biases, ReLU, E 37×512, W 512×37) trained for real on all unordered pairs a ≤ b of (a + b) mod 37 (703 pairs, 70% = 492 train), x = e_a + e_b, one-hot targets; loss = MSE over all n·p entries; full-batch GD lr 5, weight decay 1e-4 (λ = n·p·wd/2 ≈ 0.91 in the paper's units, ‖HW − Y‖² + λ‖θ‖²). Measured (seed 0, eval every 250): train accuracy 1 by step 500 (T_mem) while test accuracy stays ≤ 0.03 to step 2,000, then 0.72 at 3,000 and ≥ 0.99 at 3,500 (T_gen); ‖θ‖ falls 23.4 → 16.8 (step 1,000) → 14.7 (4,000). The prediction-against-reality series: gm_w_gap = ‖W − W_closed(E)‖/‖W_closed‖ falls 1.19 → 0.41 (1,000) → 0.28 through grokking → 0.17 (7,000); gm_delta_cos (real change of E between evaluations against Eq. 20's ΔE) rises to 0.91 near step 1,250, after memorizing, then declines while it groks (0.80 at 3,000, 0.76 at T_gen) and after (0.42 at 7,000): Eq. 20 predicts E's motion best in the memorized, not-yet-general phase.",
    config: { ...paperTask, lr: 5, wd: 1e-4, steps: 8000, eval_every: 250 },
  },
  {
    name: 'gm-simulated',
    description:
      "Musat 2025's simulated dynamics (dynamics: predicted) at the paper's sizes (p 37, unordered pairs, 70% = 492 train, width 512 > n, ReLU): W is the zero-loss closed form Hᵀ(HHᵀ)⁻¹Y of the current E at every step (train loss ~1e-16 throughout, so T_mem = 0), and E ← E + η·ΔE with Eq. 20's ΔE = Xᵀ((A Y Yᵀ A H) ⊙ σ'(XE)) − E, A = (HHᵀ)⁻¹; η 0.01 for 500 steps. Measured (seed 0, eval every 10): test accuracy at chance (0.01–0.04) to step ~250, 0.13 at 350, ≥ 0.99 at 430 (T_gen, η·s = 4.3); the test MSE falls 0.74 → 0.006. The Euler step matters: at the paper's η 1e-3 (--set lr=0.001 --steps 3000, eval every 50; 9 min here) the lab's run stays at chance (≤ 0.02) to step 1,000, rises from 1,100 (0.04) through 1,700 (0.56) and reaches ≥ 0.99 at step 2,050 (η·s = 2.05), as the paper reports (chance for ~1,000 steps, general by 1,000–2,000), with the circle measures 1.12 → 1.03 and 0.12 → 0.035 by step 3,000 and, again, no key frequencies (every frequency 5.4–5.7% of the power); an independent NumPy port of the same maths gives 2,300 at η 1e-3 and 450 at η 0.01: η 0.01 doubles the delay in rescaled time. The grokked embedding has no key frequencies: every frequency holds 5.4–5.7% of E's power (analyze RUN). Its Fourier components become equal circles in orthogonal planes while it groks: gm_circle_ratio (worst |Re F_k|/|Im F_k| or its inverse) 1.24 → 1.045 and gm_circle_cos (worst |cos(Re F_k, Im F_k)|) 0.23 → 0.036 between steps 250 and 500 (a random 512-wide E at init reads 1.12 and 0.12). One Float64 solve of the 492×492 system a step on the host in JS: ≈ 0.55–1 s/step on our loaded 2-core machine (NumPy with OpenBLAS, 1 thread: 43 ms/step).",
    config: { ...paperTask, dynamics: 'predicted', lr: 1e-2, wd: 0, steps: 500, eval_every: 10 },
  },
  {
    name: 'gm-sec46-check',
    description:
      "Sec. 4.6's real-training check: p 11 (66 unordered pairs), width 128, ReLU, MSE, no biases, full-batch GD lr 1. The paper gives neither the train fraction nor a λ that groks at this size; at 70% train and its wd 1e-4 the model memorizes (step 200) and does not generalize in 20,000 steps, so this preset takes 90% train (59 pairs; 7 held out) and wd 1e-3. Measured (seed 0, eval every 200): train accuracy 1 at step 200 (T_mem), test accuracy 0 to step 1,800, 0.43 at 2,400, 0.86 at 3,200 and 1 at 3,800 (T_gen). gm_tangent_cos, the cosine between the real update over the 10 steps before an evaluation and the norm-lowering tangent g̃ = (I − J⁺J)(−θ) at their start (J the Jacobian of the 59×11 training outputs), rises to 0.82 at step 800, in the memorized phase, then falls while the model groks (0.55 at 1,600, 0.37 at 3,200, 0.36 at T_gen) and stays ≈ 0.33 after: real GD follows the manifold's norm-lowering direction most closely before test accuracy moves, not at its rise. gm_delta_cos (E's change against Eq. 20) behaves alike (0.87 → 0.24 at T_gen → 0.13). At 80% train the same settings reach test accuracy 0.54 by step 9,200 with the same cosine profile.",
    config: { ...paperTask, p: 11, hidden: 128, frac: 0.9, lr: 1, wd: 1e-3, steps: 10000, eval_every: 200 },
  },
]
