// Raw HTTP and WebSocket helpers for the server's tests: unlike fetch, they can send any Host and
// Origin header and any request target, as an attacker's client would.
import http from 'node:http'
import { WebSocket } from 'ws'

export interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
  json(): unknown
}

/** One request to 127.0.0.1:port with exactly these headers (Host defaults to this server's). */
export function rawRequest(port: number, method: string, target: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const data = Buffer.concat(chunks)
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data, json: () => JSON.parse(data.toString('utf8')) })
      })
    })
    // The server may answer (413) and close before the whole body is sent.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)))
    req.end(body)
  })
}

/** Opens the event socket; resolves with the socket once open, or the HTTP status it was refused with. */
export function openSocket(port: number, target: string, headers: Record<string, string> = {}): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${target}`, { headers: { Host: `127.0.0.1:${port}`, ...headers } })
    ws.on('open', () => resolve({ ws }))
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode }))
    ws.on('error', () => resolve({ status: -1 }))
  })
}
