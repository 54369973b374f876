import { BrowserWindow, ipcMain } from 'electron'
import { LAB_CHANNELS, LAB_EVENT_CHANNEL, type LabApi, type LabChannel, type LabEvents } from '../shared/api'
import { isLabError } from '../shared/lab-error'


type Handler = (...args: unknown[]) => Promise<unknown>

/**
 * Serves every LAB_CHANNELS entry from `service` over ipcMain.handle. Failures reach the
 * renderer as a plain Error carrying only the message (a stack would be noise to the user);
 * unexpected ones are also logged here with their stack. Returns a function that removes them.
 */
export function registerLabIpc(service: LabApi): () => void {
  for (const channel of LAB_CHANNELS) {
    const method = service[channel] as unknown
    if (typeof method !== 'function') throw new Error(`the lab service has no handler for ${channel}`)
    ipcMain.handle(channel, async (_event, ...args: unknown[]) => {
      try {
        return await (method as Handler).apply(service, args)
      } catch (e) {
        if (!isLabError(e)) console.error(`[lab] ${channel} failed:`, e)
        throw new Error(e instanceof Error ? e.message : String(e))
      }
    })
  }
  return () => LAB_CHANNELS.forEach((channel: LabChannel) => ipcMain.removeHandler(channel))
}

/** Sends a lab event to every open window (a window may be reopened while a run trains). */
export function broadcastLabEvent<E extends keyof LabEvents>(event: E, payload: LabEvents[E]): void {
  for (const win of BrowserWindow.getAllWindows()) {
    if (!win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(LAB_EVENT_CHANNEL, event, payload)
  }
}
