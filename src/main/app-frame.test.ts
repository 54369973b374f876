import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { isAppFrameUrl } from './app-frame'

describe('app frame check', () => {
  const html = path.resolve('/opt/lab/out/renderer/index.html')
  const page = pathToFileURL(html).href

  it('accepts only the built page, whatever its route', () => {
    expect(isAppFrameUrl(page, {}, html)).toBe(true)
    expect(isAppFrameUrl(`${page}#/runs/3`, {}, html)).toBe(true)
    expect(isAppFrameUrl(pathToFileURL(path.resolve('/opt/lab/out/renderer/other.html')).href, {}, html)).toBe(false)
    expect(isAppFrameUrl('https://example.com/', {}, html)).toBe(false)
    expect(isAppFrameUrl(undefined, {}, html)).toBe(false)
    expect(isAppFrameUrl('not a url', {}, html)).toBe(false)
  })

  it('accepts the dev server origin under electron-vite dev', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' }
    expect(isAppFrameUrl('http://localhost:5173/#/sweeps', env, html)).toBe(true)
    expect(isAppFrameUrl('http://localhost:5174/', env, html)).toBe(false)
    expect(isAppFrameUrl(page, env, html)).toBe(false)
  })
})
