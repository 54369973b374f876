import type { IncomingMessage, ServerResponse } from 'node:http'
import type { SnapshotTensor } from '../shared/api'
import { LabError } from '../shared/lab-error'

/** The largest request body read (requests are small JSON objects); more is answered 413. */
export const MAX_BODY_BYTES = 1024 * 1024

/** Thrown for a request that must get a specific status (413, 400 for bad JSON). */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

/** Sends `value` as JSON. NaN and infinities (a diverged loss) become null, as JSON has no other spelling. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value) ?? 'null')
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.byteLength, 'Cache-Control': 'no-store' })
  res.end(body)
}

/** Sends `{"error": message}` with the status. */
export function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v)
  sendJson(res, status, { error: message })
}

/** A tensor as little-endian float32 bytes with its shape, name and step in headers (docs/http-api.md). */
export function sendTensor(res: ServerResponse, t: SnapshotTensor): void {
  // Float32Array is in the machine's byte order, little-endian on every platform the lab ships for.
  const body = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': body.byteLength,
    'Cache-Control': 'no-store',
    'X-Tensor-Shape': t.shape.join(','),
    'X-Tensor-Name': /^[\x20-\x7e]*$/.test(t.name) ? t.name : encodeURIComponent(t.name),
    'X-Tensor-Step': String(t.step),
  })
  res.end(body)
}

/** Reads a JSON object body of at most MAX_BODY_BYTES; an empty body is `{}`. Throws HttpError (413, 400). */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, `the request body is over ${MAX_BODY_BYTES} bytes`)
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.byteLength
      if (size > MAX_BODY_BYTES) throw new HttpError(413, `the request body is over ${MAX_BODY_BYTES} bytes`)
      chunks.push(chunk)
    }
  } catch (e) {
    if (e instanceof HttpError) throw e
    // The client went away, or was cut off (Node answers 408 to a body slower than requestTimeout).
    throw new HttpError(408, 'the request body did not arrive in time')
  }
  const text = Buffer.concat(chunks).toString('utf8').trim()
  if (text === '') return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    throw new LabError(`the request body is not JSON (${(e as Error).message})`)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new LabError('the request body must be one JSON object')
  return value as Record<string, unknown>
}
