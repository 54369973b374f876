import type { ConfigValidation } from '../../shared/api'
import { configIssues, parseRunConfig, type RunConfig } from '../../shared/run-config'
import { getPreset } from '../presets'

/** A request's config keys merged over its preset (if any), before validation. */
export function mergeOverPreset(preset: string | undefined, config: Record<string, unknown>): Record<string, unknown> {
  return { ...(preset ? getPreset(preset).config : {}), ...config }
}

/** The validated config of a request; throws LabError naming every problem (as the CLI does). */
export function requestConfig(preset: string | undefined, config: Record<string, unknown>): RunConfig {
  return parseRunConfig(mergeOverPreset(preset, config))
}

/** Every problem of a request's config by key, or the resolved config when there is none. */
export function validateRequestConfig(preset: string | undefined, config: Record<string, unknown>): ConfigValidation {
  const merged = mergeOverPreset(preset, config)
  const issues = configIssues(merged)
  return issues.length === 0 ? { ok: true, config: parseRunConfig(merged), issues: [] } : { ok: false, issues }
}
