import { describe, expect, it } from 'vitest'
import { encodeRequest, parseShape } from './request-url'

describe('encodeRequest', () => {
  it('fills path segments and JSON-encodes non-string query values', () => {
    const r = encodeRequest('runs:series', { runId: 3, names: ['test_acc'], width: 800 })
    expect(r.method).toBe('GET')
    expect(r.url).toBe('/api/runs/3/series?names=%5B%22test_acc%22%5D&width=800')
    expect(r.body).toBeUndefined()
  })

  it('sends strings raw and skips undefined keys', () => {
    expect(encodeRequest('runs:list', { search: 'mod add', sort: undefined, status: ['running'] }).url).toBe(
      '/api/runs?search=mod+add&status=%5B%22running%22%5D',
    )
    expect(encodeRequest('app:info', {}).url).toBe('/api/info')
  })

  it('puts the other keys of POST and PATCH in a JSON body', () => {
    const r = encodeRequest('runs:update', { runId: 7, name: 'a/b' })
    expect(r).toEqual({ method: 'PATCH', url: '/api/runs/7', body: '{"name":"a/b"}' })
    expect(encodeRequest('training:cancel', { runId: 2 })).toEqual({ method: 'POST', url: '/api/runs/2/cancel', body: '{}' })
  })

  it('escapes path values and refuses a missing one', () => {
    expect(encodeRequest('snapshots:tensor', { runId: 1, step: 20, tensor: 'W/out' }).url).toBe('/api/runs/1/snapshots/20/W%2Fout')
    expect(() => encodeRequest('runs:get', {} as never)).toThrow(/runId/)
  })
})

describe('parseShape', () => {
  it('reads X-Tensor-Shape', () => {
    expect(parseShape('97,128')).toEqual([97, 128])
    expect(parseShape('')).toEqual([])
    expect(parseShape(null)).toEqual([])
  })
})
