import { onMounted, onUnmounted, watch, type Ref } from 'vue'
import { init, type ExtraChartOption } from './echarts-extra'
import { readTheme, type ChartTheme } from './figure-option'
import { cancelDraw, scheduleDraw } from './update-queue'

/**
 * Mounts an ECharts instance on `host` and redraws it whenever `figure` changes, through the
 * shared draw queue so that several Fourier charts updating together never share one long frame.
 * The figures here are small (≤ a few thousand items), so each redraw replaces the whole option.
 */
export function useOptionChart<F>(host: Ref<HTMLDivElement | null>, figure: () => F, toOption: (figure: F, theme: ChartTheme) => ExtraChartOption): void {
  let chart: ReturnType<typeof init> | null = null
  let theme: ChartTheme | null = null
  let observer: ResizeObserver | null = null
  const owner = {}
  const draw = (f: F) => {
    if (chart && theme) chart.setOption(toOption(f, theme), { notMerge: true, lazyUpdate: true })
  }
  onMounted(() => {
    const el = host.value
    if (!el) return
    theme = readTheme(el)
    chart = init(el, null, { renderer: 'canvas' })
    draw(figure())
    observer = new ResizeObserver(() => chart?.resize())
    observer.observe(el)
  })
  onUnmounted(() => {
    cancelDraw(owner)
    observer?.disconnect()
    chart?.dispose()
    chart = null
  })
  watch(figure, (f) => scheduleDraw(owner, () => draw(f), true))
}
