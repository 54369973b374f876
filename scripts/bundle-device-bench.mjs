// Bundles the bench, a kernel profiler and the CLI into .device/ for a lent GPU machine that has
// no npm: ESM files with tfjs inside, the wasm binaries, the webgpu package (Dawn), better-sqlite3's
// built addon, and Node itself compressed with xz. Carry .device (and .gl for Vulkan) with the run.
import { execSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'

const out = '.device'
fs.mkdirSync(out, { recursive: true })
// Node ESM bundles with tfjs inside; Dawn and the optional native TensorFlow stay outside.
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: out,
  outExtension: { '.js': '.mjs' },
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  logLevel: 'warning',
  minify: true,
}
const nativeTensorflow = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']
await build({
  ...common,
  entryPoints: { bench: 'bench/device-bench.ts', profile: 'bench/device-profile.ts' },
  external: ['webgpu', ...nativeTensorflow],
  // The device bench runs without the library: stand in for the native SQLite module.
  plugins: [
    {
      name: 'no-sqlite',
      setup(b) {
        b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: 'better-sqlite3', namespace: 'stub' }))
        b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default class Database {}' }))
      },
    },
  ],
})
// The CLI and its worker, with the real SQLite library beside them.
await build({
  ...common,
  entryPoints: { cli: 'bench/device-cli.ts', worker: 'bench/device-worker.ts' },
  external: ['webgpu', 'better-sqlite3', ...nativeTensorflow],
})
for (const dir of ['better-sqlite3/lib', 'bindings', 'file-uri-to-path']) {
  fs.cpSync(path.join('node_modules', dir), path.join(out, 'node_modules', dir), { recursive: true })
}
fs.copyFileSync('node_modules/better-sqlite3/package.json', path.join(out, 'node_modules/better-sqlite3/package.json'))
fs.mkdirSync(path.join(out, 'node_modules/better-sqlite3/build/Release'), { recursive: true })
fs.copyFileSync('node_modules/better-sqlite3/build/Release/better_sqlite3.node', path.join(out, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))
const wasmDir = path.join(out, 'wasm')
fs.mkdirSync(wasmDir, { recursive: true })
for (const f of fs.readdirSync('node_modules/@tensorflow/tfjs-backend-wasm/dist').filter((f) => f.endsWith('.wasm'))) {
  fs.copyFileSync(path.join('node_modules/@tensorflow/tfjs-backend-wasm/dist', f), path.join(wasmDir, f))
}
const webgpu = path.join(out, 'node_modules', 'webgpu')
fs.mkdirSync(path.join(webgpu, 'dist', 'linux-x64'), { recursive: true })
for (const f of ['index.js', 'package.json']) fs.copyFileSync(path.join('node_modules/webgpu', f), path.join(webgpu, f))
fs.copyFileSync('node_modules/webgpu/dist/linux-x64/dawn.node', path.join(webgpu, 'dist', 'linux-x64', 'dawn.node'))
if (!fs.existsSync(path.join(out, 'node.xz'))) execSync(`xz -T2 -6 -c ${process.execPath} > ${path.join(out, 'node.xz')}`)
console.log(execSync(`du -sh ${out}`).toString().trim())
