// The window's security settings and its guards on new windows and navigation, with Electron
// replaced by a recording fake (no Electron binary can be downloaded here or in CI).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PRELOAD, RENDERER_HTML } from './app-frame'
import { createMainWindow } from './create-window'

type Listener = (...args: unknown[]) => void
type OpenHandler = (details: { url: string }) => { action: string }

const fake = vi.hoisted(() => {
  class FakeWebContents {
    url = ''
    openHandler: OpenHandler | null = null
    listeners = new Map<string, Listener[]>()
    setWindowOpenHandler(handler: OpenHandler) {
      this.openHandler = handler
    }
    on(name: string, listener: Listener) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener])
      return this
    }
    getURL() {
      return this.url
    }
    emit(name: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(name) ?? []) listener(...args)
    }
  }
  class FakeBrowserWindow {
    static created: FakeBrowserWindow[] = []
    webContents = new FakeWebContents()
    once = vi.fn()
    show = vi.fn()
    loadURL = vi.fn(async () => undefined)
    loadFile = vi.fn(async () => undefined)
    constructor(public options: Record<string, any>) {
      FakeBrowserWindow.created.push(this)
    }
  }
  return { FakeBrowserWindow, openExternal: vi.fn(async () => undefined) }
})

vi.mock('electron', () => ({ BrowserWindow: fake.FakeBrowserWindow, shell: { openExternal: fake.openExternal } }))


type Win = InstanceType<typeof fake.FakeBrowserWindow>
const open = () => createMainWindow() as unknown as Win

describe('createMainWindow', () => {
  beforeEach(() => {
    fake.FakeBrowserWindow.created = []
    fake.openExternal.mockClear()
    vi.stubEnv('ELECTRON_RENDERER_URL', '')
  })
  afterEach(() => vi.unstubAllEnvs())

  it('opens one sandboxed, context-isolated window with the preload and web security', () => {
    const win = open()
    expect(fake.FakeBrowserWindow.created).toEqual([win])
    expect(win.options.webPreferences).toEqual({ preload: PRELOAD, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true })
    expect(PRELOAD).toMatch(/[/\\]preload[/\\]index\.cjs$/)
    expect(win.options.show).toBe(false)
    expect(win.once).toHaveBeenCalledWith('ready-to-show', expect.any(Function))
  })

  it('denies every new window and sends only http(s) links to the browser', () => {
    const win = open()
    const handler = win.webContents.openHandler!
    expect(handler).toBeTypeOf('function')
    const urls = ['https://arxiv.org/abs/2201.02177', 'http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://example.com/', ' https://example.com/', 'about:blank']
    for (const url of urls) expect(handler({ url })).toEqual({ action: 'deny' })
    expect(fake.openExternal.mock.calls).toEqual([['https://arxiv.org/abs/2201.02177'], ['http://example.com/']])
  })

  it('keeps the window on its page: navigating elsewhere is prevented, a reload of the same URL is not', () => {
    const win = open()
    win.webContents.url = 'file:///opt/lab/out/renderer/index.html#/runs'
    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() }
      win.webContents.emit('will-navigate', event, url)
      return event.preventDefault.mock.calls.length
    }
    expect(win.webContents.listeners.get('will-navigate')).toHaveLength(1)
    expect(navigate('https://example.com/')).toBe(1)
    expect(navigate('file:///etc/passwd')).toBe(1)
    expect(navigate('file:///opt/lab/out/renderer/index.html#/runs')).toBe(0)
  })

  it('loads the built page without a dev server', () => {
    const win = open()
    expect(win.loadFile.mock.calls).toEqual([[RENDERER_HTML]])
    expect(win.loadURL).not.toHaveBeenCalled()
  })

  it("loads electron-vite's dev server when it provides one", () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173')
    const win = open()
    expect(win.loadURL.mock.calls).toEqual([['http://localhost:5173']])
    expect(win.loadFile).not.toHaveBeenCalled()
  })
})
