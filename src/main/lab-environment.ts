import fs from 'node:fs'
import path from 'node:path'

/** Where scripts/prepare-electron-native.mjs leaves better-sqlite3 rebuilt for Electron's ABI. */
export const ELECTRON_SQLITE_BINDING = path.join('.electron-native', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')

/**
 * Points the engine at Electron-specific files before any library is opened: the SQLite addon
 * built for Electron's ABI (node_modules holds the plain-Node build the CLI uses) and the worker
 * entry, which Electron's child_process.fork runs with Electron's own Node. Both variables are
 * inherited by training workers, so they open the library with the same addon.
 * Returns the binding it chose, or null when it left the default in place.
 */
export function configureLabEnvironment(appPath: string, env: NodeJS.ProcessEnv = process.env): string | null {
  env.GROKKING_LAB_WORKER_SCRIPT = path.join(appPath, 'bin', 'train-worker.mjs')
  const binding = path.join(appPath, ELECTRON_SQLITE_BINDING)
  if (!fs.existsSync(binding)) return null
  env.GROKKING_LAB_SQLITE_BINDING = binding
  return binding
}
