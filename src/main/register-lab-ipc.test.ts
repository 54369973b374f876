// The IPC glue of the main process, with Electron replaced by a recording fake.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LAB_CHANNELS, LAB_EVENT_CHANNEL, type LabApi } from '../shared/api'
import { PAGE_CSP } from '../shared/page-csp'
import { applyPageCsp, broadcastLabEvent, registerLabIpc } from './register-lab-ipc'

type Handler = (event: { senderFrame?: { url: string } }, request: unknown) => Promise<unknown>

const fake = vi.hoisted(() => ({
  handlers: new Map<string, Handler>(),
  windows: [] as unknown[],
  onHeadersReceived: vi.fn(),
}))

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => {
      if (fake.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      fake.handlers.set(channel, handler)
    },
    removeHandler: (channel: string) => fake.handlers.delete(channel),
  },
  BrowserWindow: { getAllWindows: () => fake.windows },
  session: { defaultSession: { webRequest: { onHeadersReceived: fake.onHeadersReceived } } },
}))

const APP = 'file:///opt/lab/out/renderer/index.html'
const isApp = (url: string | undefined) => url === APP

function fakeService() {
  const calls: [string, unknown][] = []
  const api = new Proxy({} as LabApi, {
    get: (_t, channel: string) => async (request: unknown) => {
      calls.push([channel, request])
      return { served: channel }
    },
  })
  return { api, calls }
}

describe('registerLabIpc', () => {
  beforeEach(() => {
    fake.handlers.clear()
    vi.spyOn(console, 'error').mockImplementation(() => {})
  })
  afterEach(() => vi.restoreAllMocks())

  it('registers one handler per channel and the returned function removes them all', () => {
    const unregister = registerLabIpc(fakeService().api, isApp)
    expect([...fake.handlers.keys()].sort()).toEqual([...LAB_CHANNELS].sort())
    unregister()
    expect(fake.handlers.size).toBe(0)
  })

  it('refuses a frame that is not the app page, without reaching the service', async () => {
    const { api, calls } = fakeService()
    registerLabIpc(api, isApp)
    const handler = fake.handlers.get('runs:get')!
    await expect(handler({ senderFrame: { url: 'https://evil.example/' } }, { runId: 1 })).rejects.toThrow(/^runs:get: refused; only the Grokking Lab page may call the lab$/)
    await expect(handler({}, { runId: 1 })).rejects.toThrow('runs:get: refused')
    expect(calls).toEqual([])
  })

  it('uses the real app-frame check by default', async () => {
    const { api, calls } = fakeService()
    registerLabIpc(api)
    await expect(fake.handlers.get('app:info')!({ senderFrame: { url: 'https://evil.example/' } }, {})).rejects.toThrow('app:info: refused')
    expect(calls).toEqual([])
  })

  it('passes a valid request through the dispatcher to the service, parsed', async () => {
    const { api, calls } = fakeService()
    registerLabIpc(api, isApp)
    await expect(fake.handlers.get('runs:get')!({ senderFrame: { url: APP } }, { runId: '12' })).resolves.toEqual({ served: 'runs:get' })
    expect(calls).toEqual([['runs:get', { runId: 12 }]])
  })

  it("answers an invalid request with the dispatcher's one line, as a plain Error", async () => {
    const { api, calls } = fakeService()
    registerLabIpc(api, isApp)
    const error = await fake.handlers.get('runs:get')!({ senderFrame: { url: APP } }, { runId: 'abc' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).name).toBe('Error')
    expect((error as Error).message).toBe("runs:get: runId: must be a number, got 'abc'")
    expect((error as Error).message).not.toMatch(/\n|at /)
    expect(calls).toEqual([])
  })
})

describe('broadcastLabEvent', () => {
  it('sends to every live window and skips destroyed ones', () => {
    const win = (destroyed: boolean, contentsDestroyed = false) => ({
      isDestroyed: () => destroyed,
      webContents: { isDestroyed: () => contentsDestroyed, send: vi.fn() },
    })
    const live = win(false)
    const gone = win(true)
    const closing = win(false, true)
    fake.windows = [live, gone, closing]
    const payload = { runIds: [3], change: 'deleted' as const }
    broadcastLabEvent('runs:changed', payload)
    expect(live.webContents.send.mock.calls).toEqual([[LAB_EVENT_CHANNEL, 'runs:changed', payload]])
    expect(gone.webContents.send).not.toHaveBeenCalled()
    expect(closing.webContents.send).not.toHaveBeenCalled()
  })
})

describe('applyPageCsp', () => {
  beforeEach(() => fake.onHeadersReceived.mockClear())

  it("adds the page's CSP to every response, keeping its other headers", () => {
    applyPageCsp({})
    expect(fake.onHeadersReceived).toHaveBeenCalledOnce()
    const listener = fake.onHeadersReceived.mock.calls[0][0]
    const callback = vi.fn()
    listener({ responseHeaders: { 'Content-Type': ['text/html'] } }, callback)
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [PAGE_CSP] } })
  })

  it('does nothing under the dev server', () => {
    applyPageCsp({ ELECTRON_RENDERER_URL: 'http://localhost:5173' })
    expect(fake.onHeadersReceived).not.toHaveBeenCalled()
  })
})
