import { OKABE_ITO } from './palette'
import type { FigureMarker, LineDash } from './line-figure'

/** The clocks of a run in the order they usually fire (SCIENCE.md "Clocks"). */
export const CLOCK_NAMES = ['T_fit', 'T_margin', 'T_mem', 'T_gen', 'T_struct', 'T_freeze'] as const
export type ClockName = (typeof CLOCK_NAMES)[number]

/** The step of each clock, null while it has not fired. `Clocks` from the analysis fits this. */
export type ClockSteps = Partial<Record<ClockName, number | null>>

/** T_mem shares the train curves' colour and T_gen the test curves', so a marker points at its curve. */
export const CLOCK_COLORS: Record<ClockName, string> = {
  T_fit: OKABE_ITO.bluishGreen,
  T_margin: OKABE_ITO.reddishPurple,
  T_mem: OKABE_ITO.skyBlue,
  T_gen: OKABE_ITO.orange,
  T_struct: OKABE_ITO.vermillion,
  T_freeze: OKABE_ITO.yellow,
}

export const CLOCK_HELP: Record<ClockName, string> = {
  T_fit: 'first step with train cross-entropy ≤ ε',
  T_margin: 'first step with every train margin positive',
  T_mem: 'first step with train accuracy ≥ 99%',
  T_gen: 'first step with test accuracy ≥ 99%',
  T_struct: 'structural energy stays within δ of its final value from here on',
  T_freeze: 'ReLU pattern churn stays below its threshold from here on',
}

export interface ClockMarkerOptions {
  names?: readonly ClockName[]
  /** One colour for every marker (one run's colour in a comparison); default CLOCK_COLORS. */
  color?: string
  /** Appended to each label, e.g. ` #12`. */
  suffix?: string
  runId?: number
  dash?: LineDash | ((name: ClockName) => LineDash)
}

/** Vertical markers for the clocks that have fired. */
export function clockMarkers(clocks: ClockSteps | null | undefined, options: ClockMarkerOptions = {}): FigureMarker[] {
  if (!clocks) return []
  const markers: FigureMarker[] = []
  for (const name of options.names ?? CLOCK_NAMES) {
    const x = clocks[name]
    if (x == null || !Number.isFinite(x)) continue
    const dash = typeof options.dash === 'function' ? options.dash(name) : (options.dash ?? 'dashed')
    const marker: FigureMarker = { x, label: `${name}${options.suffix ?? ''}`, color: options.color ?? CLOCK_COLORS[name], dash }
    if (options.runId !== undefined) marker.runId = options.runId
    markers.push(marker)
  }
  return markers
}

/** First step whose value reaches the threshold (the live T_mem / T_gen), or null. */
export function firstStepAtLeast(steps: readonly number[], values: readonly number[], threshold: number): number | null {
  for (let i = 0; i < values.length; i++) if (values[i] >= threshold) return steps[i]
  return null
}
