// The test's side of the fake Electron: starts the built main bundle in plain Node with 'electron'
// resolved to fake-electron/electron.mjs, and sends it commands over fd 3 (see that file).
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const REGISTER = pathToFileURL(path.join(here, 'register.mjs')).href

/** What the fake reports of one window. */
export interface FakeWindow {
  id: number
  options: { show?: boolean; title?: string; webPreferences?: Record<string, unknown> }
  url: string
  loads: { file?: string; url?: string }[]
  shown: boolean
  hasOpenHandler: boolean
  windowListeners: string[]
  contentsListeners: string[]
  sent: { channel: string; args: unknown[] }[]
}

/** What the fake has recorded of the app (its `state` command). */
export interface FakeState {
  ready: boolean
  whenReadyCalls: number
  name: string
  paths: Record<string, string>
  appPath: string
  env: Record<string, string | undefined>
  appListeners: Record<string, number>
  windows: FakeWindow[]
  ipcHandlers: string[]
  hasHeadersListener: boolean
  openedExternally: string[]
  errorBoxes: { title: string; content: string }[]
  missing: string[]
  log: string[]
}

/** One thing the app did, as the fake reported it (its log entry, with details for some). */
export interface FakeEvent {
  event: string
  details?: unknown
}

/** An invoke's outcome as the renderer would see it: the answer, or the rejection's message. */
export type InvokeResult = { ok: true; value: unknown } | { ok: false; message: string }

export interface RunningBundle {
  child: ChildProcess
  /** The library the app was started with (`--db`). */
  dbPath: string
  /** Everything the process printed so far (stdout and stderr). */
  output(): string
  /** What the fake recorded, in order, as it happened (still there after the process exits). */
  events(): FakeEvent[]
  /** Sends one command to the fake and resolves with its answer; rejects with the fake's error. */
  command<T = unknown>(cmd: string, args?: Record<string, unknown>): Promise<T>
  state(): Promise<FakeState>
  /** Polls state() until `accept` holds and returns that state; throws, saying `what`, on timeout or exit. */
  waitForState(accept: (s: FakeState) => boolean, what: string, timeoutMs?: number): Promise<FakeState>
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Kills the process if it still runs and removes the scratch folder. */
  dispose(): Promise<void>
}

/**
 * Runs `bundle` (the built out/main/index.js) as `node --import fake-electron/register.mjs bundle
 * --db <scratch>/library.sqlite`, with home, appData and temp in a scratch folder and `platform`
 * (when given) as process.platform; `dbContents` (when given) is written to the library file first.
 */
export function startBundle(bundle: string, options: { platform?: NodeJS.Platform; dbContents?: string } = {}): RunningBundle {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'grokking-lab-bundle-'))
  const dbPath = path.join(scratch, 'library.sqlite')
  if (options.dbContents !== undefined) fs.writeFileSync(dbPath, options.dbContents)
  const env: Record<string, string> = {}
  // Variables that would point the app elsewhere than this test's library and build.
  const dropped = new Set(['GROKKING_LAB_DB', 'GROKKING_LAB_SQLITE_BINDING', 'GROKKING_LAB_WORKER_SCRIPT', 'ELECTRON_RENDERER_URL', 'ELECTRON_RUN_AS_NODE', 'NODE_OPTIONS'])
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !dropped.has(key)) env[key] = value
  env.FAKE_ELECTRON_HOME = scratch
  if (options.platform) env.FAKE_ELECTRON_PLATFORM = options.platform

  const child = spawn(process.execPath, ['--import', REGISTER, bundle, '--db', dbPath], {
    cwd: scratch,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))

  const channel = child.stdio[3] as Readable & Writable
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  const events: FakeEvent[] = []
  let nextId = 1
  let buffered = ''
  channel.setEncoding('utf8')
  channel.on('data', (chunk: string) => {
    buffered += chunk
    for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
      const message = JSON.parse(buffered.slice(0, i)) as { id: number; ok: boolean; value?: unknown; error?: string; event?: string; details?: unknown }
      buffered = buffered.slice(i + 1)
      if (message.event !== undefined) {
        events.push({ event: message.event, details: message.details })
        continue
      }
      const waiter = pending.get(message.id)
      pending.delete(message.id)
      if (message.ok) waiter?.resolve(message.value)
      else waiter?.reject(new Error(`fake electron: ${message.error}`))
    }
  })
  channel.on('error', () => {})
  void exited.then(({ code, signal }) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`the app exited (code ${code}, signal ${signal}) before answering; it printed:\n${output}`))
    pending.clear()
  })

  const command = <T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> => {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`the app has exited (code ${child.exitCode}); it printed:\n${output}`))
    const id = nextId++
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      channel.write(`${JSON.stringify({ id, cmd, args })}\n`)
    })
  }

  const state = () => command<FakeState>('state')
  const waitForState = async (accept: (s: FakeState) => boolean, what: string, timeoutMs = 10_000): Promise<FakeState> => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const s = await state()
      if (accept(s)) return s
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the fake saw ${JSON.stringify(s.log)}; the app printed:\n${output}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  return {
    child,
    dbPath,
    output: () => output,
    events: () => [...events],
    command,
    state,
    waitForState,
    exited,
    async dispose() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL')
        await exited
      }
      fs.rmSync(scratch, { recursive: true, force: true })
    },
  }
}
