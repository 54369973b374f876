import { describe, expect, it } from 'vitest'
import { LAB_CHANNELS, type LabApi } from '../../shared/api'
import { parseLabRequest } from '../../shared/parse-request'
import { dispatch } from './dispatch'

const message = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    return (e as Error).message
  }
  return 'no error'
}

describe('request validation', () => {
  it('fills defaults and coerces path parameters', () => {
    expect(parseLabRequest('runs:list', {})).toEqual({ order: 'desc', offset: 0, limit: 200 })
    expect(parseLabRequest('runs:get', { runId: '12' })).toEqual({ runId: 12 })
    expect(parseLabRequest('snapshots:tensor', { runId: '3', step: '0', tensor: 'E' })).toEqual({ runId: 3, step: 0, tensor: 'E' })
  })

  it('names the channel, the key and what is wrong in one line', () => {
    expect(message(() => parseLabRequest('runs:list', { limit: 5000 }))).toBe('runs:list: limit: must be ≤ 1000')
    expect(message(() => parseLabRequest('runs:list', { limit: 0 }))).toBe('runs:list: limit: must be ≥ 1')
    expect(message(() => parseLabRequest('runs:list', { limit: 2.5 }))).toBe('runs:list: limit: must be an integer, got number 2.5')
    expect(message(() => parseLabRequest('runs:list', { order: 'up' }))).toBe(`runs:list: order: must be one of "asc", "desc", got 'up'`)
    expect(message(() => parseLabRequest('runs:list', { status: 'running' }))).toBe(`runs:list: status: must be an array, got 'running'`)
    expect(message(() => parseLabRequest('runs:list', { filters: [{ key: 'wd', min: 'x' }] }))).toBe(`runs:list: filters[0].min: must be a number, got 'x'`)
    expect(message(() => parseLabRequest('runs:list', { bogus: 1 }))).toMatch(/^runs:list: unknown key 'bogus' \(known keys: search, status, .*limit\)$/)
    expect(message(() => parseLabRequest('runs:get', { runId: 'abc' }))).toBe("runs:get: runId: must be a number, got 'abc'")
    expect(message(() => parseLabRequest('runs:get', {}))).toBe('runs:get: runId: is required')
    expect(message(() => parseLabRequest('runs:get', null))).toBe('runs:get: runId: is required')
    expect(message(() => parseLabRequest('runs:get', 'x'))).toBe("runs:get: must be an object, got 'x'")
    expect(message(() => parseLabRequest('runs:delete', { runIds: [] }))).toBe('runs:delete: runIds: name at least one run')
    expect(message(() => parseLabRequest('runs:update', { runId: 1, name: '  ' }))).toBe('runs:update: name: a run name cannot be empty')
    expect(message(() => parseLabRequest('training:start', { preset: 3 }))).toBe('training:start: preset: must be a string, got number 3')
    expect(message(() => parseLabRequest('runs:tag', { runIds: [1] , add: [''] }))).toBe('runs:tag: add[0]: cannot be empty')
    expect(message(() => parseLabRequest('runs:list', { limit: 0, offset: -1 }))).toBe('runs:list: offset: must be ≥ 0; limit: must be ≥ 1')
    expect(message(() => parseLabRequest('nope:nope' as never, {}))).toBe("unknown lab channel 'nope:nope'")
  })

  it('dispatches only valid requests to their handler', async () => {
    const seen: unknown[] = []
    const api = Object.fromEntries(LAB_CHANNELS.map((c) => [c, async (r: unknown) => (seen.push([c, r]), c)])) as unknown as LabApi
    await expect(dispatch(api, 'runs:get', { runId: '4' })).resolves.toBe('runs:get')
    await expect(dispatch(api, 'runs:get', { runId: -4 })).rejects.toThrow('runs:get: runId: must be > 0')
    await expect(dispatch(api, 'bad' as never, {})).rejects.toMatchObject({ name: 'LabError' })
    expect(seen).toEqual([['runs:get', { runId: 4 }]])
  })
})
