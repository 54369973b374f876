// A minimal, strict stand-in for Electron's main-process API, for running the built main bundle in
// plain Node (test/e2e/electron-bundle.spec.ts). It records what the app does and lets the test
// act as Electron would (fire events, call the handlers the app registered) over a JSON-lines
// channel on fd 3; fd 3 rather than Node's IPC channel, because the lab takes a process with
// `process.send` for a training worker. Every object handed to the app throws on a property the
// fake lacks, so a new Electron call in the app fails the test by name instead of passing unseen.
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const missing = []
const log = []

/** Notes what the app did, in the state and at once to the test (which still has it after an exit). */
function record(entry, details) {
  log.push(entry)
  if (channel?.writable) channel.write(`${JSON.stringify({ event: entry, details })}\n`)
}

/** Wraps `target` so that reading or writing a property it lacks throws, naming `name.property`. */
function strict(name, target) {
  const fail = (key) => {
    const what = `${name}.${String(key)}`
    if (!missing.includes(what)) missing.push(what)
    throw new Error(`fake electron: ${what} is not faked (test/e2e/support/fake-electron/electron.mjs); Electron's API used by the app has grown`)
  }
  return new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === 'symbol' || key in t) return Reflect.get(t, key, receiver)
      // Promise resolution and `await` probe for `then`; Electron's objects are not thenables either.
      if (key === 'then') return undefined
      return fail(key)
    },
    set(t, key, value, receiver) {
      if (!(key in t)) return fail(key)
      return Reflect.set(t, key, value, receiver)
    },
  })
}

/** A small event emitter over a Map; `api` is what listeners' `this` and return values refer to. */
function emitter() {
  const listeners = new Map()
  const add = (name, listener, once) => {
    if (typeof listener !== 'function') throw new TypeError(`fake electron: a listener for '${name}' must be a function`)
    listeners.set(name, [...(listeners.get(name) ?? []), { listener, once }])
  }
  return {
    on: (name, listener) => add(name, listener, false),
    once: (name, listener) => add(name, listener, true),
    off(name, listener) {
      listeners.set(name, (listeners.get(name) ?? []).filter((l) => l.listener !== listener))
    },
    emit(name, ...args) {
      const current = listeners.get(name) ?? []
      listeners.set(name, current.filter((l) => !l.once))
      for (const { listener } of current) listener(...args)
      return current.length > 0
    },
    count: (name) => (listeners.get(name) ?? []).length,
    names: () => [...listeners].filter(([, l]) => l.length > 0).map(([name]) => name),
  }
}

/** An Electron Event: preventDefault() and defaultPrevented, plus `extra` fields. */
function electronEvent(name, extra = {}) {
  let prevented = false
  return strict(`${name} event`, {
    ...extra,
    preventDefault() {
      prevented = true
    },
    get defaultPrevented() {
      return prevented
    },
  })
}

// --- app ---------------------------------------------------------------------------------------

/** The app folder Electron would run: the nearest package.json above the script, whose main it must be. */
function findAppPath(script) {
  for (let dir = path.dirname(script); ; dir = path.dirname(dir)) {
    const pkgFile = path.join(dir, 'package.json')
    if (fs.existsSync(pkgFile)) {
      const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'))
      const main = path.resolve(dir, pkg.main ?? 'index.js')
      if (main !== script) throw new Error(`fake electron: ${pkgFile} names ${main} as main, so \`electron ${dir}\` would not run ${script}`)
      return { dir, productName: pkg.productName ?? pkg.name }
    }
    if (dir === path.dirname(dir)) throw new Error(`fake electron: no package.json above ${script}`)
  }
}

const script = path.resolve(process.argv[1])
const appFolder = findAppPath(script)
const fakeHome = process.env.FAKE_ELECTRON_HOME
if (!fakeHome) throw new Error('fake electron: set FAKE_ELECTRON_HOME to a scratch folder (home, appData and temp live there)')
const paths = {
  home: fakeHome,
  appData: path.join(fakeHome, 'appData'),
  temp: path.join(fakeHome, 'temp'),
  logs: path.join(fakeHome, 'logs'),
}
paths.userData = path.join(paths.appData, appFolder.productName)
paths.sessionData = paths.userData

