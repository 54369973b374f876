import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/reliability/**/*.test.ts'],
    // Native modules (better-sqlite3) and wasm backends are happier in child processes than threads.
    pool: 'forks',
    // Two files at once on two cores: the tests' models are small, so each trains on one thread
    // (the fast path picks one for a step this size; tfjs-wasm is told so below), and much of an
    // integration test is a process starting or waiting on a worker.
    maxWorkers: 2,
    env: { GROKKING_LAB_WASM_THREADS: '1' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
