import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { LabError } from '../shared/lab-error'

/** The project this server runs from (src/server/../..). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
/** Where electron-vite builds the page. */
export const RENDERER_DIR = path.join(PROJECT_ROOT, 'out', 'renderer')

function newestMtime(dir: string): number {
  let newest = 0
  if (!fs.existsSync(dir)) return newest
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs)
  }
  return newest
}

/** Why the page needs building (missing, or older than its sources), or null when out/renderer is current. */
export function rendererBuildReason(root: string = PROJECT_ROOT): string | null {
  const index = path.join(root, 'out', 'renderer', 'index.html')
  if (!fs.existsSync(index)) return `${path.relative(root, index)} is missing`
  const sources = path.join(root, 'src', 'renderer')
  // An installed copy without the sources serves what it shipped.
  if (!fs.existsSync(sources)) return null
  const built = fs.statSync(index).mtimeMs
  const newest = Math.max(newestMtime(sources), newestMtime(path.join(root, 'src', 'shared')))
  return newest > built ? 'its sources changed since it was built' : null
}

/**
 * Builds only the page (not main or preload) with vite and the renderer config of
 * electron.vite.config.ts, into out/renderer (or `outDir`). Throws LabError with the build's first error line.
 */
export async function buildRenderer(root: string = PROJECT_ROOT, outDir?: string): Promise<void> {
  const saved = { NODE_ENV: process.env.NODE_ENV, NODE_ENV_ELECTRON_VITE: process.env.NODE_ENV_ELECTRON_VITE }
  try {
    // electron-vite's production presets (relative base, out/renderer) key off these.
    process.env.NODE_ENV_ELECTRON_VITE = 'production'
    const { resolveConfig } = await import('electron-vite')
    const { build } = await import('vite')
    const resolved = await resolveConfig({ root, mode: 'production', logLevel: 'error', configFile: path.join(root, 'electron.vite.config.ts') }, 'build', 'production')
    const renderer = resolved.config?.renderer
    if (!renderer) throw new LabError('electron.vite.config.ts has no renderer config to build the page from')
    await build({ ...renderer, logLevel: 'error', build: { ...renderer.build, ...(outDir ? { outDir, emptyOutDir: true } : {}) } })
  } catch (e) {
    if (e instanceof LabError) throw e
    const first = String((e as Error)?.message ?? e).split('\n')[0]
    throw new LabError(`building the page failed: ${first}; fix it, or set GROKKING_LAB_SKIP_RENDERER_BUILD=1 to serve what out/renderer holds`)
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}
