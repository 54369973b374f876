import { computed, onUnmounted, reactive, ref, watch, type Ref } from 'vue'
import type { ConfigField, ConfigValidation, PresetInfo } from '../../../shared/api'
import { TASK_MODELS, type TaskKind } from '../../../shared/run-config'
import { lab } from '../api'
import { fromText, sameValue, toText } from '../components/new-run/form-values'
import { errorMessage } from '../format'

const VALIDATE_DELAY_MS = 300

/**
 * The run-config form: one text per key (what the inputs show), read back into values, the keys
 * that differ from the preset (what is sent, so a run records its preset plus its changes), and
 * the server's validation of that, debounced. Valid only when the latest answer says so.
 */
export function useConfigForm(fields: Ref<ConfigField[]>, presets: Ref<PresetInfo[]>) {
  const preset = ref('')
  const texts = reactive<Record<string, string>>({})
  const validation = ref<ConfigValidation | null>(null)
  const validateError = ref<string | null>(null)
  const pending = ref(false)

  const base = computed<Record<string, unknown>>(() => {
    const chosen = presets.value.find((p) => p.name === preset.value)
    if (chosen) return chosen.config as Record<string, unknown>
    return Object.fromEntries(fields.value.map((f) => [f.key, f.default]))
  })

  /** Fills every input from a config (a preset's, or a run's for "train again"). */
  function fill(values: Record<string, unknown>): void {
    for (const f of fields.value) texts[f.key] = toText(f, values[f.key] ?? f.default)
  }

  function choosePreset(name: string, values?: Record<string, unknown>): void {
    preset.value = name
    fill(values ?? base.value)
  }

  const parsed = computed(() => Object.fromEntries(fields.value.map((f) => [f.key, fromText(f, texts[f.key] ?? '')])))
  const localErrors = computed(() => {
    const out: Record<string, string> = {}
    for (const [key, p] of Object.entries(parsed.value)) if (!p.ok) out[key] = p.message
    return out
  })
  const values = computed(() => {
    const out: Record<string, unknown> = {}
    for (const [key, p] of Object.entries(parsed.value)) if (p.ok && p.value !== undefined) out[key] = p.value
    return out
  })
  /** Keys that differ from the preset: what training:start receives as `config`. */
  const overrides = computed(() => {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(values.value)) if (!preset.value || !sameValue(value, base.value[key])) out[key] = value
    return out
  })
  const changedKeys = computed(() => new Set(preset.value ? Object.keys(overrides.value) : []))

  // A task trains only some models: follow a task change with a model that can train it.
  watch(
    () => texts.task,
    (task) => {
      const models = TASK_MODELS[task as TaskKind]
      if (models && texts.model !== undefined && !models.includes(texts.model as never)) texts.model = models[0]
    },
  )

  let timer: ReturnType<typeof setTimeout> | undefined
  let latest = 0
  async function validate(): Promise<void> {
    const request = ++latest
    try {
      const answer = await lab.invoke('config:validate', { preset: preset.value || undefined, config: overrides.value })
      if (request !== latest) return
      validation.value = answer
      validateError.value = null
    } catch (e) {
      if (request === latest) validateError.value = errorMessage(e)
    } finally {
      if (request === latest) pending.value = false
    }
  }
  watch(
    [preset, overrides, () => fields.value.length],
    () => {
      if (!fields.value.length) return
      pending.value = true
      clearTimeout(timer)
      timer = setTimeout(() => void validate(), VALIDATE_DELAY_MS)
    },
    { deep: true },
  )
  onUnmounted(() => clearTimeout(timer))

  const issues = computed(() => (validation.value && !validation.value.ok ? validation.value.issues : []))
  /** One message per key: the form's reading error, else the server's issues for that key. */
  const errors = computed(() => {
    const out: Record<string, string> = { ...localErrors.value }
    for (const issue of issues.value) if (!out[issue.key]) out[issue.key] = issue.message
    return out
  })
  const valid = computed(() => !pending.value && validation.value?.ok === true && Object.keys(localErrors.value).length === 0)

  return { preset, texts, base, overrides, changedKeys, values, validation, validateError, pending, issues, errors, valid, choosePreset, fill }
}
