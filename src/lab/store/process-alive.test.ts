import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { processAlive } from './process-alive'

describe('processAlive', () => {
  it('takes this process for alive, and no pid for dead', () => {
    expect(processAlive(process.pid)).toBe(true)
    expect(processAlive(null)).toBe(false)
  })

  it.skipIf(process.platform !== 'linux')('takes a zombie, which kill(pid, 0) still finds, for dead', async () => {
    // sh starts `true` in the background and becomes `sleep`, which never reaps it: a zombie.
    const parent = spawn('sh', ['-c', 'true & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] })
    const pid = await new Promise<number>((resolve) => parent.stdout!.once('data', (d) => resolve(Number(String(d).trim()))))
    try {
      let zombie = false
      for (let i = 0; i < 50 && !zombie; i++) {
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
