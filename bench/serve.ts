// `grokking-lab serve` on a scratch library for the browser benches, with a client for its API.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export interface Served {
  child: ChildProcess
  /** The printed URL, token included. */
  url: string
  token: string
  /** Calls the API with the token; throws on a non-2xx answer. */
  api<T>(method: string, route: string, body?: unknown): Promise<T>
  /** Stops the server and waits for it to exit. */
  close(): Promise<void>
}

/** Serves `dbPath` on a free port; resolves once the URL is printed. */
export function serve(dbPath: string): Promise<Served> {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'grokking-lab.mjs'), 'serve', '--port', '0', '--db', dbPath], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  let output = ''
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /https?:\/\/\S+token=(\S+)/.exec(output)
      if (!match) return
      child.stdout!.off('data', onData)
      child.stderr!.off('data', onData)
      const url = match[0]
      const token = match[1]
      resolve({
        child,
        url,
        token,
        async api<T>(method: string, route: string, body?: unknown): Promise<T> {
          const r = await fetch(new URL(route, url), { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
          if (!r.ok) throw new Error(`${method} ${route}: ${r.status} ${await r.text()}`)
          return (await r.json()) as T
        },
        async close() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
          await exited
        },
      })
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)))
  })
}
