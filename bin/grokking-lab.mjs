#!/usr/bin/env node
// The `grokking-lab` command. It loads the TypeScript sources through tsx, so it runs from a clean
// clone after `npm install` with no build step.
import { register } from 'tsx/esm/api'

// A closed pipe (`grokking-lab runs | head`) is not an error.
process.stdout.on('error', (e) => process.exit(e.code === 'EPIPE' ? 0 : 1))
register()
const { main } = await import('../src/cli/main.ts')
const code = await main(process.argv)
process.exitCode = code
// Native backends (Dawn) can keep the event loop alive after the work is done.
setTimeout(() => process.exit(code), 300).unref()
