import { defineStore } from 'pinia'
import { ref } from 'vue'

/**
 * The step every view on the page points at: the clock plots' hover cursor, the heatmap's and
 * Fourier view's step slider. One value for the page, so scrubbing one view moves the others.
 */
export const useCursorStore = defineStore('cursor', () => {
  /** The step pointed at, or null when nothing is (the views then show their own default). */
  const step = ref<number | null>(null)
  /** Which view set it last, so a view can ignore the echo of its own change. */
  const source = ref<string | null>(null)

  function point(at: number | null, from: string): void {
    step.value = at
    source.value = from
  }

  return { step, source, point }
})
