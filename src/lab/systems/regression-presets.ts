import type { Preset } from '../presets'

/** Presets of matrix completion (LD) and two-phase regression (GF). */
export const REGRESSION_PRESETS: Preset[] = []
