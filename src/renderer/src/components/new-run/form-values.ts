import type { ConfigField } from '../../../../shared/api'

export type Parsed = { ok: true; value: unknown } | { ok: false; message: string }

export const GROUPS: { key: ConfigField['group']; label: string }[] = [
  { key: 'task', label: 'Task' },
  { key: 'model', label: 'Model' },
  { key: 'optimizer', label: 'Optimizer' },
  { key: 'schedule', label: 'Schedule' },
  { key: 'recording', label: 'Recording' },
]

/** What an input shows for a config value. */
export function toText(field: ConfigField, value: unknown): string {
  if (value === undefined || value === null) return ''
  if (field.type === 'record') return JSON.stringify(value)
  return String(value)
}

/**
 * An input's text as a config value, or why it is not one. Only the form's own reading errors
 * are worded here; bounds and cross-key rules come from `config:validate`, worded as the CLI does.
 * (v-model on a number input hands over a number, hence `text` may be one.)
 */
export function fromText(field: ConfigField, text: string | number): Parsed {
  const t = String(text ?? '').trim()
  if (t === '') return { ok: true, value: field.nullable ? null : undefined }
  switch (field.type) {
    case 'integer':
    case 'number': {
      const n = Number(t)
      if (!Number.isFinite(n)) return { ok: false, message: `${field.key} must be a number` }
      return { ok: true, value: n }
    }
    case 'record': {
      try {
        const value: unknown = JSON.parse(t)
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: `${field.key} must be a JSON object, e.g. {"E": 0}` }
        return { ok: true, value }
      } catch {
        return { ok: false, message: `${field.key}: not valid JSON` }
      }
    }
    default:
      return { ok: true, value: t }
  }
}

/** Whether a key matters for this task and model (others are tucked away, not dropped). */
export function relevant(field: ConfigField, task: unknown, model: unknown): boolean {
  if (field.tasks && !field.tasks.includes(String(task))) return false
  if (field.models && !field.models.includes(String(model))) return false
  return true
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
}
