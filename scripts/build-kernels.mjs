#!/usr/bin/env node
/**
 * Builds the fused recurrent kernels (AssemblyScript, WebAssembly SIMD) into
 * src-main/engine/fused/rnn-kernels.wasm. Deterministic: the same compiler version gives the same
 * bytes (checked by `node scripts/build-kernels.mjs --check`, which builds twice into a temp folder
 * and compares the sha256 of both builds with the committed file).
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, copyFileSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const source = join(root, 'src-main/engine/fused/kernels/rnn.ts')
const target = join(root, 'src-main/engine/fused/rnn-kernels.wasm')
const asc = join(root, 'node_modules/assemblyscript/bin/asc.js')

function build(outFile) {
  execFileSync(
    process.execPath,
    [
      asc,
      source,
      '--outFile',
      outFile,
      '--enable',
      'simd,threads',
      '-O3',
      '--noAssert',
      '--runtime',
      'stub',
      // Memory imported from the JS driver as a shared WebAssembly.Memory, so that one helper thread
      // can run the same kernels on the same memory (see wasm-kernels.ts).
      '--importMemory',
      '--sharedMemory',
      '--initialMemory',
      '1',
      '--maximumMemory',
      '65536',
      '--converge'
    ],
    { cwd: root, stdio: 'inherit' }
  )
  return createHash('sha256').update(readFileSync(outFile)).digest('hex')
}

const tmp = mkdtempSync(join(tmpdir(), 'rnn-kernels-'))
try {
  const a = build(join(tmp, 'a.wasm'))
  const b = build(join(tmp, 'b.wasm'))
  if (a !== b) throw new Error(`non-deterministic build: ${a} vs ${b}`)
  if (process.argv.includes('--check')) {
    const committed = existsSync(target) ? createHash('sha256').update(readFileSync(target)).digest('hex') : null
    console.log(JSON.stringify({ build: a, committed, identical: a === committed }))
    if (a !== committed) process.exit(1)
  } else {
    copyFileSync(join(tmp, 'a.wasm'), target)
    console.log(`wrote ${target} (sha256 ${a})`)
  }
} finally {
  rmSync(tmp, { recursive: true, force: true })
}
