#!/usr/bin/env node
// Prepares what `npm start` needs beyond `npm ci` on a connected machine:
//  1. the Electron binary (electron 45 downloads it lazily: `npx install-electron`);
//  2. better-sqlite3 compiled for Electron's ABI, kept in .electron-native/ so node_modules keeps the
//     Node build that the tests and the CLI load. The Electron main process loads it through
//     better-sqlite3's `nativeBinding` option (src-main/electron/native-binding.ts).
// It needs the network (Electron's release and headers); it does nothing when both are already there.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const outDir = join(root, '.electron-native')
const target = join(outDir, 'better_sqlite3.node')
const stampFile = join(outDir, 'stamp.json')
const version = (p) => JSON.parse(readFileSync(join(root, 'node_modules', p, 'package.json'), 'utf8')).version
const electronVersion = version('electron')
const sqliteVersion = version('better-sqlite3')

function run(cmd, args, cwd, env) {
  console.log(`> ${cmd} ${args.join(' ')}`)
  return spawnSync(cmd, args, { cwd, env, stdio: 'inherit', shell: process.platform === 'win32' }).status === 0
}

// 1. The Electron binary.
const electronDir = join(root, 'node_modules', 'electron')
const pathTxt = join(electronDir, 'path.txt')
const haveBinary =
  process.env.ELECTRON_OVERRIDE_DIST_PATH || (existsSync(pathTxt) && existsSync(join(electronDir, 'dist', readFileSync(pathTxt, 'utf8'))))
if (!haveBinary && !run(process.execPath, [join(electronDir, 'install.js')], root, process.env)) {
  console.error('Could not download the Electron binary. On a machine without network, use `npm run serve` (browser UI).')
  process.exit(1)
}

// 2. better-sqlite3 for Electron's ABI.
const stamp = { electron: electronVersion, betterSqlite3: sqliteVersion, arch: process.arch, platform: process.platform }
if (existsSync(target) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === JSON.stringify(stamp)) process.exit(0)

console.log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (once)…`)
const work = join(outDir, 'better-sqlite3')
rmSync(work, { recursive: true, force: true })
mkdirSync(outDir, { recursive: true })
cpSync(join(root, 'node_modules', 'better-sqlite3'), work, {
  recursive: true,
  filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`)
})
// npm_config_nodedir (set on some machines to Node's headers) would silently make node-gyp build for
// Node instead of Electron: drop every npm_config_* that steers the target.
const env = { ...process.env }
for (const k of Object.keys(env)) {
  if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|arch|build_from_source)$/i.test(k)) delete env[k]
}
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name)
const ok =
  run(bin('prebuild-install'), ['--runtime', 'electron', '--target', electronVersion, '--arch', process.arch], work, env) ||
  run(
    bin('node-gyp'),
    [
      'rebuild',
      '--release',
      '--runtime=electron',
      `--target=${electronVersion}`,
      `--arch=${process.arch}`,
      '--dist-url=https://electronjs.org/headers'
    ],
    work,
    env
  )
const built = join(work, 'build', 'Release', 'better_sqlite3.node')
if (!ok || !existsSync(built)) {
  console.error("Could not build better-sqlite3 for Electron (it needs Electron's headers from the network).")
  process.exit(1)
}
cpSync(built, target)
writeFileSync(stampFile, JSON.stringify(stamp))
rmSync(work, { recursive: true, force: true })
console.log(`better-sqlite3 for Electron ${electronVersion} → ${target}`)
