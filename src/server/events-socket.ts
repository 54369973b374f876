import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer } from 'ws'
import type { LabEventName, LabEvents } from '../shared/api'

/** A page that stops reading is dropped once this much is queued for it, rather than growing the server without bound. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024

/** The /api/events WebSocket: every lab event goes to every connected page as `{"event", "payload"}`. */
export class EventsSocket {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 })

  /** Takes over an upgrade request that has already passed the guards. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      // Pages only listen; whatever they send is ignored.
      ws.on('error', () => ws.terminate())
    })
  }

  /** Sends one event to every open page. */
  broadcast<E extends LabEventName>(event: E, payload: LabEvents[E]): void {
    const text = JSON.stringify({ event, payload })
    for (const ws of this.wss.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) ws.terminate()
      else ws.send(text)
    }
  }

  /** Closes every connection. */
  close(): void {
    for (const ws of this.wss.clients) ws.terminate()
    this.wss.close()
  }
}

/** Answers an upgrade request with a plain HTTP status and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string, message: string): void {
  const body = JSON.stringify({ error: message })
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
}
