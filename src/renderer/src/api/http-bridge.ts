import type { LabBridge, LabChannel, LabRequest, LabResponses, SnapshotTensor } from '../../../shared/api'
import { EventSocket } from './event-socket'
import { encodeRequest, parseShape } from './request-url'

export interface HttpBridgeOptions {
  /** e.g. `http://127.0.0.1:5170` */
  origin: string
  token: string
  /** Called on a 401: the token is missing, wrong, or from an earlier server. */
  onUnauthorized: () => void
}

export interface ReconnectingBridge extends LabBridge {
  /** Called after the event stream came back from an outage (events may have been missed). */
  onReconnect(listener: () => void): () => void
}

/** The lab over HTTP and a WebSocket (browser mode, docs/http-api.md). */
export function createHttpBridge({ origin, token, onUnauthorized }: HttpBridgeOptions): ReconnectingBridge {
  const wsOrigin = origin.replace(/^http/, 'ws')
  const events = new EventSocket(`${wsOrigin}/api/events?token=${encodeURIComponent(token)}`)

  async function invoke<C extends LabChannel>(channel: C, request: LabRequest<C>): Promise<LabResponses[C]> {
    const { method, url, body } = encodeRequest(channel, request as object | undefined)
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    let response: Response
    try {
      response = await fetch(`${origin}${url}`, { method, headers, body })
    } catch {
      throw new Error(`cannot reach the lab at ${origin} (is grokking-lab serve still running?)`)
    }
    if (response.status === 401) {
      events.stop()
      onUnauthorized()
    }
    if (!response.ok) throw new Error(await errorText(response))
    if (channel === 'snapshots:tensor') return (await readTensor(response, request as LabRequest<'snapshots:tensor'>)) as LabResponses[C]
    return (await response.json()) as LabResponses[C]
  }

  return {
    invoke,
    on: (event, listener) => events.on(event, listener),
    onReconnect: (listener) => events.onReconnect(listener),
  }
}

async function errorText(response: Response): Promise<string> {
  const text = await response.text().catch(() => '')
  try {
    const parsed = JSON.parse(text) as { error?: unknown }
    if (typeof parsed.error === 'string' && parsed.error) return parsed.error
  } catch {
    // Not JSON: fall through to the status line.
  }
  return text.trim() || `${response.status} ${response.statusText}`
}

async function readTensor(response: Response, request: LabRequest<'snapshots:tensor'>): Promise<SnapshotTensor> {
  const buffer = await response.arrayBuffer()
  const stepHeader = response.headers.get('X-Tensor-Step')
  return {
    name: response.headers.get('X-Tensor-Name') ?? request.tensor,
    step: stepHeader != null ? Number(stepHeader) : Number(request.step),
    shape: parseShape(response.headers.get('X-Tensor-Shape')),
    // Little-endian float32 on the wire, which is every platform's native order in practice.
    data: new Float32Array(buffer),
  }
}
