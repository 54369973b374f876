// The desktop shell: the built app opens its window, the page reaches the lab only through the
// preload bridge, and the window's security settings hold. The global setup builds the app; the
// test skips, saying why, where no Electron binary can run.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { _electron as electron, expect, test } from '@playwright/test'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const builtMain = path.join(root, 'out', 'main', 'index.js')
const electronSqlite = path.join(root, '.electron-native', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')

/**
 * The Electron executable npm installed, or null. Reads electron's path.txt itself because
 * `require('electron')` tries to download a missing binary.
 */
function electronBinary(): string | null {
  const dir = path.join(root, 'node_modules', 'electron')
  const pathFile = path.join(dir, 'path.txt')
  if (!fs.existsSync(pathFile)) return null
  const name = fs.readFileSync(pathFile, 'utf8').trim()
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist')
  const binary = path.join(distDir, name)
  return fs.existsSync(binary) ? binary : null
}

/** Why the app cannot be launched on this machine, or null when it can. */
function whyElectronCannotRun(binary: string | null): string | null {
  if (!binary) return 'no Electron binary in node_modules/electron (reinstall electron on a machine with network access)'
  const probe = spawnSync(binary, ['--version'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    timeout: 30_000,
    encoding: 'utf8',
  })
  if (probe.status !== 0) return `the Electron binary does not run here: ${probe.error?.message ?? probe.stderr.trim()}`
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display (run the e2e tests under xvfb-run)'
  }
  if (!fs.existsSync(electronSqlite)) {
    return 'better-sqlite3 is not built for Electron yet (run `node scripts/prepare-electron-native.mjs`)'
  }
  return null
}

const binary = electronBinary()
const skipReason = whyElectronCannotRun(binary)

test.describe('desktop shell', () => {

  test('opens the lab window and reaches the library through the bridge', async () => {
    if (skipReason) {
      console.log(`Electron smoke test skipped: ${skipReason}`)
      test.skip(true, `Electron smoke test skipped: ${skipReason}`)
    }
    expect(fs.existsSync(builtMain), 'the app is not built: run `npm run build` before the e2e tests').toBe(true)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokking-lab-e2e-'))
    const dbPath = path.join(dir, 'library.sqlite')
    const env: Record<string, string> = {}
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value
    env.GROKKING_LAB_DB = dbPath

    const app = await electron.launch({ executablePath: binary!, args: [root], cwd: root, env })
    try {
      const page = await app.firstWindow()
      await expect(page).toHaveTitle('Grokking Lab')
      await expect(page.getByTestId('nav-library')).toBeVisible()
      // app:info answered over IPC through the preload, with the library this test chose.
      const info = await page.evaluate(() => (globalThis as unknown as { lab: { invoke(c: string, r: object): Promise<{ dbPath: string; mode: string }> } }).lab.invoke('app:info', {}))
      expect(info).toMatchObject({ dbPath, mode: 'electron' })
      // A request that breaks the contract is refused with a message, not a crash.
      const refused = await page.evaluate(() =>
        (globalThis as unknown as { lab: { invoke(c: string, r: object): Promise<unknown> } }).lab.invoke('runs:get', { runId: -1 }).then(() => 'answered', (e: Error) => e.message),
      )
      expect(refused).toMatch(/runId/)
      // The page gets the bridge and nothing of Node.
      const globals = await page.evaluate(() => {
        const g = globalThis as { lab?: unknown; require?: unknown; process?: unknown }
        return { lab: typeof g.lab, require: typeof g.require, process: typeof g.process }
      })
      expect(globals).toEqual({ lab: 'object', require: 'undefined', process: 'undefined' })
      // contextIsolation: the bridge reaches the page as a frozen copy, not the preload's own object.
      expect(await page.evaluate(() => Object.isFrozen((globalThis as { lab?: object }).lab))).toBe(true)
      // sandbox: even the preload's world has no Node (Electron's sandboxed preloads get only a few modules).
      const sandboxed = await app.evaluate(({ BrowserWindow }) => {
        const wc = BrowserWindow.getAllWindows()[0].webContents as unknown as { getLastWebPreferences?: () => Record<string, unknown> | null }
        const p = wc.getLastWebPreferences?.() ?? null
        return p && { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration }
      })
      if (sandboxed) expect(sandboxed).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false })
      // A strict Content-Security-Policy; new windows and navigation away are blocked.
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')
      expect(csp).toContain("script-src 'self'")
      expect(await page.evaluate(() => (globalThis as unknown as { open(u: string): unknown }).open('https://example.com') === null)).toBe(true)
      const before = page.url()
      await page.evaluate(() => {
        ;(globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/'
      })
      await page.waitForTimeout(500)
      expect(page.url()).toBe(before)
    } finally {
      await app.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
