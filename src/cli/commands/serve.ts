import { spawn } from 'node:child_process'
import { LabError } from '../../shared/lab-error'
import { resolveLibraryPath } from '../../lab/store/default-location'
import { DEFAULT_PORT, startLabServer } from '../../server/lab-server'
import { buildRenderer, RENDERER_DIR, rendererBuildReason } from '../../server/renderer-build'
import { isLoopback } from '../../server/request-guard'

export interface ServeOptions {
  port?: string
  host?: string
  db?: string
  open?: boolean
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PORT
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LabError(`--port must be an integer from 0 to 65535 (0 picks a free port), got '${raw}'`)
  return port
}

/**
 * `grokking-lab serve`: the app in a browser. Builds the page when it is missing or stale, serves
 * it with the lab API on loopback, prints the URL (with its token) as the one line on stdout, and
 * runs until SIGINT or SIGTERM, when it cancels training (workers checkpoint) and closes the library.
 */
export async function serveCommand(options: ServeOptions): Promise<number> {
  const port = parsePort(options.port)
  const host = options.host ?? '127.0.0.1'
  const dbPath = resolveLibraryPath(options.db)
  if (process.env.GROKKING_LAB_SKIP_RENDERER_BUILD !== '1') {
    const reason = rendererBuildReason()
    if (reason) {
      process.stderr.write(`Grokking Lab is building the page (${reason}) …\n`)
      await buildRenderer()
    }
  }
  const server = await startLabServer({ dbPath, host, port, rendererDir: RENDERER_DIR })
  if (!isLoopback(host)) {
    process.stderr.write(`warning: serving on ${host}, reachable from other machines; anyone with the URL's token can read and train runs\n`)
  }
  console.log(`Grokking Lab is serving ${server.url}`)
  if (options.open) openInBrowser(server.url)
  return new Promise<number>((resolve) => {
    let stopping = false
    const stop = () => {
      if (stopping) process.exit(130)
      stopping = true
      process.stderr.write('stopping: training runs checkpoint and stay resumable (again to quit at once)\n')
      server.close().then(
        () => resolve(0),
        (e) => {
          console.error(`grokking-lab: closing failed: ${(e as Error)?.message ?? e}`)
          resolve(1)
        },
      )
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

/** Opens the URL in the desktop's browser; a failure is one line, never fatal. */
function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]]
  const note = (why: string) => process.stderr.write(`could not open a browser (${why}); open the URL above yourself\n`)
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true })
    child.on('error', (e) => note(e.message))
    child.on('exit', (code) => code && note(`${cmd} exited with code ${code}`))
    child.unref()
  } catch (e) {
    note((e as Error).message)
  }
}
