// The preload's bridge, with Electron replaced by a recording fake: what crosses into the page.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { LAB_EVENT_CHANNEL, type LabBridge } from '../shared/api'

type Listener = (...args: unknown[]) => void

const fake = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  listeners: new Map<string, Set<Listener>>(),
  calls: [] as unknown[][],
  reply: (() => Promise.resolve(undefined)) as (...args: unknown[]) => Promise<unknown>,
}))

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => fake.exposed.set(key, value) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => {
      fake.calls.push(args)
      return fake.reply(...args)
    },
    on: (channel: string, listener: Listener) => {
      const set = fake.listeners.get(channel) ?? new Set()
      set.add(listener)
      fake.listeners.set(channel, set)
    },
    removeListener: (channel: string, listener: Listener) => fake.listeners.get(channel)?.delete(listener),
  },
}))

await import('./index')
const lab = fake.exposed.get('lab') as LabBridge
const send = (...args: unknown[]) => [...(fake.listeners.get(LAB_EVENT_CHANNEL) ?? [])].forEach((l) => l({ sender: 'ipcRenderer', ports: [] }, ...args))

describe('preload bridge', () => {
  beforeEach(() => {
    fake.calls = []
  })

  it('exposes only window.lab, with only invoke and on', () => {
    expect([...fake.exposed.keys()]).toEqual(['lab'])
    expect(Object.keys(lab).sort()).toEqual(['invoke', 'on'])
    expect(lab.invoke).toBeTypeOf('function')
    expect(lab.on).toBeTypeOf('function')
  })

  it('rejects an unknown channel without reaching ipcRenderer', async () => {
    await expect(lab.invoke('fs:readFile' as never, {} as never)).rejects.toThrow('unknown lab channel: fs:readFile')
    expect(fake.calls).toEqual([])
  })

  it('forwards a known channel, an absent request as {}', async () => {
    fake.reply = async () => ({ version: '1' })
    await expect(lab.invoke('app:info', undefined as never)).resolves.toEqual({ version: '1' })
    expect(fake.calls).toEqual([['app:info', {}]])
  })

  it("strips Electron's remote-error prefix", async () => {
    const failWith = async (remote: string) => {
      fake.reply = () => Promise.reject(new Error(remote))
      return ((await lab.invoke('runs:get', { runId: 9 }).catch((e: unknown) => e)) as Error).message
    }
    expect(await failWith("Error invoking remote method 'runs:get': Error: runs:get: runId: is required")).toBe('runs:get: runId: is required')
    expect(await failWith("Error invoking remote method 'runs:get': runs:get: no run 9")).toBe('runs:get: no run 9')
  })

  it('delivers only its own event, only the payload, and unsubscribes', () => {
    const seen: unknown[][] = []
    const off = lab.on('runs:changed', (...args: unknown[]) => seen.push(args))
    const payload = { runIds: [1], change: 'updated' }
    send('runs:changed', payload)
    send('run:created', { run: {} })
    expect(seen).toEqual([[payload]])
    off()
    expect(fake.listeners.get(LAB_EVENT_CHANNEL)?.size ?? 0).toBe(0)
    send('runs:changed', payload)
    expect(seen).toHaveLength(1)
  })
})
