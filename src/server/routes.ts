import { API_CONTRACT, LAB_CHANNELS, type LabChannel } from '../shared/api'

interface Route {
  channel: LabChannel
  method: string
  /** Path segments; `:name` ones are parameters. */
  segments: string[]
  literals: number
}

/** The REST routes of API_CONTRACT, literal segments before parameters (`/api/runs/facets` before `/api/runs/:runId`). */
const ROUTES: Route[] = LAB_CHANNELS.map((channel) => {
  const { method, path } = API_CONTRACT[channel]
  const segments = path.split('/').slice(1)
  return { channel, method, segments, literals: segments.filter((s) => !s.startsWith(':')).length }
}).sort((a, b) => b.literals - a.literals)

export interface RouteMatch {
  channel: LabChannel
  /** The `:name` segments of the path, decoded. */
  params: Record<string, string>
}

/** The channel a method and path (already split and decoded) name, or undefined when none does. */
export function matchRoute(method: string, segments: readonly string[]): RouteMatch | undefined {
  for (const route of ROUTES) {
    if (route.method !== method || route.segments.length !== segments.length) continue
    const params: Record<string, string> = {}
    const ok = route.segments.every((s, i) => {
      if (s.startsWith(':')) {
        params[s.slice(1)] = segments[i]
        return segments[i] !== ''
      }
      return s === segments[i]
    })
    if (ok) return { channel: route.channel, params }
  }
  return undefined
}

/** Every route as `METHOD /path`, for the 404 message. */
export function routeList(): string[] {
  return LAB_CHANNELS.map((c) => `${API_CONTRACT[c].method} ${API_CONTRACT[c].path}`)
}
