// Validation of API requests against API_CONTRACT with messages a person can act on. Shared so the
// page can check a request the way the lab will; no Node imports.
import { z } from 'zod'
import { API_CONTRACT, type LabChannel, type LabParsedRequest } from './api'
import { LabError } from './lab-error'

type RawIssue = z.core.$ZodRawIssue

/** Whether `channel` names a channel of the contract. */
export function isLabChannel(channel: unknown): channel is LabChannel {
  return typeof channel === 'string' && Object.prototype.hasOwnProperty.call(API_CONTRACT, channel)
}

/**
 * Validates a raw request for `channel` (defaults filled in, strings coerced where the schema says
 * so); throws LabError with one line naming each bad key, e.g. `runs:list: limit: must be ≤ 1000`.
 */
export function parseLabRequest<C extends LabChannel>(channel: C, raw: unknown): LabParsedRequest<C> {
  if (!isLabChannel(channel)) throw new LabError(`unknown lab channel '${String(channel)}'`)
  const schema = API_CONTRACT[channel].request as unknown as z.ZodObject
  const result = schema.safeParse(raw ?? {}, { error: issueMessage })
  if (result.success) return result.data as LabParsedRequest<C>
  const known = Object.keys(schema.shape)
  const problems = result.error.issues.map((issue) => {
    const path = formatPath(issue.path)
    let message = issue.message
    if (issue.code === 'unrecognized_keys' && issue.path.length === 0) message += ` (known keys: ${known.join(', ') || 'none'})`
    // Coercing schemas (path parameters) report the coerced value (NaN); name what was sent.
    if (issue.code === 'invalid_type') message = typeMessage(issue.expected, valueAt(raw, issue.path))
    return path ? `${path}: ${message}` : message
  })
  throw new LabError(`${channel}: ${problems.join('; ')}`)
}

/** `filters[0].key` for ['filters', 0, 'key']. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)), '')
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined), raw)
}

function typeMessage(expected: string, input: unknown): string {
  if (input === undefined) return 'is required'
  if (expected === 'int') return `must be an integer, got ${describe(input)}`
  return `must be ${expected === 'array' || expected === 'object' ? 'an' : 'a'} ${expected}, got ${describe(input)}`
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'number' && Number.isNaN(value)) return 'not a number'
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`
}

const plural = (n: number | bigint, word: string) => `${n} ${word}${Number(n) === 1 ? '' : 's'}`

/** Our wording of zod's issues; messages the contract spells out itself take precedence over these. */
function issueMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return typeMessage(issue.expected, issue.input)
    case 'too_big':
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at most ${plural(issue.maximum, 'item')}`
      if (issue.origin === 'string') return `must be at most ${plural(issue.maximum, 'character')}`
      return `must be ${issue.inclusive ? '≤' : '<'} ${issue.maximum}`
    case 'too_small':
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at least ${plural(issue.minimum, 'item')}`
      if (issue.origin === 'string') return Number(issue.minimum) === 1 ? 'cannot be empty' : `must be at least ${plural(issue.minimum, 'character')}`
      return `must be ${issue.inclusive ? '≥' : '>'} ${issue.minimum}`
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(issue.input)}`
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`
    case 'invalid_union':
      return `does not match any accepted form, got ${describe(issue.input)}`
    default:
      return undefined
  }
}
