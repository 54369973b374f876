// Electron main: opens the run library, serves the typed lab API over IPC, opens the window.
import path from 'node:path'
import { app, BrowserWindow, dialog } from 'electron'
import { createLabService, type LabService } from '../lab/api/lab-service'
import { APP_FOLDER_NAME } from '../lab/store/default-location'
import { createMainWindow } from './create-window'
import { configureLabEnvironment } from './lab-environment'
import { libraryPath } from './library-path'
import { applyPageCsp, broadcastLabEvent, registerLabIpc } from './register-lab-ipc'

// Electron derives userData from the name before this script runs; pin both so the app opens
// the same library as the CLI (src/lab/store/default-location.ts) whatever the package says.
app.setName(APP_FOLDER_NAME)
app.setPath('userData', path.join(app.getPath('appData'), APP_FOLDER_NAME))

let service: LabService | null = null
let unregister: (() => void) | null = null

function startLab(): void {
  configureLabEnvironment(app.getAppPath())
  const dbPath = libraryPath(process.argv, process.env, app.getPath('userData'))
  service = createLabService({ dbPath, mode: 'electron' }, broadcastLabEvent)
  unregister = registerLabIpc(service)
  applyPageCsp()
}

/** Cancels running workers (they checkpoint), then closes the library; safe to call more than once. */
async function stopLab(): Promise<void> {
  unregister?.()
  unregister = null
  const s = service
  service = null
  try {
    await s?.close()
  } catch (e) {
    console.error('[lab] closing the library failed:', e)
  }
}

app.whenReady().then(() => {
  try {
    startLab()
  } catch (e) {
    // Typically a bad --db path or a better-sqlite3 build for the wrong ABI: say so and leave.
    const message = e instanceof Error ? e.message : String(e)
    console.error(`[lab] ${message}`)
    dialog.showErrorBox('Grokking Lab cannot open its run library', message)
    // The library may have opened before what failed (the IPC, the CSP): close it before leaving.
    void stopLab().finally(() => app.exit(1))
    return
  }
  createMainWindow()
  app.on('activate', () => {
    if (service && BrowserWindow.getAllWindows().length === 0) createMainWindow()
  })
})

app.on('window-all-closed', () => {
  // macOS apps stay alive without windows (and keep training); elsewhere closing the window quits.
  if (process.platform !== 'darwin') app.quit()
})
app.on('before-quit', (event) => {
  if (!service) return
  // Quit once the workers have checkpointed and the library is closed.
  event.preventDefault()
  void stopLab().finally(() => app.quit())
})
