// Browser mode's door: the token, the Host and Origin checks, over HTTP and the WebSocket.
import http from 'node:http'
import WebSocket from 'ws'
import { expect, test } from './support/lab-fixture'

function rawGet(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
  })
}

/** The HTTP status a WebSocket upgrade gets (101 when it opens). */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers })
    ws.on('open', () => {
      ws.close()
      resolve(101)
    })
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.on('error', () => resolve(-1))
  })
}

test('the API and the WebSocket refuse requests without the token', async ({ lab, page }, testInfo) => {
  expect(lab.token.length).toBeGreaterThanOrEqual(22) // ≥ 128 bits in base64url
  expect(new URL(lab.url).hostname).toBe('127.0.0.1')
  const runs = `${lab.origin}/api/runs`
  expect((await fetch(runs)).status).toBe(401)
  expect((await fetch(runs, { headers: { Authorization: 'Bearer wrong-token' } })).status).toBe(401)
  expect((await fetch(`${runs}?token=wrong-token`)).status).toBe(401)
  expect((await fetch(runs, { headers: { Authorization: `Bearer ${lab.token}` } })).status).toBe(200)

  const events = `${lab.origin.replace('http', 'ws')}/api/events`
  expect(await upgradeStatus(events)).toBe(401)
  expect(await upgradeStatus(`${events}?token=wrong-token`)).toBe(401)
  expect(await upgradeStatus(`${events}?token=${lab.token}`)).toBe(101)

  // DNS rebinding (a foreign Host) and cross-site pages (a foreign Origin) are refused even with the token.
  const port = new URL(lab.origin).port
  expect(await rawGet(`${runs}?token=${lab.token}`, { Host: `attacker.example:${port}` })).toBe(403)
  expect(await rawGet(`${runs}?token=${lab.token}`, { Origin: 'http://attacker.example' })).toBe(403)
  expect(await upgradeStatus(`${events}?token=${lab.token}`, { Origin: 'http://attacker.example' })).toBe(403)

  // The page without its token says how to get in.
  await page.goto(lab.origin)
  await expect(page.getByTestId('auth-error')).toContainText('grokking-lab serve')
  await page.screenshot({ path: testInfo.outputPath('no-token.png') })
})
