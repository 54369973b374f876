import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebSocket } from 'ws'
import { openSocket, rawRequest } from '../../test/helpers/raw-http'
import { useTempDir } from '../../test/helpers/temp-dir'
import { parseRunConfig } from '../shared/run-config'
import { RunStore } from '../lab/store/run-store'
import { startLabServer, type LabServer } from './lab-server'

describe('browser-mode server', () => {
  const tempDir = useTempDir()
  let server: LabServer | undefined
  const sockets: WebSocket[] = []
  afterEach(async () => {
    sockets.splice(0).forEach((ws) => ws.terminate())
    await server?.close()
    server = undefined
  })

  /** A server on a free port over a library holding one run with a snapshot, and a fake built page. */
  async function start() {
    const dir = tempDir()
    const dbPath = path.join(dir, 'lib.sqlite')
    const store = RunStore.open(dbPath)
    const runId = store.createRun({ name: 'seeded', preset: 'modadd-mlp-small', config: parseRunConfig({ p: 7, steps: 100, lr: 1e-3 }), appVersion: 't', tags: ['a'] })
    store.writeSnapshot(runId, 20, [{ name: 'E', shape: [2, 3], data: new Float32Array([1, -2, 3.5, 0, 1e-7, -0]) }])
    store.appendMetrics(runId, [0, 10, 20].map((step) => ({ name: 'train_loss', step, value: 1 / (step + 1), wallSeconds: step })))
    store.close()
    const page = path.join(dir, 'page')
    fs.mkdirSync(path.join(page, 'assets'), { recursive: true })
    fs.writeFileSync(path.join(page, 'index.html'), '<!doctype html><title>lab</title>')
    fs.writeFileSync(path.join(page, 'assets', 'app.js'), 'console.log(1)')
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'TOP-SECRET-CONTENT')
    server = await startLabServer({ dbPath, port: 0, rendererDir: page })
    const auth = { Authorization: `Bearer ${server.token}` }
    const get = (target: string, headers: Record<string, string> = auth) => rawRequest(server!.port, 'GET', target, headers)
    const post = (target: string, body: unknown, method = 'POST') =>
      rawRequest(server!.port, method, target, { ...auth, 'Content-Type': 'application/json' }, typeof body === 'string' ? body : JSON.stringify(body))
    return { runId, auth, get, post, port: server.port, token: server.token }
  }

  it('prints a URL with a 192-bit token and answers /api only with it', async () => {
    const { get, token, port } = await start()
    expect(server!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/)
    expect(server!.url).toMatch(/https?:\/\/\S+token=\S+/)
    expect((await get('/api/info', {})).status).toBe(401)
    expect((await get('/api/info', { Authorization: 'Bearer wrong' })).status).toBe(401)
    expect((await get(`/api/info?token=${token}x`, {})).status).toBe(401)
    expect((await get('/api/nope', {})).status).toBe(401)
    const ok = await get('/api/info')
    expect(ok.status).toBe(200)
    expect(ok.json()).toMatchObject({ mode: 'browser', version: expect.any(String) })
    expect((await get(`/api/info?token=${token}`, {})).status).toBe(200)
    expect(ok.headers['x-content-type-options']).toBe('nosniff')
    // A foreign Host (DNS rebinding) or Origin is refused even with the token.
    expect((await get('/api/info', { Authorization: `Bearer ${token}`, Host: `evil.example:${port}` })).status).toBe(403)
    expect((await get('/', { Host: 'evil.example' })).status).toBe(403)
    expect((await get('/api/info', { Authorization: `Bearer ${token}`, Origin: 'http://evil.example' })).status).toBe(403)
    expect((await get('/api/info', { Authorization: `Bearer ${token}`, Origin: 'null' })).status).toBe(403)
    expect((await get('/api/info', { Authorization: `Bearer ${token}`, Origin: `http://localhost:${port}`, Host: `localhost:${port}` })).status).toBe(200)
  })

  it('guards the event socket like the API', async () => {
    const { token, port } = await start()
    expect((await openSocket(port, '/api/events')).status).toBe(401)
    expect((await openSocket(port, '/api/events?token=wrong')).status).toBe(401)
    expect((await openSocket(port, `/api/events?token=${token}`, { Origin: 'http://evil.example' })).status).toBe(403)
    expect((await openSocket(port, `/api/events?token=${token}`, { Host: 'evil.example' })).status).toBe(403)
    expect((await openSocket(port, `/api/other?token=${token}`)).status).toBe(404)
    const open = await openSocket(port, '/api/events', { Authorization: `Bearer ${token}`, Origin: `http://127.0.0.1:${port}` })
    expect(open.ws).toBeDefined()
    sockets.push(open.ws!)
  })

  it('decodes query strings by the schema: strings raw, the rest JSON', async () => {
    const { get, runId } = await start()
    const page = (await get('/api/runs?status=%5B%22queued%22%5D&limit=50&search=seed')).json() as { total: number; items: { run: { id: number } }[] }
    expect(page.total).toBe(1)
    expect(page.items[0].run.id).toBe(runId)
    // A numeric-looking search stays a string.
    expect((await get('/api/runs?search=123')).status).toBe(200)
    expect((await get('/api/runs?filters=%5B%7B%22key%22%3A%22p%22%2C%22min%22%3A8%7D%5D')).json()).toMatchObject({ total: 0 })
    const bad = await get('/api/runs?status=%5Bqueued')
    expect(bad.status).toBe(400)
    expect((bad.json() as { error: string }).error).toMatch(/^status: '\[queued' is not JSON/)
    const invalid = await get('/api/runs?limit=5000')
    expect(invalid.status).toBe(400)
    expect(invalid.json()).toEqual({ error: 'runs:list: limit: must be ≤ 1000' })
    expect(((await get('/api/runs?limit=50&bogus=1')).json() as { error: string }).error).toMatch(/unknown key 'bogus'/)
    expect((await get('/api/runs/facets')).json()).toMatchObject({ total: 1, tags: [{ tag: 'a', count: 1 }] })
    const series = (await get(`/api/runs/${runId}/series?names=%5B%22train_loss%22%5D&width=1`)).json() as { name: string; steps: number[] }[]
    expect(series).toEqual([{ name: 'train_loss', steps: [0, 10, 20], values: [1, 1 / 11, 1 / 21], downsampled: false }])
  })

  it('serves tensors as float32 bytes with their shape in headers', async () => {
    const { get, runId } = await start()
    const r = await get(`/api/runs/${runId}/snapshots/20/E`)
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe('application/octet-stream')
    expect(r.headers['x-tensor-shape']).toBe('2,3')
    expect(r.headers['x-tensor-name']).toBe('E')
    expect(r.headers['x-tensor-step']).toBe('20')
    const values = new Float32Array(r.body.buffer.slice(r.body.byteOffset, r.body.byteOffset + r.body.byteLength))
    expect([...values]).toEqual([...new Float32Array([1, -2, 3.5, 0, 1e-7, -0])])
    expect((await get(`/api/runs/${runId}/snapshots`)).json()).toEqual({ steps: [20], tensors: [{ name: 'E', shape: [2, 3] }] })
    const missing = await get(`/api/runs/${runId}/snapshots/20/W`)
    expect(missing.status).toBe(400)
    expect((missing.json() as { error: string }).error).toMatch(/no tensor 'W' \(tensors: E\)/)
  })

  it('answers 404, 400, 413 and never falls over on bad input', async () => {
    const { get, post, runId } = await start()
    expect((await get('/api/nothing/here')).status).toBe(404)
    expect((await post('/api/info', {})).status).toBe(404)
    expect((await get('/api/runs/999')).json()).toEqual({ error: expect.stringMatching(/^no run 999/) })
    expect((await get('/api/runs/abc')).json()).toEqual({ error: "runs:get: runId: must be a number, got 'abc'" })
    expect((await get('/api/runs/%E0%A4%A')).status).toBe(400)
    expect((await post('/api/runs/tag', '{"runIds": [1,')).status).toBe(400)
    expect((await post('/api/runs/tag', '[1, 2]')).status).toBe(400)
    expect((await post('/api/runs/tag', { runIds: [] })).json()).toEqual({ error: 'runs:tag: runIds: name at least one run' })
    const big = await post('/api/runs/tag', JSON.stringify({ runIds: [1], add: ['x'.repeat(2 * 1024 * 1024)] }))
    expect(big.status).toBe(413)
    const renamed = await post(`/api/runs/${runId}`, { name: 'renamed', tags: ['b'] }, 'PATCH')
    expect(renamed.json()).toMatchObject({ run: { id: runId, name: 'renamed', tags: ['b'] } })
    expect((await post('/api/training', { preset: 'modadd-mlp-small', config: { frac: 2 } })).json()).toEqual({
      error: 'invalid run config: frac (train fraction) must be strictly between 0 and 1',
    })
    expect((await get('/api/info')).status).toBe(200)
  })

  it('serves the built page with its CSP and nothing outside it', async () => {
    const { get } = await start()
    const index = await get('/', {})
    expect(index.status).toBe(200)
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(index.headers['content-security-policy']).toBe("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data: blob:")
    expect(index.body.toString()).toContain('<title>lab</title>')
    const js = await get('/assets/app.js', {})
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect((await get('/runs/3', {})).body.toString()).toContain('<title>lab</title>')
    expect((await get('/assets/missing.js', {})).status).toBe(404)
    for (const target of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const r = await get(target, {})
      expect(r.status, target).toBe(404)
      expect(r.body.toString(), target).not.toContain('TOP-SECRET')
    }
  })

  it('trains a tiny run in a worker and streams its events over the socket', { timeout: 120_000 }, async () => {
    const { post, get, token, port } = await start()
    const open = await openSocket(port, `/api/events?token=${token}`)
    sockets.push(open.ws!)
    const events: { event: string; payload: Record<string, unknown> }[] = []
    const ended = new Promise<void>((resolve) =>
      open.ws!.on('message', (data) => {
        const e = JSON.parse(String(data))
        events.push(e)
        if (e.event === 'run:ended') resolve()
      }),
    )
    const started = (await post('/api/training', { preset: 'modadd-mlp-small', config: { steps: 60, eval_every: 10 }, backend: 'wasm' })).json() as { runId: number }
    expect(started.runId).toBeGreaterThan(0)
    const active = (await get('/api/training/active')).json() as { runId: number }[]
    expect(active.map((a) => a.runId)).toEqual([started.runId])
    await ended
    const names = events.map((e) => e.event)
    expect(names[0]).toBe('run:created')
    expect(names).toContain('run:started')
    expect(names.indexOf('run:progress')).toBeGreaterThan(names.indexOf('run:started'))
    const evals = events.filter((e) => e.event === 'run:progress').flatMap((e) => e.payload.evals as { step: number }[])
    expect(evals.map((e) => e.step)).toEqual([0, 10, 20, 30, 40, 50, 60])
    const end = events.find((e) => e.event === 'run:ended')!.payload
    expect(end).toMatchObject({ runId: started.runId, status: 'completed', step: 60, error: null, clocks: { thresholds: expect.any(Object) } })
    expect((await get('/api/training/active')).json()).toEqual([])
    expect((await get(`/api/runs/${started.runId}`)).json()).toMatchObject({ run: { status: 'completed' }, clocks: expect.any(Object) })
  })
})