const appEvents = emitter()
let appName = appFolder.productName
let ready = false
let whenReadyCalls = 0
let quitting = false
let exiting = false
let readyResolve
const readyPromise = new Promise((resolve) => (readyResolve = resolve))

/** Ends the process as Electron does after quit or exit, once the channel has carried what it holds. */
function exitProcess(code) {
  if (exiting) return
  exiting = true
  record(`exit ${code}`)
  setTimeout(() => process.exit(code), 1000).unref()
  // After the answer to the command that led here (sent from a microtask) has been written.
  setImmediate(() => channel.end(() => process.exit(code)))
}

function quit() {
  record('app.quit')
  if (exiting) return
  const beforeQuit = electronEvent('before-quit')
  appEvents.emit('before-quit', beforeQuit)
  if (beforeQuit.defaultPrevented) {
    record('before-quit prevented')
    return
  }
  // app.quit closes every window without window-all-closed.
  quitting = true
  for (const w of [...windows]) closeWindow(w, true)
  const willQuit = electronEvent('will-quit')
  appEvents.emit('will-quit', willQuit)
  if (willQuit.defaultPrevented) {
    quitting = false
    return
  }
  appEvents.emit('quit', electronEvent('quit'), 0)
  exitProcess(0)
}

export const app = strict('app', {
  setName(name) {
    record(`app.setName ${name}`)
    appName = name
  },
  getName: () => appName,
  getPath(name) {
    if (!(name in paths)) throw new Error(`fake electron: app.getPath('${name}') is not faked`)
    return paths[name]
  },
  setPath(name, value) {
    if (!(name in paths)) throw new Error(`fake electron: app.setPath('${name}') is not faked`)
    if (!path.isAbsolute(value)) throw new Error(`app.setPath('${name}'): Electron wants an absolute path, got ${value}`)
    record(`app.setPath ${name}`)
    paths[name] = value
  },
  getAppPath: () => appFolder.dir,
  isReady: () => ready,
  whenReady() {
    whenReadyCalls++
    return readyPromise
  },
  on(name, listener) {
    appEvents.on(name, listener)
    return app
  },
  once(name, listener) {
    appEvents.once(name, listener)
    return app
  },
  quit,
  exit(code = 0) {
    record(`app.exit ${code}`)
    exitProcess(code)
  },
})

// --- windows -----------------------------------------------------------------------------------

const windows = []
let nextWindowId = 1

function closeWindow(w, byQuit = false) {
  if (w.destroyed) return
  const close = electronEvent('close')
  w.events.emit('close', close)
  if (close.defaultPrevented && !byQuit) return
  w.destroyed = true
  windows.splice(windows.indexOf(w), 1)
  w.events.emit('closed')
  if (windows.length === 0 && !quitting) {
    // Without a window-all-closed listener Electron quits by itself.
    if (!appEvents.emit('window-all-closed')) quit()
  }
}

/** Deep copy of constructor options for the report (functions and odd values dropped by JSON). */
const copyOptions = (options) => JSON.parse(JSON.stringify(options ?? {}))

