import type { Preset } from '../presets'

/** Presets of the deep and diagonal linear systems (TC, LD). */
export const LINEAR_PRESETS: Preset[] = []
