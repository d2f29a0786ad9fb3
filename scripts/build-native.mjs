#!/usr/bin/env node
/**
 * Builds the native kernels (native/binding.gyp → native/build/Release/rnn_kernels.node) with node-gyp.
 * Run by `npm ci` / `npm install` (package.json "install") and by hand. NEVER fails the install: when
 * there is no compiler, no Node headers or no node-gyp, it says why and exits 0, and the fused layers
 * use the WebAssembly kernels (the reason shows in `rnn-lab doctor`, Settings and on every run).
 * The outcome is written to native/build/status.json. RNN_LAB_SKIP_NATIVE=1 skips the build.
 *
 * Node's headers: npm's `nodedir` / npm_config_nodedir when set; otherwise, when Node's own include
 * directory has node_api.h (Debian's nodejs), that prefix, so no download is needed offline.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const native = join(root, 'native')
const started = Date.now()

function finish(ok, reason) {
  mkdirSync(join(native, 'build'), { recursive: true })
  const status = { ok, reason, seconds: +((Date.now() - started) / 1000).toFixed(1), node: process.version, date: new Date().toISOString() }
  writeFileSync(join(native, 'build', 'status.json'), JSON.stringify(status, null, 2) + '\n')
  console.log(
    ok ? `native kernels built (${status.seconds} s)` : `native kernels not built: ${reason} (the WebAssembly kernels will serve)`
  )
  process.exit(0)
}

/** node-gyp's script: npm's own (npm_config_node_gyp), the project's, or none. */
function nodeGyp() {
  const candidates = [process.env.npm_config_node_gyp]
  try {
    candidates.push(createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js'))
  } catch {
    // not installed here
  }
  return candidates.find((p) => p && existsSync(p)) ?? null
}

function nodedirArgs() {
  if (process.env.npm_config_nodedir) return []
  const prefix = resolve(dirname(process.execPath), '..')
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : []
}

if (process.env.RNN_LAB_SKIP_NATIVE === '1') finish(false, 'RNN_LAB_SKIP_NATIVE=1')
const gyp = nodeGyp()
if (!gyp) finish(false, 'node-gyp not found')
const r = spawnSync(process.execPath, [gyp, 'rebuild', ...nodedirArgs()], {
  cwd: native,
  encoding: 'utf8',
  timeout: 180_000,
  env: process.env
})
if (r.status === 0 && existsSync(join(native, 'build', 'Release', 'rnn_kernels.node'))) finish(true, null)
const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`
const line =
  out
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /error|not found|No such file|ERR!.*(find|not)/i.test(l) && !/gyp info/.test(l)) ??
  (r.error ? r.error.message : `node-gyp exited with ${r.status}`)
finish(false, line.slice(0, 300))
