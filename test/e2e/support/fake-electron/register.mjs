// Preloaded with `node --import` before the built main: installs the 'electron' hook and makes the
// process look like the Electron main process the bundle was built for.
import { createRequire, register } from 'node:module'
import path from 'node:path'

register('./hooks.mjs', import.meta.url)

// The platform the app branches on (window-all-closed keeps a macOS app alive). Set before the
// bundle runs; Node's own modules chose their platform behaviour at startup and are unaffected.
if (process.env.FAKE_ELECTRON_PLATFORM) Object.defineProperty(process, 'platform', { value: process.env.FAKE_ELECTRON_PLATFORM })

// Where `npm start` has run, the app rightly points better-sqlite3 at its Electron-ABI build
// (.electron-native/), which plain Node cannot load; hand Node the same addon built for Node.
const ELECTRON_SQLITE = path.join('.electron-native', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
const nodeSqlite = path.join(path.dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node')
const dlopen = process.dlopen
process.dlopen = function (module, filename, ...rest) {
  return dlopen.call(this, module, filename.endsWith(ELECTRON_SQLITE) ? nodeSqlite : filename, ...rest)
}
