// The built Electron main (out/main/index.js, made by the global setup) run in plain Node against a
// fake Electron (support/fake-electron): it must load with its externals and sibling files, open a
// locked-down window on the built page, block navigation and new windows, send its CSP, serve the
// lab's channels over IPC only to its own page, and close the library before it quits. Where a real
// Electron can run, electron.spec.ts drives the app itself; this test runs everywhere.
import fs from 'node:fs'
import { builtinModules } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import vm from 'node:vm'
import { expect, test } from '@playwright/test'
import { LAB_CHANNELS } from '../../src/shared/api'
import { APP_FOLDER_NAME } from '../../src/lab/store/default-location'
import { startBundle, type FakeWindow, type InvokeResult, type RunningBundle } from './support/fake-electron/bundle-driver'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const out = path.join(root, 'out')
const builtMain = path.join(out, 'main', 'index.js')

/** Waits for the process to end and returns its exit code; fails if it takes over `ms`. */
async function exitCode(b: RunningBundle, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the app did not exit within ${ms} ms; it printed:\n${b.output()}`)), ms)
  })
  try {
    const { code, signal } = await Promise.race([b.exited, timeout])
    expect(signal, `the app was killed by ${signal}`).toBeNull()
    return code
  } finally {
    clearTimeout(timer)
  }
}

/** Checks the window the app opens: locked-down preferences, an existing preload, the built page. */
function expectLabWindow(w: FakeWindow): void {
  const prefs = w.options.webPreferences ?? {}
  expect(prefs.contextIsolation, 'contextIsolation').toBe(true)
  expect(prefs.sandbox, 'sandbox').toBe(true)
  expect(prefs.nodeIntegration, 'nodeIntegration').toBe(false)
  expect(prefs.nodeIntegrationInSubFrames ?? false, 'nodeIntegrationInSubFrames').toBe(false)
  expect(prefs.webSecurity ?? true, 'webSecurity').toBe(true)
  expect(prefs.allowRunningInsecureContent ?? false, 'allowRunningInsecureContent').toBe(false)
  const preload = String(prefs.preload)
  expect(path.isAbsolute(preload), `preload ${preload} is not absolute`).toBe(true)
  expect(fs.existsSync(preload), `the window's preload ${preload} is missing`).toBe(true)
  expect(path.relative(out, preload)).toBe(path.join('preload', 'index.cjs'))
  // The built page, not a dev server (the test clears ELECTRON_RENDERER_URL).
  const page = path.join(out, 'renderer', 'index.html')
  expect(w.loads).toEqual([{ file: page }])
  expect(w.url).toBe(pathToFileURL(page).href)
  // Shown once ready-to-show fired, not before (it is created hidden).
  expect(w.options.show).toBe(false)
  expect(w.shown, 'the window was never shown').toBe(true)
  expect(w.options.title).toBe('Grokking Lab')
}

/** The directives of a CSP, by name. */
function cspDirectives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  )
}

