import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach } from 'vitest'

/** A fresh temporary folder for the current test file, removed after each test. */
export function useTempDir(): () => string {
  let dirs: string[] = []
  afterEach(() => {
    dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }))
    dirs = []
  })
  return () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokking-lab-test-'))
    dirs.push(dir)
    return dir
  }
}
