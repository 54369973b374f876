import type { BackendProbe } from '../../shared/backend'
import { configFields } from '../../shared/config-fields'
import { parseRunConfig } from '../../shared/run-config'
import { APP_VERSION } from '../app-version'
import { PRESETS } from '../presets'
import { validateRequestConfig } from './request-config'
import type { LabContext } from './service-context'
import type { LabApi } from '../../shared/api'

type InfoApi = Pick<LabApi, 'app:info' | 'presets:list' | 'config:schema' | 'config:validate' | 'backends:list'>

/** The handlers that describe the lab: version, presets, the config form, backends. */
export function infoHandlers(ctx: LabContext): InfoApi {
  const presets = PRESETS.map((p) => ({ name: p.name, description: p.description, config: parseRunConfig(p.config) }))
  const fields = configFields()
  let backends: Promise<BackendProbe[]> | undefined
  return {
    'app:info': async () => ({ version: APP_VERSION, dbPath: ctx.dbPath, mode: ctx.mode }),
    'presets:list': async () => presets,
    'config:schema': async () => fields,
    'config:validate': async ({ preset, config }) => validateRequestConfig(preset, config),
    // Probing loads tfjs and native backends into this process: once, and only when asked.
    'backends:list': () =>
      (backends ??= import('../backends/select-backend').then((m) => m.probeBackends()).catch((e) => {
        backends = undefined
        throw e
      })),
  }
}
