import crypto from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import os from 'node:os'

/** A fresh credential for one server: 192 random bits, URL-safe. */
export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url')
}

const digest = (s: string) => crypto.createHash('sha256').update(s).digest()

/** Whether the request carries the token (`Authorization: Bearer TOKEN` or `?token=TOKEN`), compared in constant time. */
export function hasToken(req: IncomingMessage, query: URLSearchParams, token: string): boolean {
  const header = req.headers.authorization
  const given = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : query.get('token')
  // Hashing first gives timingSafeEqual equal lengths whatever was sent.
  return typeof given === 'string' && crypto.timingSafeEqual(digest(given), digest(token))
}

const WILDCARDS = new Set(['0.0.0.0', '::', ''])

/** `host:port` with IPv6 addresses bracketed. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`
}

/**
 * The Host headers a request may carry: the loopback names and the --host address (every local
 * address when it is a wildcard). Anything else is DNS rebinding or a misrouted request.
 */
export function allowedHosts(host: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '::1', host])
  if (WILDCARDS.has(host)) {
    for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) names.add(a.address)
    names.add(os.hostname())
  }
  const named = [...names].filter((n) => !WILDCARDS.has(n))
  // Browsers leave the default port out of Host and Origin.
  const bare = port === 80 ? named.map((n) => (n.includes(':') ? `[${n}]` : n)) : []
  return new Set([...named.map((n) => hostPort(n, port)), ...bare].map((n) => n.toLowerCase()))
}

/** Why a request must be refused with 403 (a foreign Host or Origin), or null when it may proceed. */
export function foreignRequest(req: IncomingMessage, hosts: Set<string>): string | null {
  const host = req.headers.host?.toLowerCase()
  if (!host || !hosts.has(host)) return `Host '${req.headers.host ?? ''}' is not this server; open the URL grokking-lab serve printed`
  const origin = req.headers.origin
  if (origin !== undefined) {
    const m = /^http:\/\/(.+)$/i.exec(origin)
    if (!m || !hosts.has(m[1].toLowerCase())) return `requests from origin '${origin}' are not allowed`
  }
  return null
}

/** Whether an address is a loopback one (no warning needed). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host)
}
