#!/usr/bin/env node
// The `rnn-lab` command: runs the built CLI (out/main/cli.js). Builds it first when missing, so
// `npx rnn-lab ...` works straight after `npm ci` in a clone.
const { existsSync } = require('node:fs')
const { join } = require('node:path')
const { spawnSync } = require('node:child_process')

const root = join(__dirname, '..')
const cli = join(root, 'out', 'main', 'cli.js')
if (!existsSync(cli)) {
  console.error('rnn-lab: first run, building the app (npm run build)…')
  const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0 || !existsSync(cli)) {
    console.error('rnn-lab: the build failed; run `npm run build` in ' + root)
    process.exit(1)
  }
}
require(cli)
