import { onMounted, onUnmounted } from 'vue'

/** Keeps a store's event subscriptions alive while the calling component is mounted. */
export function useAttach(...attachers: (() => () => void)[]): void {
  let detachers: (() => void)[] = []
  onMounted(() => {
    detachers = attachers.map((attach) => attach())
  })
  onUnmounted(() => {
    for (const detach of detachers) detach()
    detachers = []
  })
}
