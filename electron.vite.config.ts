import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'

/**
 * Main loads the engine's packages from node_modules at run time: native addons (better-sqlite3,
 * webgpu, tfjs-node) cannot be bundled, and tfjs finds its backends by package name. electron-vite
 * externalizes `dependencies` by default; the optional native backends are listed here too.
 */
const OPTIONAL_NATIVE = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']

export default defineConfig({
  main: {
    build: {
      externalizeDeps: { include: OPTIONAL_NATIVE },
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src/main/index.ts') },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only 'electron' (and a few polyfills): bundle everything else.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        // Sandboxed preloads are run as classic scripts, never as ES modules; .cjs keeps Node from
        // treating the file as ESM ("type": "module") should the sandbox ever be turned off.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    plugins: [vue()],
    build: {
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') },
      },
    },
  },
})