test.describe('built Electron main in a fake Electron', () => {
  test.beforeAll(() => {
    expect(fs.existsSync(builtMain), `${builtMain} is missing: the global setup builds it (electron-vite build)`).toBe(true)
  })

  test('the bundle imports only what ships, and its preload and page are where main looks', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string>; optionalDependencies?: Record<string, string> }
    expect(path.resolve(root, pkg.main), "package.json's main is not the built bundle").toBe(builtMain)
    // A packaged app carries `dependencies` only: an external from devDependencies would load here
    // (node_modules has it) and fail for users.
    const shipped = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies ?? {}), 'electron', ...builtinModules])
    const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0])
    const files = [builtMain, ...fs.readdirSync(path.join(out, 'main', 'chunks')).map((f) => path.join(out, 'main', 'chunks', f))]
    const problems: string[] = []
    for (const file of files) {
      const source = fs.readFileSync(file, 'utf8')
      const specifiers = [...source.matchAll(/^(?:import|export)\s[^;]*?from\s*"([^"]+)"|^import\s*"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/gm)].map((m) => m[1] ?? m[2] ?? m[3])
      // Main imports electron and its chunks: finding none would mean this scan no longer reads the format.
      if (file === builtMain) expect(specifiers, 'no imports found in the bundle: has its format changed?').toEqual(expect.arrayContaining(['electron', 'better-sqlite3']))
      for (const spec of specifiers) {
        if (spec.startsWith('.')) {
          if (!fs.existsSync(path.resolve(path.dirname(file), spec))) problems.push(`${path.relative(root, file)} imports missing ${spec}`)
        } else if (!spec.startsWith('node:') && !shipped.has(packageOf(spec))) {
          problems.push(`${path.relative(root, file)} imports ${spec}, which is not in dependencies`)
        }
      }
    }
    expect(problems).toEqual([])

    // A sandboxed preload runs as a classic script whose require knows only a few modules.
    const preload = fs.readFileSync(path.join(out, 'preload', 'index.cjs'), 'utf8')
    expect(() => vm.compileFunction(preload, ['require', 'module', 'exports', 'process', 'Buffer', 'global'])).not.toThrow()
    const required = [...preload.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])
    expect(required).toContain('electron')
    expect(required.filter((m) => !['electron', 'events', 'timers', 'url', 'node:events', 'node:timers', 'node:url'].includes(m))).toEqual([])

    // The page is loaded from file://: its own files must be relative to it and present.
    const html = fs.readFileSync(path.join(out, 'renderer', 'index.html'), 'utf8')
    const refs = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((r) => !/^(https?:|data:|blob:|#)/.test(r))
    expect(refs.length).toBeGreaterThan(0)
    for (const ref of refs) {
      expect(ref.startsWith('/'), `${ref} is absolute: under file:// it points at the disk's root`).toBe(false)
      expect(fs.existsSync(path.join(out, 'renderer', ref)), `the page's ${ref} is missing`).toBe(true)
    }
  })

  test('opens a locked-down window, serves the lab to its own page only, and quits with the library closed', async () => {
    const b = startBundle(builtMain, { platform: 'linux' })
    try {
      const ready = await b.waitForState((s) => s.windows.length === 1 && s.windows[0].shown, 'the lab window to be shown')
      expect(ready.whenReadyCalls).toBeGreaterThan(0)
      expect(ready.name).toBe(APP_FOLDER_NAME)
      expect(ready.paths.userData).toBe(path.join(ready.paths.appData, APP_FOLDER_NAME))
      expectLabWindow(ready.windows[0])
      const win = ready.windows[0]
      // The worker entry the app points training at exists beside the app.
      expect(ready.env.GROKKING_LAB_WORKER_SCRIPT).toBe(path.join(root, 'bin', 'train-worker.mjs'))
      expect(fs.existsSync(ready.env.GROKKING_LAB_WORKER_SCRIPT!)).toBe(true)

      await test.step('new windows and navigation away are blocked', async () => {
        expect(win.hasOpenHandler, 'no setWindowOpenHandler').toBe(true)
        expect(await b.command('windowOpen', { window: win.id, url: 'https://example.com/paper' }), 'window.open was allowed').toEqual({ action: 'deny' })
        expect(await b.command('windowOpen', { window: win.id, url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
        expect(await b.command('windowOpen', { window: win.id, url: 'javascript:alert(1)' })).toEqual({ action: 'deny' })
        // Web links go to the user's browser; nothing else does.
        expect((await b.state()).openedExternally).toEqual(['https://example.com/paper'])
        for (const url of ['https://example.com/', 'file:///etc/passwd', `${pathToFileURL(path.join(out, 'renderer', 'other.html')).href}`]) {
          expect(await b.command('navigate', { window: win.id, url }), `will-navigate to ${url}`).toEqual({ prevented: true })
        }
        // A reload of the page itself is not navigation away.
        expect(await b.command('navigate', { window: win.id, url: win.url })).toEqual({ prevented: false })
      })

      await test.step("responses carry the page's CSP", async () => {
        const { called, response } = await b.command<{ called: boolean; response?: { responseHeaders?: Record<string, string[]>; cancel?: boolean } }>('headers', {
          url: win.url,
          responseHeaders: { 'Content-Type': ['text/html'] },
        })
        expect(called, 'no session.defaultSession.webRequest.onHeadersReceived listener').toBe(true)
        expect(response?.cancel ?? false).toBe(false)
        const headers = response?.responseHeaders ?? {}
        expect(headers['Content-Type'], 'the response lost its own headers').toEqual(['text/html'])
        const cspKeys = Object.keys(headers).filter((k) => k.toLowerCase() === 'content-security-policy')
        expect(cspKeys).toHaveLength(1)
        const csp = headers[cspKeys[0]].join(';')
        expect(csp).not.toContain('unsafe-eval')
        const directives = cspDirectives(csp)
        expect(directives.get('default-src')).toEqual(["'self'"])
        expect(directives.get('script-src')).toEqual(["'self'"])
        // The same policy as the page's own meta tag.
        const html = fs.readFileSync(path.join(out, 'renderer', 'index.html'), 'utf8')
        const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
        expect(meta).toBe(csp)
      })

      await test.step("the lab's channels answer the page over a temporary library", async () => {
        expect([...(await b.state()).ipcHandlers].sort()).toEqual([...LAB_CHANNELS].sort())
        // The router's hash is part of the page's URL.
        const frameUrl = `${win.url}#/library`
        const invoke = (channel: string, request: unknown, from: string | null = frameUrl) => b.command<InvokeResult>('invoke', { window: win.id, channel, request, frameUrl: from })
        expect(await invoke('app:info', {})).toEqual({ ok: true, value: expect.objectContaining({ dbPath: b.dbPath, mode: 'electron' }) })
        expect(await invoke('runs:list', {})).toEqual({ ok: true, value: expect.objectContaining({ total: 0, items: [] }) })
        // Validated by the lab's dispatcher: a broken request is answered with a message.
        const broken = await invoke('runs:get', { runId: -1 })
        expect(broken.ok).toBe(false)
        expect(!broken.ok && broken.message).toMatch(/runId/)
        // The library this test chose, open (WAL) while the app runs; none in userData.
        expect(fs.existsSync(b.dbPath)).toBe(true)
        expect(fs.existsSync(`${b.dbPath}-wal`), 'the library is not open in WAL mode').toBe(true)
        expect(fs.existsSync(path.join(ready.paths.userData, 'library.sqlite'))).toBe(false)

        for (const foreign of ['https://evil.example/', pathToFileURL(path.join(out, 'renderer', 'other.html')).href, 'file:///tmp/index.html', null]) {
          const refused = await invoke('app:info', {}, foreign)
          expect(refused.ok, `app:info answered a frame at ${foreign}`).toBe(false)
          expect(!refused.ok && refused.message).toMatch(/refused/)
        }
      })

      const last = await b.state()
      expect(last.missing, 'Electron API the app used that the fake lacks').toEqual([])
      expect(last.errorBoxes).toEqual([])

      await test.step('closing the last window quits, once the library is closed', async () => {
        const t0 = Date.now()
        await b.command('closeWindow', { window: win.id })
        expect(await exitCode(b, 5_000)).toBe(0)
        test.info().annotations.push({ type: 'quit', description: `${Date.now() - t0} ms from window closed to exit` })
        // SQLite removes the WAL when the last connection closes; a process that just died leaves it.
        expect(fs.existsSync(`${b.dbPath}-wal`), 'the library was not closed before the app exited').toBe(false)
        // before-quit held the first quit; the app quit again once the library was closed.
        const log = b.events().map((e) => e.event)
        expect(log.slice(log.indexOf('ready'))).toEqual(expect.arrayContaining(['app.quit', 'before-quit prevented', 'exit 0']))
        expect(log.lastIndexOf('app.quit')).toBeGreaterThan(log.indexOf('before-quit prevented'))
        expect(log.at(-1)).toBe('exit 0')
      })
    } finally {
      await b.dispose()
    }
  })

  test('on macOS the app outlives its window, activate reopens it, and quit closes the library', async () => {
    const b = startBundle(builtMain, { platform: 'darwin' })
    try {
      const first = (await b.waitForState((s) => s.windows.length === 1 && s.windows[0].shown, 'the lab window to be shown')).windows[0]
      // activate with a window open opens no other.
      expect(await b.command('activate'), 'activate opened a second window').toEqual({ open: 1 })
      expect(await b.command('closeWindow', { window: first.id })).toEqual({ open: 0 })
      await new Promise((resolve) => setTimeout(resolve, 300))
      const alone = await b.state()
      expect(alone.windows).toEqual([])
      expect(alone.log, 'the app quit when its window closed').not.toContain('app.quit')

      expect(await b.command('activate'), 'activate with no window open opened none').toEqual({ open: 1 })
      const reopened = await b.waitForState((s) => s.windows.length === 1 && s.windows[0].shown, 'the reopened window to be shown')
      expect(reopened.windows[0].id).not.toBe(first.id)
      expectLabWindow(reopened.windows[0])
      // The reopened window is the lab's own page too: the lab answers it.
      const info = await b.command<InvokeResult>('invoke', { window: reopened.windows[0].id, channel: 'app:info', request: {}, frameUrl: reopened.windows[0].url })
      expect(info).toEqual({ ok: true, value: expect.objectContaining({ dbPath: b.dbPath }) })
      expect(reopened.missing).toEqual([])

      // Cmd+Q: before-quit holds the quit until the library is closed.
      await b.command('quit')
      expect(await exitCode(b, 5_000)).toBe(0)
      expect(fs.existsSync(`${b.dbPath}-wal`), 'the library was not closed before the app exited').toBe(false)
    } finally {
      await b.dispose()
    }
  })

  test('a file that is no library is reported in a dialog and the app exits with 1', async () => {
    const b = startBundle(builtMain, { platform: 'linux', dbContents: 'not a database, just text\n'.repeat(100) })
    try {
      expect(await exitCode(b, 10_000)).toBe(1)
      const events = b.events()
      expect(events.find((e) => e.event === 'dialog.showErrorBox')?.details).toEqual({
        title: 'Grokking Lab cannot open its run library',
        content: expect.stringContaining(b.dbPath),
      })
      expect(events.map((e) => e.event)).not.toContain('window 1 created')
      expect(events.at(-1)?.event).toBe('exit 1')
      expect(b.output()).toContain('[lab]')
    } finally {
      await b.dispose()
    }
  })
})
