import type { LabApi, LabChannel, LabResponses } from '../../shared/api'
import { LabError } from '../../shared/lab-error'
import { isLabChannel, parseLabRequest } from '../../shared/parse-request'

/**
 * Serves one request from any front end (IPC, HTTP): checks the channel, validates the raw request
 * against API_CONTRACT (a bad one is a LabError with one clear line) and calls its handler.
 */
export async function dispatch<C extends LabChannel>(api: LabApi, channel: C, raw: unknown): Promise<LabResponses[C]> {
  if (!isLabChannel(channel)) throw new LabError(`unknown lab channel '${String(channel)}'`)
  const request = parseLabRequest(channel, raw)
  const handler = api[channel] as (request: unknown) => Promise<LabResponses[C]>
  return handler(request)
}
