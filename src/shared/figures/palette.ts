// Okabe & Ito's colour-blind-safe palette (Okabe & Ito 2008, "Color Universal Design"). Every
// figure draws from it so that curves stay distinguishable for deuteranopes and protanopes, and so
// that exported figures look the same as the ones on screen.

export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const

/**
 * Colours for one curve per run, in order. Black is left out (invisible on the dark theme) and
 * yellow comes last because it is faint on white paper.
 */
export const SERIES_COLORS: readonly string[] = [
  OKABE_ITO.skyBlue,
  OKABE_ITO.orange,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.vermillion,
  OKABE_ITO.blue,
  OKABE_ITO.yellow,
]

/** The colour of the i-th run of a figure; cycles past the end of the palette. */
export function seriesColor(index: number): string {
  const n = SERIES_COLORS.length
  return SERIES_COLORS[((index % n) + n) % n]
}

/** Train curves are sky blue and test curves orange in every single-run figure. */
export const SPLIT_COLORS = { train: OKABE_ITO.skyBlue, test: OKABE_ITO.orange } as const
