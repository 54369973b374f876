#!/usr/bin/env node
// Builds a copy of better-sqlite3 for Electron's ABI in .electron-native/better-sqlite3, which the
// desktop app loads through GROKKING_LAB_SQLITE_BINDING (src/main/lab-environment.ts). It runs
// before `npm start`, never on install or in tests: node_modules/better-sqlite3 stays the plain-Node
// build the CLI and the tests use, and this script never writes to it.
import { spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const source = path.join(root, 'node_modules', 'better-sqlite3')
const target = path.join(root, '.electron-native', 'better-sqlite3')
const binding = path.join(target, 'build', 'Release', 'better_sqlite3.node')
const stampFile = path.join(target, '.built-for.json')
const sourceBinding = path.join(source, 'build', 'Release', 'better_sqlite3.node')

function readVersion(pkgDir, what) {
  try {
    return JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version
  } catch {
    fail(`${what} is not installed (${pkgDir}); run npm install first.`)
  }
}

function fail(message) {
  console.error(`\n[prepare-electron-native] ${message}\n`)
  process.exit(1)
}

function fileHash(file) {
  return fs.existsSync(file) ? crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex') : null
}

function run(command, args, cwd) {
  console.log(`[prepare-electron-native] ${command} ${args.join(' ')}`)
  // Windows runs npx.cmd only through a shell, which splits unquoted paths at spaces.
  const windows = process.platform === 'win32'
  const argv = windows ? args.map((a) => (/\s/.test(a) ? `"${a}"` : a)) : args
  const result = spawnSync(windows && /\s/.test(command) ? `"${command}"` : command, argv, { cwd, stdio: 'inherit', shell: windows })
  return result.status === 0
}

const OFFLINE_HINT = 'Without it, the same app runs in your browser, offline: `npx grokking-lab serve --open`.'

// Electron's own install step downloads its binary; offline (or behind a proxy) it fails quietly at
// npm install, and `npm start` would only fail later with a less helpful message.
function electronBinaryPresent() {
  const dir = path.join(root, 'node_modules', 'electron')
  const pathFile = path.join(dir, 'path.txt')
  if (!fs.existsSync(pathFile)) return false
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist')
  return fs.existsSync(path.join(distDir, fs.readFileSync(pathFile, 'utf8').trim()))
}

/**
 * Whether Electron's headers can be fetched (HEAD of their checksum file, 15 s at most). Offline,
 * @electron/rebuild would otherwise sit silent for minutes retrying the download.
 */
async function headersReachable(version) {
  const base = (process.env.npm_config_disturl || process.env.ELECTRON_HEADERS_URL || 'https://www.electronjs.org/headers').replace(/\/$/, '')
  const url = `${base}/v${version}/SHASUMS256.txt`
  try {
    const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(15_000) })
    return { ok: response.ok, url, why: response.ok ? '' : `HTTP ${response.status}` }
  } catch (e) {
    return { ok: false, url, why: e?.cause?.code ?? e?.name ?? String(e) }
  }
}

const stamp = {
  electron: readVersion(path.join(root, 'node_modules', 'electron'), 'electron'),
  betterSqlite3: readVersion(source, 'better-sqlite3'),
  platform: process.platform,
  arch: process.arch,
}

const previous = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8') : ''
if (fs.existsSync(binding) && previous === JSON.stringify(stamp)) {
  console.log(`[prepare-electron-native] better-sqlite3 ${stamp.betterSqlite3} is already built for Electron ${stamp.electron}`)
  process.exit(0)
}

if (!electronBinaryPresent()) {
  fail(
    "Electron's binary is not installed: its download during `npm install` failed (no network?).\n" +
      'The desktop window needs it: on a machine with network run `node node_modules/electron/install.js`, then `npm start`.\n' +
      OFFLINE_HINT,
  )
}
const reach = await headersReachable(stamp.electron)
if (!reach.ok) {
  fail(
    `cannot reach Electron's headers (${reach.url}: ${reach.why}).\n` +
      `The first \`npm start\` rebuilds better-sqlite3 for Electron ${stamp.electron}, which downloads them once; connect to the network and run it again.\n` +
      OFFLINE_HINT,
  )
}

console.log(`[prepare-electron-native] building better-sqlite3 ${stamp.betterSqlite3} for Electron ${stamp.electron} (${stamp.platform}-${stamp.arch})`)
fs.rmSync(target, { recursive: true, force: true })
// Everything but the plain-Node build: a failed rebuild must leave no binary of the wrong ABI.
fs.cpSync(source, target, {
  recursive: true,
  filter: (src) => path.relative(source, src).split(path.sep)[0] !== 'build',
})
// @electron/rebuild treats the folder holding the nearest lockfile as the project root and rebuilds
// every native dependency it finds below it; a lockfile here keeps it inside this copy.
fs.writeFileSync(path.join(target, 'yarn.lock'), '')

const before = fileHash(sourceBinding)
const built =
  run('npx', ['--yes', '@electron/rebuild@3', '--version', stamp.electron, '--module-dir', target, '--force'], target) ||
  // Fallback: Electron prebuilds that better-sqlite3 publishes (the locally installed prebuild-install if any).
  (fs.existsSync(path.join(root, 'node_modules', 'prebuild-install', 'bin.js'))
    ? run(process.execPath, [path.join(root, 'node_modules', 'prebuild-install', 'bin.js'), '--runtime', 'electron', '--target', stamp.electron, '--arch', stamp.arch, '--platform', stamp.platform], target)
    : run('npx', ['--yes', 'prebuild-install', '--runtime', 'electron', '--target', stamp.electron, '--arch', stamp.arch, '--platform', stamp.platform], target))

if (fileHash(sourceBinding) !== before) {
  fail(
    'node_modules/better-sqlite3 was changed by the rebuild; the CLI and tests need its plain-Node build back: ' +
      'run `npm rebuild better-sqlite3`.',
  )
}
if (!built || !fs.existsSync(binding)) {
  fs.rmSync(target, { recursive: true, force: true })
  fail(
    `could not build better-sqlite3 for Electron ${stamp.electron}.\n` +
      'This step downloads Electron headers or a prebuilt binary, so it needs network access; building from source\n' +
      'also needs Python and a C++ toolchain (see https://github.com/nodejs/node-gyp#installation).\n' +
      'Fix that and run `npm start` again (or `node scripts/prepare-electron-native.mjs`). The CLI is not affected.\n' + OFFLINE_HINT,
  )
}
fs.writeFileSync(stampFile, JSON.stringify(stamp))
console.log(`[prepare-electron-native] ready: ${path.relative(root, binding)}`)
