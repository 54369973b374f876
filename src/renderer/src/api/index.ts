import { ref } from 'vue'
import type { LabBridge } from '../../../shared/api'
import { createHttpBridge, type ReconnectingBridge } from './http-bridge'
import { forgetToken, takeToken } from './token'

/** Why the page cannot talk to the lab (shown full-page), or null. */
export const authError = ref<string | null>(null)

const SERVE_HINT = 'Open the URL printed by grokking-lab serve (it carries ?token=…).'

function unauthorizedBridge(): ReconnectingBridge {
  const fail = () => Promise.reject(new Error('no API token'))
  return { invoke: fail, on: () => () => {}, onReconnect: () => () => {} }
}

/**
 * Requests are JSON-like by contract. Over IPC they are structured-cloned, which refuses Vue's
 * reactive proxies (filters, selections), so they cross as plain copies, as they would over HTTP.
 */
function plain<T>(request: T): T {
  return request === undefined ? request : (JSON.parse(JSON.stringify(request)) as T)
}

function createBridge(): ReconnectingBridge {
  // Electron: the preload's IPC bridge. Nothing is lost over IPC, so there is nothing to reconnect.
  const electron: LabBridge | undefined = window.lab
  if (electron) {
    return {
      invoke: (channel, request) => electron.invoke(channel, plain(request)),
      on: (event, listener) => electron.on(event, listener),
      onReconnect: () => () => {},
    }
  }

  const token = takeToken()
  if (!token) {
    authError.value = `This page needs the lab's access token. ${SERVE_HINT}`
    return unauthorizedBridge()
  }
  return createHttpBridge({
    origin: window.location.origin,
    token,
    onUnauthorized: () => {
      forgetToken()
      authError.value = `The lab refused this page's access token (the server may have restarted with a new one). ${SERVE_HINT}`
    },
  })
}

/** The page's one client of the lab: `window.lab` under Electron, HTTP + WebSocket in a browser. */
export const lab: ReconnectingBridge = createBridge()
