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
  // ESM builds throughout: mixing tfjs's CommonJS and ESM entries bundles tfjs-core twice, and a
  // backend registered on one copy is missing from the other.
  mainFields: ['module', 'main'],
  format: 'esm',
  target: 'node20',
  outdir: out,
  outExtension: { '.js': '.mjs' },
  // CommonJS names that tfjs-backend-wasm's emscripten loader reads (__dirname) and that bundled
  // require() calls need, defined for the ESM bundle.
  banner: {
    js: "import { createRequire } from 'node:module'; import { fileURLToPath as __toPath } from 'node:url'; import { dirname as __dirOf } from 'node:path'; " +
      'const require = createRequire(import.meta.url); const __filename = __toPath(import.meta.url); const __dirname = __dirOf(__filename);',
  },
  logLevel: 'warning',
  minify: true,
}
// onnxruntime-node loads its addon by a relative path, so it stays a package beside the bundle.
const nativeTensorflow = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'onnxruntime-node']
await build({
  ...common,
  // The kernel profiler only on request (`--profile`): the carried folder must stay under 64 MiB.
  entryPoints: { bench: 'bench/device-bench.ts', 'ort-probe': 'bench/ort-webgpu-probe.ts', ...(process.argv.includes('--profile') ? { profile: 'bench/device-profile.ts' } : {}) },
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
// Dawn compressed too (21 MB → about 6): unpack with `xz -d .device/node_modules/webgpu/dist/linux-x64/dawn.node.xz`.
const dawn = path.join(webgpu, 'dist', 'linux-x64', 'dawn.node')
if (!fs.existsSync(`${dawn}.xz`)) execSync(`xz -T2 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node > ${dawn}.xz`)
fs.rmSync(dawn, { force: true })
// onnxruntime-node and onnxruntime-common, with the 46 MB runtime library compressed (unpack with
// `xz -dc .device/libonnxruntime.so.1.xz > .device/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1`).
const ortBin = 'bin/napi-v6/linux/x64'
for (const pkg of ['onnxruntime-node', 'onnxruntime-common']) {
  for (const f of ['package.json', 'dist']) fs.cpSync(path.join('node_modules', pkg, f), path.join(out, 'node_modules', pkg, f), { recursive: true })
}
fs.mkdirSync(path.join(out, 'node_modules/onnxruntime-node', ortBin), { recursive: true })
fs.copyFileSync(path.join('node_modules/onnxruntime-node', ortBin, 'onnxruntime_binding.node'), path.join(out, 'node_modules/onnxruntime-node', ortBin, 'onnxruntime_binding.node'))
if (!fs.existsSync(path.join(out, 'libonnxruntime.so.1.xz'))) {
  execSync(`xz -T2 -6 -c node_modules/onnxruntime-node/${ortBin}/libonnxruntime.so.1 > ${path.join(out, 'libonnxruntime.so.1.xz')}`)
}
// An unpacked copy left by trying the bundle here (bench/device-setup.sh) would double the carried size.
fs.rmSync(path.join(out, 'node_modules/onnxruntime-node', ortBin, 'libonnxruntime.so.1'), { force: true })
if (!fs.existsSync(path.join(out, 'node.xz'))) execSync(`xz -T2 -6 -c ${process.execPath} > ${path.join(out, 'node.xz')}`)
console.log(execSync(`du -sh ${out}`).toString().trim())
