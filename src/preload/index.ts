// The renderer's only door to the lab: `window.lab`, a LabBridge over IPC. Nothing else from
// Electron or Node crosses; in particular ipcRenderer and IPC event objects never do.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { LAB_CHANNELS, LAB_EVENT_CHANNEL, type LabApi, type LabBridge, type LabChannel, type LabEvents } from '../shared/api'


const channels: ReadonlySet<string> = new Set<string>(LAB_CHANNELS)

// ipcRenderer.invoke wraps remote errors as "Error invoking remote method 'x': Error: <message>".
const REMOTE_ERROR_PREFIX = /^Error invoking remote method '[^']*': (?:\w*Error: )?/

function cleanError(e: unknown): Error {
  const message = e instanceof Error ? e.message : String(e)
  return new Error(message.replace(REMOTE_ERROR_PREFIX, ''))
}

function invoke<C extends LabChannel>(channel: C, ...args: Parameters<LabApi[C]>): ReturnType<LabApi[C]> {
  const result: Promise<unknown> = channels.has(channel)
    ? ipcRenderer.invoke(channel, ...args).catch((e: unknown) => Promise.reject(cleanError(e)))
    : Promise.reject(new Error(`unknown lab channel: ${String(channel)}`))
  return result as ReturnType<LabApi[C]>
}

function on<E extends keyof LabEvents>(event: E, listener: (payload: LabEvents[E]) => void): () => void {
  const handler = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
    if (name === event) listener(payload as LabEvents[E])
  }
  ipcRenderer.on(LAB_EVENT_CHANNEL, handler)
  return () => {
    ipcRenderer.removeListener(LAB_EVENT_CHANNEL, handler)
  }
}

const bridge: LabBridge = { invoke, on }

contextBridge.exposeInMainWorld('lab', bridge)
