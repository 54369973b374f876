// `grokking-lab ARGS` run inside the test's own process through the CLI's main(): the same parsing,
// commands and one-line errors, without a Node start-up and a TypeScript load per call (seconds
// each on a busy CI machine). Commands that start workers still start real processes.
import { vi } from 'vitest'
import { main } from '../../src/cli/main'
import type { CliResult } from '../helpers/run-cli'

/** Runs the CLI in-process; stdout and stderr are what its console.log and console.error printed. */
export async function runMain(args: string[]): Promise<CliResult> {
  const out: string[] = []
  const err: string[] = []
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')))
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')))
  try {
    const code = await main(['node', 'grokking-lab', ...args])
    return { code, stdout: out.map((l) => `${l}\n`).join(''), stderr: err.map((l) => `${l}\n`).join('') }
  } finally {
    log.mockRestore()
    error.mockRestore()
  }
}
