// Bundles the bench (with `--profile` a kernel profiler, with `--cli` the CLI) into .device/ for a lent
// GPU machine that has no npm: ESM files with tfjs inside, the wasm binaries, the webgpu package
// (Dawn), onnxruntime, better-sqlite3's built addon for the CLI, and Node itself compressed with xz.
// Carry .device (and .gl for Vulkan) with the run; `bash bench/device-check.sh` is issue 17's command.
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
const cli = process.argv.includes('--cli')
const profile = process.argv.includes('--profile')
// onnxruntime-node loads its addon by a relative path, so it stays a package beside the bundle.
const nativeTensorflow = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'onnxruntime-node']
// What only the dev install runs is stood in for by a module that says so when called: `bench --ui`
// drives Chromium, `serve` builds the page with vite, figure export renders PNGs with resvg's addon.
// Bundled, they would be tens of MB (the carried folder must stay under 64 MiB), and some do not bundle.
const devOnly = { 'playwright-core': 'chromium', vite: 'build', 'electron-vite': 'resolveConfig', '@resvg/resvg-js': 'Resvg' }
const stubs = (withSqlite) => ({
  name: 'stubs',
  setup(b) {
    const names = [...Object.keys(devOnly), ...(withSqlite ? [] : ['better-sqlite3'])].map((n) => n.replace(/[/.]/g, '\\$&'))
    b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (a) => ({ path: a.path, namespace: 'stub' }))
    b.onLoad({ filter: /.*/, namespace: 'stub' }, (a) => {
      // The device bench runs without the library.
      if (a.path === 'better-sqlite3') return { contents: 'export default class Database {}' }
      const fail = `() => { throw new Error('${a.path} is not in the device bundle: run this from the dev install') }`
      const name = devOnly[a.path]
      if (name === 'chromium') return { contents: `export const chromium = { launch: ${fail} }` }
      if (name === 'Resvg') return { contents: `export class Resvg { constructor() { (${fail})() } }` }
      return { contents: `export const ${name} = ${fail}` }
    })
  },
})
await build({
  ...common,
  // The kernel profiler only on request (`--profile`).
  entryPoints: { bench: 'bench/device-bench.ts', 'ort-probe': 'bench/ort-webgpu-probe.ts', ...(profile ? { profile: 'bench/device-profile.ts' } : {}) },
  external: ['webgpu', ...nativeTensorflow],
  plugins: [stubs(false)],
})
if (!profile) fs.rmSync(path.join(out, 'profile.mjs'), { force: true })
// The CLI and its worker only on request (`--cli`), with the real SQLite library beside them: about
// 10 MB that issue 17's measures do not need. Left over from an earlier build, they are removed.
const cliFiles = ['cli.mjs', 'worker.mjs', 'node_modules/better-sqlite3', 'node_modules/bindings', 'node_modules/file-uri-to-path']
if (cli) {
  await build({
    ...common,
    entryPoints: { cli: 'bench/device-cli.ts', worker: 'bench/device-worker.ts' },
    external: ['webgpu', 'better-sqlite3', ...nativeTensorflow],
    plugins: [stubs(true)],
  })
  for (const dir of ['better-sqlite3/lib', 'bindings', 'file-uri-to-path']) {
    fs.cpSync(path.join('node_modules', dir), path.join(out, 'node_modules', dir), { recursive: true })
  }
  fs.copyFileSync('node_modules/better-sqlite3/package.json', path.join(out, 'node_modules/better-sqlite3/package.json'))
  fs.mkdirSync(path.join(out, 'node_modules/better-sqlite3/build/Release'), { recursive: true })
  fs.copyFileSync('node_modules/better-sqlite3/build/Release/better_sqlite3.node', path.join(out, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))
} else {
  for (const f of cliFiles) fs.rmSync(path.join(out, f), { recursive: true, force: true })
}
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
// The device tool carries at most 64 MiB, the repository's own files included.
const mib = Number(execSync(`du -sk ${out}`).toString().split(/\s/)[0]) / 1024
console.log(`${out}: ${mib.toFixed(1)} MiB${mib > 58 ? ' — leaves too little of the 64 MiB carried for the repository and .gl: build without --cli or --profile' : ''}`)
