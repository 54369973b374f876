import { API_CONTRACT, type LabChannel } from '../../../shared/api'

export interface EncodedRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  /** Path with `:name` segments filled in and the query string appended. */
  url: string
  /** JSON body (POST, PATCH). */
  body?: string
}

/**
 * A channel's request as its REST call (docs/http-api.md): `:name` path segments from the request's
 * keys, the rest as the query string (GET/DELETE: strings raw, anything else JSON) or a JSON body.
 */
export function encodeRequest(channel: LabChannel, request: object | undefined): EncodedRequest {
  const route = API_CONTRACT[channel]
  if (!route) throw new Error(`unknown lab channel: ${String(channel)}`)
  const method = route.method as EncodedRequest['method']
  const rest: Record<string, unknown> = { ...(request ?? {}) }
  const path = route.path.replace(/:([A-Za-z_]\w*)/g, (_m, name: string) => {
    const value = rest[name]
    if (value === undefined || value === null || value === '') throw new Error(`${channel}: missing ${name}`)
    delete rest[name]
    return encodeURIComponent(String(value))
  })
  const entries = Object.entries(rest).filter(([, v]) => v !== undefined)
  if (method === 'GET' || method === 'DELETE') {
    const query = new URLSearchParams()
    for (const [key, value] of entries) query.append(key, typeof value === 'string' ? value : JSON.stringify(value))
    const qs = query.toString()
    return { method, url: qs ? `${path}?${qs}` : path }
  }
  return { method, url: path, body: JSON.stringify(Object.fromEntries(entries)) }
}

/** X-Tensor-Shape `97,128` (empty for a scalar) as numbers. */
export function parseShape(header: string | null): number[] {
  if (!header || !header.trim()) return []
  return header.split(',').map((s) => Number(s.trim()))
}
