import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, spawnCli } from '../helpers/run-cli'
import { useTempDir } from '../helpers/temp-dir'

const URL_PATTERN = /https?:\/\/\S+token=\S+/
const env = { GROKKING_LAB_SKIP_RENDERER_BUILD: '1' }

describe('grokking-lab serve', () => {
  const tempDir = useTempDir()

  it('prints one URL line with its token, answers with it, and stops cleanly on SIGTERM', async () => {
    const db = path.join(tempDir(), 'lib.sqlite')
    const { child, result } = spawnCli(['serve', '--port', '0', '--db', db], env)
    let stdout = ''
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d) => {
        stdout += d
        const m = URL_PATTERN.exec(stdout)
        if (m) resolve(m[0])
      })
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)))
    })
    expect(stdout).toMatch(/^Grokking Lab is serving http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+\n$/)
    const parsed = new URL(url)
    const info = await fetch(new URL('/api/info', parsed.origin), { headers: { Authorization: `Bearer ${parsed.searchParams.get('token')}` } })
    expect(await info.json()).toMatchObject({ dbPath: db, mode: 'browser' })
    expect((await fetch(new URL('/api/info', parsed.origin))).status).toBe(401)

    // A second server on the same port says what to do instead.
    const clash = await runCli(['serve', '--port', parsed.port, '--db', db], env)
    expect(clash.code).toBe(2)
    expect(clash.stderr).toMatch(/port \d+ on 127\.0\.0\.1 is already in use; pass --port N/)

    child.kill('SIGTERM')
    const done = await result
    expect(done.code).toBe(0)
    expect(done.stdout.trim().split('\n')).toHaveLength(1)
  })
})
