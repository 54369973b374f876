import { BrowserWindow, shell } from 'electron'
import { PRELOAD, RENDERER_HTML } from './app-frame'

/**
 * Opens the lab window: sandboxed, context-isolated renderer whose only way out is the preload's
 * `window.lab`. It loads the dev server when electron-vite dev provides one, else the built page.
 */
export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Grokking Lab',
    backgroundColor: '#14161a',
    autoHideMenuBar: true,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  })
  win.once('ready-to-show', () => win.show())

  // The page never opens windows or leaves the app; web links go to the user's browser.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (event, url) => {
    if (url !== win.webContents.getURL()) event.preventDefault()
  })

  const devUrl = process.env.ELECTRON_RENDERER_URL
  if (devUrl) void win.loadURL(devUrl)
  else void win.loadFile(RENDERER_HTML)
  return win
}