class FakeBrowserWindow {
  constructor(options = {}) {
    if (!ready) throw new Error('fake electron: a BrowserWindow cannot be created before the app is ready')
    const w = {
      id: nextWindowId++,
      options: copyOptions(options),
      events: emitter(),
      contents: emitter(),
      url: '',
      loads: [],
      shown: false,
      destroyed: false,
      openHandler: null,
      sent: [],
    }
    const webContents = strict(`BrowserWindow#${w.id}.webContents`, {
      id: w.id,
      getURL: () => w.url,
      isDestroyed: () => w.destroyed,
      on(name, listener) {
        w.contents.on(name, listener)
        return webContents
      },
      once(name, listener) {
        w.contents.once(name, listener)
        return webContents
      },
      setWindowOpenHandler(handler) {
        w.openHandler = handler
      },
      send(channel, ...args) {
        if (w.destroyed) throw new Error('Object has been destroyed')
        // Electron sends with the structured clone algorithm: what cannot be cloned fails here too.
        w.sent.push({ channel, args: structuredClone(args) })
      },
    })
    const load = (url, what) => {
      w.url = url
      w.loads.push(what)
      record(`window ${w.id} load ${JSON.stringify(what)}`)
      return new Promise((resolve, reject) => {
        setImmediate(() => {
          if (what.file && !fs.existsSync(what.file)) {
            w.contents.emit('did-fail-load', electronEvent('did-fail-load'), -6, 'ERR_FILE_NOT_FOUND', url)
            reject(new Error(`ERR_FILE_NOT_FOUND (-6) loading '${url}'`))
            return
          }
          w.contents.emit('did-finish-load', electronEvent('did-finish-load'))
          if (w.options.show === false) w.events.emit('ready-to-show', electronEvent('ready-to-show'))
          resolve()
        })
      })
    }
    const api = strict(`BrowserWindow#${w.id}`, {
      id: w.id,
      webContents,
      on(name, listener) {
        w.events.on(name, listener)
        return api
      },
      once(name, listener) {
        w.events.once(name, listener)
        return api
      },
      show() {
        w.shown = true
      },
      isVisible: () => w.shown && !w.destroyed,
      isDestroyed: () => w.destroyed,
      close: () => closeWindow(w),
      loadFile(filePath, opts = {}) {
        const url = pathToFileURL(path.resolve(filePath))
        if (opts.search) url.search = opts.search
        if (opts.hash) url.hash = opts.hash
        return load(url.href, { file: path.resolve(filePath) })
      },
      loadURL: (url) => load(url, { url }),
    })
    w.api = api
    if (w.options.show !== false) w.shown = true
    windows.push(w)
    record(`window ${w.id} created`)
    return api
  }

  static getAllWindows() {
    return windows.map((w) => w.api)
  }
}

export const BrowserWindow = strict('BrowserWindow', FakeBrowserWindow)

// --- ipcMain, session, shell, dialog -----------------------------------------------------------

const handlers = new Map()

export const ipcMain = strict('ipcMain', {
  handle(channel, listener) {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    handlers.set(channel, listener)
  },
  removeHandler(channel) {
    handlers.delete(channel)
  },
})

let headersListener = null

export const session = strict('session', {
  defaultSession: strict('session.defaultSession', {
    webRequest: strict('session.defaultSession.webRequest', {
      // (listener) or (filter, listener); a later call replaces the listener, null removes it.
      onHeadersReceived(filterOrListener, maybeListener) {
        headersListener = (typeof filterOrListener === 'function' ? filterOrListener : maybeListener) ?? null
      },
    }),
  }),
})

const openedExternally = []

export const shell = strict('shell', {
  async openExternal(url) {
    openedExternally.push(url)
  },
})

const errorBoxes = []

export const dialog = strict('dialog', {
  showErrorBox(title, content) {
    errorBoxes.push({ title, content })
    record('dialog.showErrorBox', { title, content })
  },
})

// --- the test's side of the channel --------------------------------------------------------------

function windowById(id) {
  const w = windows.find((x) => x.id === id)
  if (!w) throw new Error(`no open window ${id} (open: ${windows.map((x) => x.id).join(', ') || 'none'})`)
  return w
}

function state() {
  return {
    ready,
    whenReadyCalls,
    name: appName,
    paths,
    appPath: appFolder.dir,
    env: { GROKKING_LAB_WORKER_SCRIPT: process.env.GROKKING_LAB_WORKER_SCRIPT, GROKKING_LAB_SQLITE_BINDING: process.env.GROKKING_LAB_SQLITE_BINDING },
    appListeners: Object.fromEntries(appEvents.names().map((n) => [n, appEvents.count(n)])),
    windows: windows.map((w) => ({
      id: w.id,
      options: w.options,
      url: w.url,
      loads: w.loads,
      shown: w.shown,
      hasOpenHandler: w.openHandler !== null,
      windowListeners: w.events.names(),
      contentsListeners: w.contents.names(),
      sent: w.sent,
    })),
    ipcHandlers: [...handlers.keys()],
    hasHeadersListener: headersListener !== null,
    openedExternally,
    errorBoxes,
    missing,
    log,
  }
}

