import fs from 'node:fs'
import { LabError } from '../shared/lab-error'
import { applyOverride, parseRunConfig, type RunConfig } from '../shared/run-config'
import { getPreset } from '../lab/presets'

export interface ConfigSource {
  preset?: string
  config?: string
  set?: string[]
  steps?: string
}

/** Merges a preset or JSON file, then --set overrides and --steps, and validates the result. */
export function resolveConfig(source: ConfigSource): { config: RunConfig; preset: string | null } {
  if (source.preset && source.config) throw new LabError('give either --preset or --config, not both')
  if (!source.preset && !source.config) throw new LabError("give --preset NAME or --config FILE ('grokking-lab presets' lists the presets)")
  const base: Record<string, unknown> = source.preset ? { ...getPreset(source.preset).config } : readConfigFile(source.config!)
  for (const assignment of source.set ?? []) applyOverride(base, assignment)
  if (source.steps !== undefined) applyOverride(base, `steps=${source.steps}`)
  return { config: parseRunConfig(base), preset: source.preset ?? null }
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (e) {
    throw new LabError(`cannot read config file ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    throw new LabError(`config file ${file} is not valid JSON: ${(e as Error).message}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new LabError(`config file ${file} must hold one JSON object of config keys`)
  }
  return parsed as Record<string, unknown>
}
