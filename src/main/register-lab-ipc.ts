import { BrowserWindow, ipcMain, session } from 'electron'
import { LAB_CHANNELS, LAB_EVENT_CHANNEL, type LabApi, type LabChannel, type LabEventName, type LabEvents } from '../shared/api'
import { isLabError } from '../shared/lab-error'
import { PAGE_CSP } from '../shared/page-csp'
import { dispatch } from '../lab/api/dispatch'
import { isAppFrameUrl } from './app-frame'

/**
 * Serves every channel of API_CONTRACT from `service` over ipcMain.handle, each request validated
 * by the same dispatcher as browser mode, and only for the app's own page. Failures reach the
 * renderer as a plain Error carrying only the message (a stack would be noise to the user);
 * unexpected ones are also logged here with their stack. Returns a function that removes them.
 */
export function registerLabIpc(service: LabApi, isAppFrame: (url: string | undefined) => boolean = isAppFrameUrl): () => void {
  for (const channel of LAB_CHANNELS) {
    ipcMain.handle(channel, async (event, request: unknown) => {
      const frame = event.senderFrame?.url
      if (!isAppFrame(frame)) {
        console.error(`[lab] refused ${channel} from ${frame ?? 'an unknown frame'}`)
        throw new Error(`${channel}: refused; only the Grokking Lab page may call the lab`)
      }
      try {
        return await dispatch(service, channel, request)
      } catch (e) {
        if (!isLabError(e)) console.error(`[lab] ${channel} failed:`, e)
        throw new Error(e instanceof Error ? e.message : String(e))
      }
    })
  }
  return () => LAB_CHANNELS.forEach((channel: LabChannel) => ipcMain.removeHandler(channel))
}

/** Sends a lab event to every open window (a window may be reopened while a run trains). */
export function broadcastLabEvent<E extends LabEventName>(event: E, payload: LabEvents[E]): void {
  for (const win of BrowserWindow.getAllWindows()) {
    if (!win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(LAB_EVENT_CHANNEL, event, payload)
  }
}

/**
 * Adds the page's CSP to the session's responses, beside index.html's meta tag. Not under the dev
 * server, whose hot reload needs inline scripts and its own socket.
 */
export function applyPageCsp(env: NodeJS.ProcessEnv = process.env): void {
  if (env.ELECTRON_RENDERER_URL) return
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [PAGE_CSP] } })
  })
}
