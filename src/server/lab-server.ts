import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import type { z } from 'zod'
import { API_CONTRACT, type SnapshotTensor } from '../shared/api'
import { isLabError, LabError } from '../shared/lab-error'
import { dispatch } from '../lab/api/dispatch'
import { createLabService, type LabService } from '../lab/api/lab-service'
import { EventsSocket, refuseUpgrade } from './events-socket'
import { HttpError, readJsonBody, sendError, sendJson, sendTensor } from './http-io'
import { decodeQuery } from './query-decode'
import { allowedHosts, foreignRequest, hasToken, hostPort, newToken } from './request-guard'
import { matchRoute } from './routes'
import { serveStatic } from './static-files'

export interface LabServerOptions {
  dbPath: string
  /** Address to bind; default 127.0.0.1 (loopback only). */
  host?: string
  /** Port; 0 picks a free one. Default 5170. */
  port?: number
  /** The built page (out/renderer). */
  rendererDir: string
  /** The credential; default a fresh random one. */
  token?: string
  /** Limits against slow or greedy clients (defaults: SERVER_LIMITS). */
  limits?: Partial<ServerLimits>
}

export interface ServerLimits {
  /** A client must have sent its request headers within this (ms), or gets 408 and is closed. */
  headersTimeoutMs: number
  /** … and its whole request, body included, within this (ms). */
  requestTimeoutMs: number
  /** Open connections (event sockets included) at once; one more is answered 503 and closed. */
  maxConnections: number
}

/** Generous for one user's page (a browser opens about six connections), tight for a slowloris. */
export const SERVER_LIMITS: ServerLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 64 }

export interface LabServer {
  /** The URL to open, token included. */
  url: string
  host: string
  port: number
  token: string
  /** The lab behind the server (tests call it directly). */
  service: LabService
  /** Stops accepting requests, closes the event sockets, cancels training (workers checkpoint) and closes the library. */
  close(): Promise<void>
}

export const DEFAULT_PORT = 5170

const UNAUTHORIZED = "missing or wrong token; use the URL 'grokking-lab serve' printed (header Authorization: Bearer TOKEN, or ?token=TOKEN)"

/**
 * Browser mode: the lab's typed API over loopback HTTP (routes from API_CONTRACT), its events over
 * a WebSocket, and the built page. Every /api request needs the token; Host and Origin must be this
 * server's. Training stays in worker processes; this event loop only answers requests.
 */
export async function startLabServer(options: LabServerOptions): Promise<LabServer> {
  const host = options.host ?? '127.0.0.1'
  const token = options.token ?? newToken()
  const events = new EventsSocket()
  const service = createLabService({ dbPath: options.dbPath, mode: 'browser' }, (event, payload) => events.broadcast(event, payload))
  let hosts = new Set<string>()
  const limits = { ...SERVER_LIMITS, ...options.limits }
  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node looks for overdue requests this often; its default (30 s) would let a slow client sit past the timeouts.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, limits.headersTimeoutMs / 4)),
    },
    (req, res) => {
      if (refused.has(req.socket)) return void req.socket.destroy()
      handle(req, res).catch((e) => {
        console.error('[lab] request failed:', e)
        sendError(res, 500, 'the lab failed to answer; see the server log')
      })
    },
  )
  // Node's parser still reads a refused socket: what it parses there must never reach the lab.
  const refused = capConnections(server, limits.maxConnections)

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    const url = parseTarget(req.url)
    if (!url) return sendError(res, 400, 'malformed request target')
    const refusal = foreignRequest(req, hosts)
    if (refusal) return sendError(res, 403, refusal)
    if (url.pathname !== '/api' && !url.pathname.startsWith('/api/')) return serveStatic(options.rendererDir, url.pathname, req, res)
    if (!hasToken(req, url.searchParams, token)) return sendError(res, 401, UNAUTHORIZED, { 'WWW-Authenticate': 'Bearer' })
    let segments: string[]
    try {
      segments = url.pathname.split('/').slice(1).map(decodeURIComponent)
    } catch {
      return sendError(res, 400, `malformed path ${url.pathname}`)
    }
    const match = matchRoute(req.method ?? 'GET', segments)
    if (!match) return sendError(res, 404, `no route ${req.method} ${url.pathname} (docs/http-api.md lists the routes)`)
    try {
      const schema = API_CONTRACT[match.channel].request as unknown as z.ZodObject
      const fields = req.method === 'GET' || req.method === 'DELETE' ? decodeQuery(schema, url.searchParams) : await readJsonBody(req)
      const result = await dispatch(service, match.channel, { ...fields, ...match.params })
      if (match.channel === 'snapshots:tensor') sendTensor(res, result as SnapshotTensor)
      else sendJson(res, 200, result)
    } catch (e) {
      if (e instanceof HttpError) return sendError(res, e.status, e.message, e.status === 413 ? { Connection: 'close' } : {})
      if (isLabError(e)) return sendError(res, 400, e.message)
      console.error(`[lab] ${match.channel} failed:`, e)
      sendError(res, 500, `${match.channel} failed: ${(e as Error)?.message ?? e}`)
    }
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    if (refused.has(socket)) return void socket.destroy()
    const url = parseTarget(req.url)
    if (!url || url.pathname !== '/api/events') return refuseUpgrade(socket, 404, 'Not Found', 'the event socket is /api/events')
    const refusal = foreignRequest(req, hosts)
    if (refusal) return refuseUpgrade(socket, 403, 'Forbidden', refusal)
    if (!hasToken(req, url.searchParams, token)) return refuseUpgrade(socket, 401, 'Unauthorized', UNAUTHORIZED)
    events.accept(req, socket, head)
  })

  let port: number
  try {
    port = await listen(server, options.port ?? DEFAULT_PORT, host)
  } catch (e) {
    events.close()
    await service.close()
    throw e
  }
  hosts = allowedHosts(host, port)
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
  let closing: Promise<void> | undefined
  return {
    url: `http://${hostPort(shown, port)}/?token=${token}`,
    host,
    port,
    token,
    service,
    close: () =>
      (closing ??= (async () => {
        events.close()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
        await service.close()
      })()),
  }
}

/**
 * Answers connections beyond `max` with 503 and closes them, so a flood of sockets cannot take
 * the file descriptors or memory the page's own connections need; those keep being served.
 */
function capConnections(server: http.Server, max: number): WeakSet<object> {
  const refused = new WeakSet<object>()
  let open = 0
  server.on('connection', (socket: Socket) => {
    open++
    socket.once('close', () => open--)
    if (open <= max) return
    refused.add(socket)
    const body = JSON.stringify({ error: `too many connections (more than ${max}); close some tabs or clients and retry` })
    socket.on('error', () => socket.destroy())
    socket.end(`HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
  })
  return refused
}

/** The request target as a URL; null when it is not a path (`http://…` proxies, `*`). */
function parseTarget(target: string | undefined): URL | null {
  if (!target?.startsWith('/')) return null
  try {
    return new URL(`http://server${target}`)
  } catch {
    return null
  }
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new LabError(`port ${port} on ${host} is already in use; pass --port N for another (--port 0 picks a free one)`))
      else if (e.code === 'EACCES') reject(new LabError(`no permission to listen on port ${port}; pass --port N above 1023 (--port 0 picks a free one)`))
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') reject(new LabError(`cannot listen on ${host}: no such local address; pass --host with one of this machine's addresses`))
      else reject(e)
    })
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port))
  })
}
