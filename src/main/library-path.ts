import path from 'node:path'
import { LIBRARY_FILE_NAME, resolveLibraryPath } from '../lab/store/default-location'

/** The value of `--db <path>` or `--db=<path>` in argv, or undefined when absent. */
export function dbArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--db') return argv[i + 1]
    if (arg.startsWith('--db=')) return arg.slice('--db='.length)
  }
  return undefined
}

/**
 * The library the app opens: `--db`, else GROKKING_LAB_DB (same rules as the CLI), else
 * library.sqlite in Electron's userData folder.
 */
export function libraryPath(argv: readonly string[], env: NodeJS.ProcessEnv, userData: string): string {
  const explicit = dbArgument(argv)
  if (explicit || env.GROKKING_LAB_DB) return resolveLibraryPath(explicit, env)
  return path.join(userData, LIBRARY_FILE_NAME)
}
