// Hostile requests at a running `serve`: wrong types, oversized bodies, unknown channels, path
// traversal, bad credentials, slow clients and a flood of connections. Each gets a 4xx (503 for
// the connection cap), nothing reaches the library, and the server keeps answering.
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSocket, rawRequest, type RawResponse } from '../helpers/raw-http'
import { useTempDir } from '../helpers/temp-dir'
import { parseRunConfig } from '../../src/shared/run-config'
import { RunStore } from '../../src/lab/store/run-store'
import { checkLibrary } from '../../src/lab/store/library-check'
import { startLabServer, type LabServer } from '../../src/server/lab-server'
import { count } from './reliability-counts'

const LIMITS = { headersTimeoutMs: 400, requestTimeoutMs: 800, maxConnections: 8 }

/** Raw bytes on a fresh socket; resolves with everything the server sent before it closed. */
function rawExchange(port: number, send: (socket: net.Socket) => void): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    let got = ''
    socket.on('data', (d) => (got += d.toString()))
    socket.on('error', () => resolve(got))
    socket.on('close', () => resolve(got))
    socket.on('connect', () => send(socket))
  })
}

const statusOf = (reply: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0)

describe('bad requests at a running server', () => {
  const tempDir = useTempDir()
  let server: LabServer
  let dir: string
  let dbPath: string
  beforeAll(async () => {
    dir = fs.mkdtempSync('/tmp/grokking-lab-bad-requests-')
    dbPath = path.join(dir, 'lib.sqlite')
    const store = RunStore.open(dbPath)
    store.createRun({ name: 'seeded', preset: null, config: parseRunConfig({ p: 7, steps: 100, lr: 1e-3 }), appVersion: 't', tags: ['a'] })
    store.close()
    const page = path.join(dir, 'page')
    fs.mkdirSync(path.join(page, 'assets'), { recursive: true })
    fs.writeFileSync(path.join(page, 'index.html'), '<!doctype html><title>lab</title>')
    fs.writeFileSync(path.join(page, 'assets', 'app.js'), 'console.log(1)')
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'TOP-SECRET-CONTENT')
    server = await startLabServer({ dbPath, port: 0, rendererDir: page, limits: LIMITS })
  })
  afterAll(async () => {
    await server?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })
  void tempDir

  it('answers every one with a 4xx, and still serves a normal request after them all', async () => {
    const port = server.port
    const auth = { Authorization: `Bearer ${server.token}` }
    const json = { ...auth, 'Content-Type': 'application/json' }
    const send = (method: string, target: string, body?: unknown, headers: Record<string, string> = json) =>
      rawRequest(port, method, target, headers, body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body))
    const cases: [string, () => Promise<RawResponse>, number][] = [
      // Unknown channels and methods.
      ['unknown channel', () => send('GET', '/api/nope'), 404],
      ['unknown sub-route', () => send('GET', '/api/runs/1/nope'), 404],
      ['wrong method', () => send('DELETE', '/api/info'), 404],
      ['PUT', () => send('PUT', '/api/runs', {}), 404],
      // Wrong types and values.
      ['run id not a number', () => send('GET', '/api/runs/abc'), 400],
      ['negative run id', () => send('GET', '/api/runs/-1'), 400],
      ['fractional run id', () => send('GET', '/api/runs/1.5/metrics'), 400],
      ['no such run', () => send('GET', '/api/runs/99999'), 400],
      ['unknown query key', () => send('GET', '/api/info?extra=1'), 400],
      ['runIds a string', () => send('POST', '/api/runs/tag', { runIds: 'x', add: ['t'] }), 400],
      ['tag a number', () => send('POST', '/api/runs/tag', { runIds: [1], add: [5] }), 400],
      ['name a number', () => send('PATCH', '/api/runs/1', { name: 5 }), 400],
      ['name too long', () => send('PATCH', '/api/runs/1', { name: 'x'.repeat(300) }), 400],
      ['config not an object', () => send('POST', '/api/training', { config: 5 }), 400],
      ['config lr a string', () => send('POST', '/api/training', { config: { steps: 10, lr: 'abc' } }), 400],
      ['config lr Infinity', () => send('POST', '/api/training', '{"config": {"steps": 10, "lr": 1e999}}'), 400],
      ['config too big for memory', () => send('POST', '/api/training', { config: { steps: 10, lr: 1e-3, d: 1_000_000, hidden: 1_000_000 } }), 400],
      ['unknown backend', () => send('POST', '/api/training', { preset: 'modadd-mlp-small', backend: 'quantum' }), 400],
      ['sweep grid of wrong type', () => send('POST', '/api/sweeps', { grid: 5 }), 400],
      // Malformed and oversized bodies.
      ['body not JSON', () => send('POST', '/api/config/validate', '{"config": '), 400],
      ['body a list', () => send('POST', '/api/config/validate', '[1, 2]'), 400],
      ['body null', () => send('POST', '/api/config/validate', 'null'), 400],
      ['body of 2 MB', () => send('POST', '/api/config/validate', Buffer.alloc(2 * 1024 * 1024, 0x20)), 413],
      ['declared 5 GB', () => send('POST', '/api/config/validate', undefined, { ...json, 'Content-Length': String(5e9) }), 413],
      // Credentials and origin.
      ['no token', () => send('GET', '/api/runs', undefined, {}), 401],
      ['wrong token', () => send('GET', '/api/runs', undefined, { Authorization: 'Bearer wrong' }), 401],
      ['token one character off', () => send('GET', `/api/runs?token=${server.token.slice(0, -1)}${server.token.endsWith('A') ? 'B' : 'A'}`, undefined, {}), 401],
      ['foreign Host', () => send('GET', '/api/runs', undefined, { ...auth, Host: 'evil.example' }), 403],
      ['foreign Origin', () => send('GET', '/api/runs', undefined, { ...auth, Origin: 'http://evil.example' }), 403],
      // Path traversal in static files.
      ['dot-dot', () => send('GET', '/../secret.txt', undefined, {}), 404],
      ['encoded dot-dot', () => send('GET', '/%2e%2e/secret.txt', undefined, {}), 404],
      ['encoded slash', () => send('GET', '/assets/..%2f..%2fsecret.txt', undefined, {}), 404],
      ['backslashes', () => send('GET', '/assets/..%5c..%5csecret.txt', undefined, {}), 404],
      ['NUL byte', () => send('GET', '/assets/app.js%00.txt', undefined, {}), 404],
      ['malformed escape', () => send('GET', '/%E0%A4%A.js', undefined, {}), 400],
      ['absolute-form target', () => send('GET', 'http://127.0.0.1/secret.txt', undefined, {}), 400],
    ]
    let refused = 0
    for (const [what, request, status] of cases) {
      const r = await request()
      expect(r.status, what).toBe(status)
      expect(r.body.toString(), what).not.toContain('TOP-SECRET-CONTENT')
      expect(r.json(), what).toEqual({ error: expect.stringMatching(/^[^\n]+$/) })
      refused++
    }
    // The event socket, unauthenticated or elsewhere.
    expect((await openSocket(port, '/api/events')).status).toBe(401)
    expect((await openSocket(port, '/api/other', auth)).status).toBe(404)
    refused += 2

    // Slow clients: headers never finished, and a body that trickles, are cut off with 408.
    const slowHeaders = await rawExchange(port, (s) => s.write(`GET /api/info HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `))
    expect(statusOf(slowHeaders)).toBe(408)
    const slowBody = await rawExchange(port, (s) => {
      s.write(`POST /api/config/validate HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${server.token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"con`)
      const drip = setInterval(() => (s.writable ? s.write(' ') : clearInterval(drip)), 100)
      s.on('close', () => clearInterval(drip))
    })
    expect(statusOf(slowBody)).toBe(408)
    refused += 2

    // A flood of connections: those past the cap get 503; the ones let in are still served. The
    // keep-alive sockets of the requests above are closed first, so the flood starts from none.
    http.globalAgent.destroy()
    await new Promise((r) => setTimeout(r, 200))
    const held: net.Socket[] = []
    const replies: Promise<string>[] = []
    for (let i = 0; i < LIMITS.maxConnections + 4; i++) {
      const socket = net.connect(port, '127.0.0.1')
      held.push(socket)
      replies.push(
        new Promise((resolve) => {
          let got = ''
          socket.on('data', (d) => {
            got += d.toString()
            if (/\r\n\r\n/.test(got)) resolve(got)
          })
          socket.on('error', () => resolve(got))
          socket.on('close', () => resolve(got))
        }),
      )
      await new Promise((r) => socket.once('connect', r))
    }
    // Each held socket asks for /api/info; the first ones were let in and answer 200.
    for (const s of held) s.write(`GET /api/info HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${server.token}\r\n\r\n`)
    const statuses = (await Promise.all(replies)).map(statusOf)
    expect(statuses.slice(0, LIMITS.maxConnections)).toEqual(Array(LIMITS.maxConnections).fill(200))
    expect(statuses.slice(LIMITS.maxConnections)).toEqual([503, 503, 503, 503])
    held.forEach((s) => s.destroy())
    refused += 4

    // After it all: a normal request is answered, nothing was trained or written, the library is whole.
    await new Promise((r) => setTimeout(r, 100))
    const ok = await send('GET', '/api/runs', undefined, auth)
    expect(ok.status).toBe(200)
    expect(JSON.stringify(ok.json())).toContain('seeded')
    const active = await send('GET', '/api/training/active', undefined, auth)
    expect(active.json()).toEqual([])
    expect(checkLibrary(dbPath).ok).toBe(true)
    count('bad requests refused', refused)
    count('integrity checks ok', 1)
  }, 60_000)
})
