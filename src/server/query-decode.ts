import type { z } from 'zod'
import { LabError } from '../shared/lab-error'

interface DefLike {
  type: string
  innerType?: { def: DefLike }
  entries?: Record<string, unknown>
}

/**
 * Whether a field's schema, under optional/default/nullable wrappers, takes a string: a string or
 * an enum of strings (`order=asc`), so its query value is used as it is rather than as JSON.
 */
export function takesString(schema: { def: DefLike } | undefined): boolean {
  let def = schema?.def
  while (def && ['optional', 'default', 'nullable', 'prefault', 'catch', 'readonly'].includes(def.type)) def = def.innerType?.def
  if (def?.type === 'enum') return Object.values(def.entries ?? {}).every((v) => typeof v === 'string')
  return def?.type === 'string'
}

/**
 * A GET request's query string as request keys (docs/http-api.md): a value stays the raw string
 * when the schema's field takes a string, else it is JSON (`limit=50`, `status=["running"]`).
 * `token` is the credential, not a key. Throws LabError naming the key whose JSON is bad.
 */
export function decodeQuery(schema: z.ZodObject, query: URLSearchParams): Record<string, unknown> {
  const shape = schema.shape as Record<string, { def: DefLike }>
  const out: Record<string, unknown> = {}
  for (const [key, raw] of query) {
    if (key === 'token') continue
    if (takesString(shape[key]) || !Object.prototype.hasOwnProperty.call(shape, key)) {
      out[key] = raw
      continue
    }
    try {
      out[key] = JSON.parse(raw)
    } catch {
      throw new LabError(`${key}: '${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw}' is not JSON; query values other than strings are JSON-encoded, e.g. ?status=["running"]&limit=50`)
    }
  }
  return out
}
