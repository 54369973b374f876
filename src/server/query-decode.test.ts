import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { API_CONTRACT, LAB_CHANNELS } from '../shared/api'
import { decodeQuery, takesString } from './query-decode'
import { matchRoute } from './routes'

const schema = (c: keyof typeof API_CONTRACT) => API_CONTRACT[c].request as unknown as z.ZodObject

describe('query decoding', () => {
  it('keeps string fields raw and JSON-decodes the rest', () => {
    const q = new URLSearchParams({ search: '123', sort: 'config.wd', status: '["running"]', limit: '50', order: 'asc', token: 'secret' })
    expect(decodeQuery(schema('runs:list'), q)).toEqual({ search: '123', sort: 'config.wd', status: ['running'], limit: 50, order: 'asc' })
    expect(decodeQuery(schema('runs:series'), new URLSearchParams('names=["a","b"]&from=10&width=800'))).toEqual({ names: ['a', 'b'], from: 10, width: 800 })
    expect(decodeQuery(schema('analysis:frequency-steps'), new URLSearchParams('view=neurons'))).toEqual({ view: 'neurons' })
  })

  it('says which key holds bad JSON', () => {
    expect(() => decodeQuery(schema('runs:list'), new URLSearchParams('limit=fifty'))).toThrow(/^limit: 'fifty' is not JSON/)
  })

  it('sees through optional and default wrappers, and reads string enums as strings', () => {
    const shape = schema('runs:list').shape as Record<string, never>
    expect(takesString(shape.search)).toBe(true)
    expect(takesString(shape.order)).toBe(true)
    expect(takesString(shape.status)).toBe(false)
    expect(takesString(shape.limit)).toBe(false)
  })
})

describe('routes', () => {
  it('matches every contract route, literal segments before parameters', () => {
    for (const channel of LAB_CHANNELS) {
      const { method, path } = API_CONTRACT[channel]
      const segments = path.split('/').slice(1).map((s) => (s.startsWith(':') ? '7' : s))
      expect(matchRoute(method, segments)?.channel, path).toBe(channel)
    }
    expect(matchRoute('GET', ['api', 'runs', 'facets'])?.channel).toBe('runs:facets')
    expect(matchRoute('GET', ['api', 'runs', '12'])).toEqual({ channel: 'runs:get', params: { runId: '12' } })
    expect(matchRoute('GET', ['api', 'runs', '3', 'snapshots', '200', 'blocks.0.mlp.W_in'])).toEqual({
      channel: 'snapshots:tensor',
      params: { runId: '3', step: '200', tensor: 'blocks.0.mlp.W_in' },
    })
    expect(matchRoute('DELETE', ['api', 'runs', '12'])).toBeUndefined()
    expect(matchRoute('GET', ['api', 'runs', ''])).toBeUndefined()
  })
})
