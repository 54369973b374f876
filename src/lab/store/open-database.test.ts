import { describe, expect, it } from 'vitest'
import { RunStore } from './run-store'

describe('opening a library', () => {
  it.skipIf(process.platform !== 'linux')('a --db folder that cannot be made (under /proc) is one error line, not a hang', () => {
    // Node's recursive mkdir never returns here; the library makes each level itself.
    expect(() => RunStore.open('/proc/grokking-lab-x/lab.sqlite')).toThrow(
      'cannot create a run library at /proc/grokking-lab-x/lab.sqlite (ENOENT); pass a writable --db path or set GROKKING_LAB_DB',
    )
  })
})
