// What to export: one figure of the lab's views, named the same way by the CLI's flags and the
// app's Export dialog, so that both build it with one function (build-export-figure.ts).
import { z } from 'zod'
import { CLOCK_X_AXES } from '../clock-plot'
import { styleNameSchema, styleOverridesSchema } from './figure-style'

export const EXPORT_FIGURES = [
  'curves',
  'clocks',
  'heatmap',
  'fourier',
  'fourier-time',
  'neurons',
  'circles',
  'concentration',
  'energy',
  'energy-gap',
  'balancedness',
  'transition',
  'distance',
  'collapse',
  'sweep',
  'phase',
] as const
export type ExportFigureName = (typeof EXPORT_FIGURES)[number]
export const EXPORT_FORMATS = ['svg', 'pdf', 'png', 'tex', 'csv', 'json'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]
export const FOURIER_VIEWS = ['embedding', 'unembed', 'neurons', 'outputMap'] as const
/** A heatmap's colour scale: max |value| over every snapshot of the tensor (the page's default), or this step's. */
export const HEATMAP_SCALES = ['shared', 'step'] as const
/** The metrics the λ collapse draws against λ·η·t. */
export const COLLAPSE_METRICS = ['param_norm', 'test_loss'] as const
/** The per-system views' figures (run page, system tab). */
const SYSTEM_FIGURES: string[] = ['energy', 'energy-gap', 'balancedness', 'transition', 'distance', 'collapse']
/** Figures of one run's own view (run page tabs): one run id, except the λ collapse. */
const ONE_RUN: string[] = ['heatmap', 'fourier', 'fourier-time', 'neurons', 'circles', 'concentration', 'energy', 'energy-gap', 'balancedness', 'transition', 'distance']

/** What each figure shows, for help texts. */
export const EXPORT_FIGURE_HELP: Record<ExportFigureName, string> = {
  curves: 'the chosen metrics of the runs overlaid, with their clocks as markers',
  clocks: 'small multiples: one column per run, one row per metric pair, shared axes',
  heatmap: "one tensor of a run's snapshot (--tensor, --step), optionally rows sorted by dominant frequency",
  fourier: "power per frequency of a token view at a snapshot, key frequencies marked",
  'fourier-time': 'share of power of every frequency at every snapshot',
  neurons: 'the neurons sorted by dominant frequency at a snapshot, each bar its share (--step)',
  circles: "the tokens in one frequency's cos/sin plane of the embedding (--frequency, default the first key frequency; --step)",
  concentration: "Gini and IPR of the spectrum over the run (--view; --step marks a step)",
  energy: 'deep linear nets: structural energy and its Schatten floor, with T_fit, T_margin, T_struct',
  'energy-gap': 'deep linear nets: the gap E − floor, with T_struct',
  balancedness: 'deep linear nets: balancedness and relative gap with the δ line (--delta)',
  transition: 'large init (LD): the test metric against the predicted transition (1/λ)·log α (--x step|log-step)',
  distance: 'large init (LD): distance from init ‖θ − θ₀‖/‖θ₀‖ (--x step|log-step)',
  collapse: 'two-phase regression (GF): ‖θ‖ (or --metrics test_loss) of several runs against λ·η·t; the first run is this run',
  sweep: "a clock against a swept key on log–log axes, with the fit, its 95 % slopes and the theory's slope",
  phase: 'the phase of every grid point over the first two swept keys',
}

const runId = z.number().int().positive()

export const exportRequestSchema = z
  .object({
    figure: z.enum(EXPORT_FIGURES),
    runs: z.array(runId).max(24, 'export at most 24 runs in one figure').default([]),
    sweep: z.number().int().positive().optional(),
    /** Curves and clocks: stored metric names (train_X and test_X pair up in one chart). */
    metrics: z.array(z.string().min(1)).min(1).optional(),
    x: z.enum(CLOCK_X_AXES).default('step'),
    logY: z.boolean().default(false),
    thresholds: z
      .object({ epsilon: z.number().positive().optional(), accuracy: z.number().gt(0).max(1).optional(), delta: z.number().positive().optional() })
      .strict()
      .optional(),
    tensor: z.string().min(1).optional(),
    /** Snapshot step (heatmap, fourier); absent = the last. */
    step: z.number().int().min(0).optional(),
    /** Heatmap rows (or columns) sorted by dominant frequency. */
    sort: z.boolean().default(false),
    view: z.enum(FOURIER_VIEWS).default('embedding'),
    /** Heatmap: the colour scale, as the page's Scale menu. */
    scale: z.enum(HEATMAP_SCALES).default('shared'),
    /** Circles: the frequency k whose cos/sin plane is drawn; absent = the first the page draws. */
    frequency: z.number().int().positive().optional(),
    /** Sweep: which fit (clock and swept key); absent = the first fit that has a line. */
    clock: z.string().optional(),
    key: z.string().optional(),
    /** Sweep: the values the fit holds fixed (one fit per combination of the other keys). */
    fixed: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.figure === 'collapse' && r.metrics && (r.metrics.length !== 1 || !(COLLAPSE_METRICS as readonly string[]).includes(r.metrics[0]))) {
      ctx.addIssue({ code: 'custom', path: ['metrics'], message: `the collapse figure draws one of ${COLLAPSE_METRICS.join(', ')}` })
    }
    const sweepFigure = r.figure === 'sweep' || r.figure === 'phase'
    if (sweepFigure && r.sweep === undefined) ctx.addIssue({ code: 'custom', path: ['sweep'], message: `the ${r.figure} figure needs a sweep id` })
    if (!sweepFigure && r.runs.length === 0) ctx.addIssue({ code: 'custom', path: ['runs'], message: `the ${r.figure} figure needs at least one run` })
    const stepAxes = r.figure === 'transition' || r.figure === 'distance' ? ['step', 'log-step'] : SYSTEM_FIGURES.includes(r.figure) ? ['step'] : null
    if (stepAxes && !stepAxes.includes(r.x)) ctx.addIssue({ code: 'custom', path: ['x'], message: `the ${r.figure} figure is drawn on ${stepAxes.join(' or ')}, as its view` })
    if (ONE_RUN.includes(r.figure) && r.runs.length > 1) ctx.addIssue({ code: 'custom', path: ['runs'], message: `the ${r.figure} figure shows one run; give one run id` })
  })

export type ExportRequest = z.input<typeof exportRequestSchema>
export type ParsedExportRequest = z.output<typeof exportRequestSchema>

/** A style for one export: a saved or built-in preset by name, with fields overriding it. */
export const exportStyleSchema = z.object({ preset: styleNameSchema.optional(), overrides: styleOverridesSchema.default({}) }).strict()
export type ExportStyleChoice = z.input<typeof exportStyleSchema>
