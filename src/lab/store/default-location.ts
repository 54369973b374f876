import os from 'node:os'
import path from 'node:path'

export const APP_FOLDER_NAME = 'Grokking Lab'
export const LIBRARY_FILE_NAME = 'library.sqlite'

/**
 * The folder Electron's app.getPath('userData') returns for this app, computed without Electron,
 * so the CLI and the desktop app open the same library.
 */
export function userDataFolder(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir()
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_FOLDER_NAME)
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME)
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), APP_FOLDER_NAME)
}

/** The library path: an explicit --db, else GROKKING_LAB_DB, else the user-data folder. */
export function resolveLibraryPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return path.resolve(explicit)
  if (env.GROKKING_LAB_DB) return path.resolve(env.GROKKING_LAB_DB)
  return path.join(userDataFolder(env), LIBRARY_FILE_NAME)
}
