// Chart redraws, one chart per animation frame and each at most every MIN_INTERVAL_MS. A live
// run updates two charts several times a second; drawn in the same frame they made one task long
// enough to stutter the page, while staggered and coalesced each frame stays short.

const MIN_INTERVAL_MS = 150

interface Pending {
  draw: () => void
  due: number
}

const queue = new Map<object, Pending>()
const lastDrawn = new WeakMap<object, number>()
let frame: number | undefined

function run(now: number): void {
  frame = undefined
  for (const [owner, pending] of queue) {
    if (pending.due > now) continue
    queue.delete(owner)
    lastDrawn.set(owner, now)
    pending.draw()
    break
  }
  if (queue.size) frame = requestAnimationFrame(run)
}

/** Draws `draw` for `owner` soon; a later call before it ran replaces it (only the newest state is drawn). */
export function scheduleDraw(owner: object, draw: () => void, immediate = false): void {
  const due = immediate ? 0 : (lastDrawn.get(owner) ?? -Infinity) + MIN_INTERVAL_MS
  const existing = queue.get(owner)
  queue.set(owner, { draw, due: existing ? Math.min(existing.due, due) : due })
  if (frame === undefined) frame = requestAnimationFrame(run)
}

export function cancelDraw(owner: object): void {
  queue.delete(owner)
}
