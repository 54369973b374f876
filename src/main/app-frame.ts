import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

// The bundle lives in out/main; its siblings are out/preload and out/renderer.
const here = path.dirname(fileURLToPath(import.meta.url))
export const PRELOAD = path.join(here, '..', 'preload', 'index.cjs')
export const RENDERER_HTML = path.join(here, '..', 'renderer', 'index.html')

/**
 * Whether a frame URL is the app's own page: the built index.html (any hash or query), or in
 * development the origin of electron-vite's dev server. IPC from any other frame (an iframe, a
 * page navigated elsewhere) is refused.
 */
export function isAppFrameUrl(url: string | undefined, env: NodeJS.ProcessEnv = process.env, rendererHtml: string = RENDERER_HTML): boolean {
  if (!url) return false
  try {
    const frame = new URL(url)
    if (env.ELECTRON_RENDERER_URL) return frame.origin === new URL(env.ELECTRON_RENDERER_URL).origin
    frame.hash = ''
    frame.search = ''
    return frame.href === pathToFileURL(rendererHtml).href
  } catch {
    return false
  }
}
