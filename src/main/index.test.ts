// The main process's lifecycle, with Electron, the window, the IPC glue and the lab service faked.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

type Listener = (...args: any[]) => void

const fake = vi.hoisted(() => {
  const state = {
    listeners: new Map<string, Listener[]>(),
    ready: null as null | (() => void),
    quit: null as any,
    exit: null as any,
    showErrorBox: null as any,
    createMainWindow: null as any,
    registerLabIpc: null as any,
    unregister: null as any,
    applyPageCsp: null as any,
    createLabService: null as any,
    service: null as any,
    serviceError: null as Error | null,
    closed: null as null | (() => void),
  }
  return state
})

vi.mock('electron', () => ({
  app: {
    setName: () => {},
    setPath: () => {},
    getPath: (name: string) => `/fake/${name}`,
    getAppPath: () => '/fake/app',
    whenReady: () => new Promise<void>((resolve) => (fake.ready = resolve)),
    on: (name: string, listener: Listener) => fake.listeners.set(name, [...(fake.listeners.get(name) ?? []), listener]),
    quit: (...a: unknown[]) => fake.quit(...a),
    exit: (...a: unknown[]) => fake.exit(...a),
  },
  BrowserWindow: { getAllWindows: () => [] },
  dialog: { showErrorBox: (...a: unknown[]) => fake.showErrorBox(...a) },
}))
vi.mock('./create-window', () => ({ createMainWindow: (...a: unknown[]) => fake.createMainWindow(...a) }))
vi.mock('./lab-environment', () => ({ configureLabEnvironment: () => null }))
vi.mock('./register-lab-ipc', () => ({
  registerLabIpc: (...a: unknown[]) => fake.registerLabIpc(...a),
  applyPageCsp: (...a: unknown[]) => fake.applyPageCsp(...a),
  broadcastLabEvent: () => {},
}))
vi.mock('../lab/api/lab-service', () => ({ createLabService: (...a: unknown[]) => fake.createLabService(...a) }))

const emit = (name: string, ...args: unknown[]) => (fake.listeners.get(name) ?? []).forEach((l) => l(...args))
const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

async function start(): Promise<void> {
  vi.resetModules()
  await import('./index')
  fake.ready!()
  await flush()
}

describe('main process', () => {
  const argv = process.argv
  beforeEach(() => {
    fake.listeners.clear()
    fake.quit = vi.fn()
    fake.exit = vi.fn()
    fake.showErrorBox = vi.fn()
    fake.createMainWindow = vi.fn()
    fake.unregister = vi.fn()
    fake.registerLabIpc = vi.fn(() => fake.unregister)
    fake.applyPageCsp = vi.fn()
    fake.serviceError = null
    fake.service = { close: vi.fn(() => new Promise<void>((resolve) => (fake.closed = resolve))) }
    fake.createLabService = vi.fn(() => {
      if (fake.serviceError) throw fake.serviceError
      return fake.service
    })
    process.argv = ['electron', '.', '--db', '/tmp/lab-test/library.sqlite']
    vi.spyOn(console, 'error').mockImplementation(() => {})
  })
  afterEach(() => {
    process.argv = argv
    vi.restoreAllMocks()
  })

  it('on ready opens the library in electron mode, serves it over IPC with the CSP, and opens one window', async () => {
    await start()
    expect(fake.createLabService).toHaveBeenCalledOnce()
    expect(fake.createLabService.mock.calls[0][0]).toEqual({ dbPath: '/tmp/lab-test/library.sqlite', mode: 'electron' })
    expect(fake.registerLabIpc.mock.calls).toEqual([[fake.service]])
    expect(fake.applyPageCsp).toHaveBeenCalledOnce()
    expect(fake.createMainWindow).toHaveBeenCalledOnce()
    expect(fake.exit).not.toHaveBeenCalled()
  })

  it('a library that cannot be opened shows the error box and exits 1 without a window', async () => {
    fake.serviceError = new Error('cannot open /tmp/lab-test/library.sqlite: disk I/O error')
    await start()
    expect(fake.showErrorBox.mock.calls).toEqual([['Grokking Lab cannot open its run library', 'cannot open /tmp/lab-test/library.sqlite: disk I/O error']])
    expect(fake.exit.mock.calls).toEqual([[1]])
    expect(fake.createMainWindow).not.toHaveBeenCalled()
  })

  it('a failure after the library opened (the IPC) closes the library before it exits 1', async () => {
    fake.registerLabIpc = vi.fn(() => {
      throw new Error('Attempted to register a second handler for runs:list')
    })
    await start()
    expect(fake.showErrorBox).toHaveBeenCalledOnce()
    expect(fake.service.close).toHaveBeenCalledOnce()
    expect(fake.exit).not.toHaveBeenCalled()
    fake.closed!()
    await flush()
    expect(fake.exit.mock.calls).toEqual([[1]])
    expect(fake.createMainWindow).not.toHaveBeenCalled()
  })

  it('before-quit waits for the service to close, then quits', async () => {
    await start()
    const event = { preventDefault: vi.fn() }
    emit('before-quit', event)
    expect(event.preventDefault).toHaveBeenCalledOnce()
    expect(fake.unregister).toHaveBeenCalledOnce()
    expect(fake.service.close).toHaveBeenCalledOnce()
    await flush()
    expect(fake.quit).not.toHaveBeenCalled()
    fake.closed!()
    await flush()
    expect(fake.quit).toHaveBeenCalledOnce()
    // The second before-quit (from that quit) finds the lab stopped and lets it through.
    const again = { preventDefault: vi.fn() }
    emit('before-quit', again)
    expect(again.preventDefault).not.toHaveBeenCalled()
    expect(fake.service.close).toHaveBeenCalledOnce()
  })

  it('quits when a failing close is logged', async () => {
    fake.service.close = vi.fn(async () => {
      throw new Error('busy')
    })
    await start()
    emit('before-quit', { preventDefault: () => {} })
    await flush()
    expect(fake.quit).toHaveBeenCalledOnce()
  })

  it('closing the last window quits, except on macOS', async () => {
    await start()
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!
    try {
      Object.defineProperty(process, 'platform', { value: 'linux' })
      emit('window-all-closed')
      expect(fake.quit).toHaveBeenCalledOnce()
      Object.defineProperty(process, 'platform', { value: 'darwin' })
      emit('window-all-closed')
      expect(fake.quit).toHaveBeenCalledOnce()
    } finally {
      Object.defineProperty(process, 'platform', platform)
    }
  })
})
