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
      'Fix that and run `npm start` again (or `node scripts/prepare-electron-native.mjs`). The CLI is not affected.',
  )
}
fs.writeFileSync(stampFile, JSON.stringify(stamp))
console.log(`[prepare-electron-native] ready: ${path.relative(root, binding)}`)
