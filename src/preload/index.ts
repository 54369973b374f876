// The renderer's only door to the lab: `window.lab`, a LabBridge over IPC. Nothing else from
// Electron or Node crosses; in particular ipcRenderer and IPC event objects never do.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { LAB_CHANNELS, LAB_EVENT_CHANNEL, type LabBridge, type LabChannel, type LabEventName, type LabEvents, type LabRequest, type LabResponses } from '../shared/api'

const channels: ReadonlySet<string> = new Set<string>(LAB_CHANNELS)

// ipcRenderer.invoke wraps remote errors as "Error invoking remote method 'x': Error: <message>".
const REMOTE_ERROR_PREFIX = /^Error invoking remote method '[^']*': (?:\w*Error: )?/

function cleanError(e: unknown): Error {
  const message = e instanceof Error ? e.message : String(e)
  return new Error(message.replace(REMOTE_ERROR_PREFIX, ''))
}

/** Sends one request (validated in the main process; tensors come back as Float32Array by structured clone). */
function invoke<C extends LabChannel>(channel: C, request: LabRequest<C>): Promise<LabResponses[C]> {
  if (!channels.has(channel)) return Promise.reject(new Error(`unknown lab channel: ${String(channel)}`))
  return ipcRenderer.invoke(channel, request ?? {}).catch((e: unknown) => Promise.reject(cleanError(e))) as Promise<LabResponses[C]>
}

function on<E extends LabEventName>(event: E, listener: (payload: LabEvents[E]) => void): () => void {
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
