import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { processAlive } from './process-alive'

describe('processAlive', () => {
  it('takes this process for alive, and no pid for dead', () => {
    expect(processAlive(process.pid)).toBe(true)
    expect(processAlive(null)).toBe(false)
  })

  it.skipIf(process.platform !== 'linux')('takes a zombie, which kill(pid, 0) still finds, for dead', async () => {
    // sh starts a short sleep in the background and becomes a long one, which never reaps it: once
    // the short one ends (after the exec, so sh cannot reap it first) it is a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0.5 & echo $!; exec sleep 10'], { stdio: ['ignore', 'pipe', 'ignore'] })
    const pid = await new Promise<number>((resolve) => parent.stdout!.once('data', (d) => resolve(Number(String(d).trim()))))
    try {
      let zombie = false
      for (let i = 0; i < 200 && !zombie; i++) {
        await new Promise((r) => setTimeout(r, 20))
        zombie = !processAlive(pid)
      }
      expect(() => process.kill(pid, 0)).not.toThrow()
      expect(zombie).toBe(true)
    } finally {
      parent.kill('SIGKILL')
    }
  })
})
