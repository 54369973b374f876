import type { LabEventName, LabEvents } from '../../../shared/api'

type Listener = (payload: never) => void

const FIRST_RETRY_MS = 500
const MAX_RETRY_MS = 10_000
// Views unsubscribe and resubscribe on every route change; keep the socket through that churn.
const IDLE_CLOSE_MS = 5_000

/**
 * Lab events over one WebSocket, reconnecting with exponential backoff while anyone listens.
 * Events sent while it was down are lost, so `onReconnect` lets stores reload what they show.
 */
export class EventSocket {
  private socket: WebSocket | null = null
  private readonly listeners = new Map<string, Set<Listener>>()
  private readonly reconnectListeners = new Set<() => void>()
  private retryMs = FIRST_RETRY_MS
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private idleTimer: ReturnType<typeof setTimeout> | undefined
  private everOpened = false
  private stopped = false

  constructor(private readonly url: string) {}

  on<E extends LabEventName>(event: E, listener: (payload: LabEvents[E]) => void): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    const entry = listener as Listener
    set.add(entry)
    this.ensureOpen()
    return () => {
      set.delete(entry)
      if (set.size === 0) this.listeners.delete(event)
      this.closeWhenIdle()
    }
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener)
    return () => this.reconnectListeners.delete(listener)
  }

  /** Closes the stream for good (the token was refused: retrying would only fail again). */
  stop(): void {
    this.stopped = true
    clearTimeout(this.retryTimer)
    clearTimeout(this.idleTimer)
    const socket = this.socket
    this.socket = null
    socket?.close()
  }

  private ensureOpen(): void {
    if (this.stopped) return
    clearTimeout(this.idleTimer)
    this.idleTimer = undefined
    if (this.socket || this.retryTimer !== undefined) return
    this.connect()
  }

  private connect(): void {
    this.retryTimer = undefined
    const socket = new WebSocket(this.url)
    this.socket = socket
    socket.onopen = () => {
      this.retryMs = FIRST_RETRY_MS
      if (this.everOpened) for (const fn of this.reconnectListeners) fn()
      this.everOpened = true
    }
    socket.onmessage = (message) => this.dispatch(message.data)
    socket.onclose = () => {
      if (this.socket !== socket) return
      this.socket = null
      if (this.listeners.size === 0 || this.stopped) return
      this.retryTimer = setTimeout(() => this.connect(), this.retryMs)
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS)
    }
  }

  private dispatch(data: unknown): void {
    if (typeof data !== 'string') return
    let frame: { event?: unknown; payload?: unknown }
    try {
      frame = JSON.parse(data)
    } catch {
      return
    }
    const set = typeof frame.event === 'string' ? this.listeners.get(frame.event) : undefined
    if (!set) return
    for (const listener of [...set]) {
      try {
        listener(frame.payload as never)
      } catch (e) {
        // One broken view must not starve the others of events.
        console.error(e)
      }
    }
  }

  private closeWhenIdle(): void {
    if (this.listeners.size > 0 || this.idleTimer !== undefined) return
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined
      if (this.listeners.size > 0) return
      clearTimeout(this.retryTimer)
      this.retryTimer = undefined
      const socket = this.socket
      this.socket = null
      socket?.close()
    }, IDLE_CLOSE_MS)
  }
}