const commands = {
  state,
  windowOpen({ window, url }) {
    const w = windowById(window)
    if (!w.openHandler) return { action: 'allow', note: 'no window open handler: Electron would open it' }
    return w.openHandler(strict('window open details', { url, frameName: '', features: '', disposition: 'foreground-tab', referrer: { url: w.url, policy: 'strict-origin-when-cross-origin' } }))
  },
  navigate({ window, url }) {
    const w = windowById(window)
    const event = electronEvent('will-navigate', { url, isMainFrame: true, isSameDocument: false })
    w.contents.emit('will-navigate', event, url)
    return { prevented: event.defaultPrevented }
  },
  headers({ url, responseHeaders }) {
    if (!headersListener) return { called: false }
    return new Promise((resolve) => {
      const details = strict('onHeadersReceived details', { id: 1, url, method: 'GET', resourceType: 'mainFrame', timestamp: Date.now(), statusLine: 'HTTP/1.1 200', statusCode: 200, responseHeaders })
      headersListener(details, (response) => resolve({ called: true, response: response ?? {} }))
    })
  },
  async invoke({ window, channel, request, frameUrl }) {
    const w = windowById(window)
    const handler = handlers.get(channel)
    // As ipcRenderer.invoke answers a channel nobody handles.
    if (!handler) return { ok: false, message: `Error invoking remote method '${channel}': Error: No handler registered for '${channel}'` }
    const senderFrame = frameUrl === null ? null : strict('senderFrame', { url: frameUrl, origin: new URL(frameUrl).origin, frameTreeNodeId: 1, processId: 1, routingId: 1 })
    const event = strict('IpcMainInvokeEvent', { type: 'frame', sender: w.api.webContents, senderFrame, processId: 1, frameId: 1 })
    try {
      const value = await handler(event, structuredClone(request))
      return { ok: true, value: structuredClone(value) }
    } catch (e) {
      return { ok: false, message: `Error invoking remote method '${channel}': ${e}` }
    }
  },
  closeWindow({ window }) {
    closeWindow(windowById(window))
    return { open: windows.length }
  },
  activate() {
    appEvents.emit('activate', electronEvent('activate'), windows.some((w) => w.shown))
    return { open: windows.length }
  },
  quit() {
    quit()
    return { exiting }
  },
}

let channel
try {
  channel = new net.Socket({ fd: 3, readable: true, writable: true })
} catch (e) {
  throw new Error(`fake electron: fd 3 must be the test's channel (spawn with stdio[3] = 'pipe'): ${e.message}`)
}
const send = (message) => {
  if (!channel.writable) return
  channel.write(`${JSON.stringify(message)}\n`)
}
let buffered = ''
channel.setEncoding('utf8')
channel.on('data', (chunk) => {
  buffered += chunk
  for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
    const line = buffered.slice(0, i)
    buffered = buffered.slice(i + 1)
    const { id, cmd, args } = JSON.parse(line)
    Promise.resolve()
      .then(() => {
        if (!(cmd in commands)) throw new Error(`fake electron: unknown command ${cmd}`)
        return commands[cmd](args ?? {})
      })
      .then(
        (value) => send({ id, ok: true, value }),
        (e) => send({ id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
      )
  }
})
// An app left without its test would live on like a real one: end it with the channel.
channel.on('end', () => {
  if (!exiting) process.exit(70)
})
channel.on('error', () => {
  if (!exiting) process.exit(70)
})

// Electron is ready once the main script has run; the whole module graph evaluates before this fires.
setImmediate(() => {
  ready = true
  record('ready')
  appEvents.emit('ready', electronEvent('ready'), {})
  readyResolve()
})
