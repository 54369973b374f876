import fs from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import { PAGE_CSP } from '../shared/page-csp'
import { sendError } from './http-io'


const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
}

/**
 * Serves the built page from `root` (GET and HEAD): `/` is index.html, paths without an extension
 * fall back to it (the page routes itself), nothing outside `root` is ever read.
 */
export async function serveStatic(root: string, pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 404, `no route ${req.method} ${pathname}`)
  let relative: string
  try {
    relative = decodeURIComponent(pathname)
  } catch {
    return sendError(res, 400, `malformed path ${pathname}`)
  }
  const base = path.resolve(root)
  const file = path.resolve(base, `.${path.posix.normalize(relative.replace(/\\/g, '/'))}`)
  if (relative.includes('\0') || (file !== base && !file.startsWith(base + path.sep))) return sendError(res, 404, `no file ${pathname}`)
  const target = (await isFile(file)) ? file : path.extname(file) === '' ? path.join(base, 'index.html') : null
  if (!target || !(await isFile(target))) {
    return sendError(res, 404, target ? `the page is not built (no ${target}); run 'npx electron-vite build'` : `no file ${pathname}`)
  }
  const body = await fs.readFile(target)
  res.writeHead(200, {
    'Content-Type': TYPES[path.extname(target).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': body.byteLength,
    'Content-Security-Policy': PAGE_CSP,
    'Cache-Control': 'no-cache',
  })
  res.end(req.method === 'HEAD' ? undefined : body)
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile()
  } catch {
    return false
  }
}
