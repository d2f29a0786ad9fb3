/**
 * The two-thread path of the fused kernels (wasm-kernels.ts): batch rows split between this thread and
 * one helper thread on a shared WebAssembly.Memory. Outputs and gradients are bit-identical with one
 * and two threads (the split depends on the shapes only; the weight-gradient halves are added in a
 * fixed order), within 1e-5 of the unsplit kernels, training is deterministic, and the helper never
 * keeps a process alive.
 */
import * as tf from '@tensorflow/tfjs'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../src-main/engine/backends'
import {
  batchSplit,
  disposeKernelThreads,
  kernelThreadStats,
  setKernelBackend,
  setKernelThreads,
  setSplitMinWork
} from '../../src-main/engine/fused'
import { fusedLayer, gradsOf, relErr, type Kind } from './helpers'

const KINDS: Kind[] = ['lstm', 'gru', 'rnn']
const B = 22 // split 12 + 10: not a multiple of 8, ragged matmul row blocks on both halves
const T = 9
const D = 5
const U = 7

let oldWork = 0
beforeAll(async () => {
  await selectBackend(tf, { allowNative: false, only: ['wasm'] })
  setKernelBackend('wasm') // the helper-thread statistics below are the wasm backend's
  oldWork = setSplitMinWork(0) // split even these small shapes
  setKernelThreads(2)
  // spawn the helper and wait until it is up (calls made before run both halves here)
  tf.tidy(() => (fusedLayer('rnn', { units: 4 }).apply(tf.ones([16, 2, 3])) as tf.Tensor).dataSync())
  for (let i = 0; i < 200 && !kernelThreadStats().helperAlive; i++) await new Promise((r) => setTimeout(r, 25))
  expect(kernelThreadStats().helperAlive).toBe(true)
})

afterAll(async () => {
  setSplitMinWork(oldWork)
  setKernelThreads('auto')
  setKernelBackend('auto')
  await disposeKernelThreads()
  expect(kernelThreadStats().helperAlive).toBe(false)
})

function build(kind: Kind, bidi: boolean, seq: boolean): tf.Sequential {
  const m = tf.sequential()
  const args = {
    units: U,
    returnSequences: seq,
    kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }),
    biasInitializer: tf.initializers.randomNormal({ seed: 8, stddev: 0.3 })
  }
  if (bidi) m.add(tf.layers.bidirectional({ layer: fusedLayer(kind, args) as tf.layers.RNN, inputShape: [T, D] }))
  else m.add(fusedLayer(kind, { ...args, inputShape: [T, D] }))
  return m
}

/** Output, dL/dx and the weight gradients, flattened, with the given thread count and split threshold. */
function run(model: tf.Sequential, threads: 1 | 2, work: number): Float32Array[] {
  setKernelThreads(threads)
  setSplitMinWork(work)
  return tf.tidy(() => {
    const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 3)
    const r = tf.randomNormal(
      model.outputs[0].shape.map((s) => s ?? B),
      0,
      1,
      'float32',
      4
    )
    const g = gradsOf(model, x, r)
    return [g.out, g.dx, ...g.dw].map((t) => t.dataSync() as Float32Array)
  })
}

describe('fused kernels on two threads', () => {
  it('splits by shape only: big enough batch and work', () => {
    setSplitMinWork(oldWork)
    expect(batchSplit('lstm', 8, 100, 10, 128)).toBe(8) // batch < 16
    expect(batchSplit('rnn', 32, 20, 1, 32)).toBe(32) // too little work
    expect(batchSplit('lstm', 32, 30, 5, 64)).toBe(16)
    expect(batchSplit('lstm', 22, 30, 5, 64)).toBe(12)
    setSplitMinWork(0)
  })

  for (const kind of KINDS) {
    for (const bidi of [false, true]) {
      for (const seq of [false, true]) {
        it(`${kind}${bidi ? ' bidirectional' : ''} returnSequences=${seq}: 2 threads = 1 thread (bit for bit), ≈ unsplit`, () => {
          const model = build(kind, bidi, seq)
          const before = kernelThreadStats()
          const two = run(model, 2, 0)
          const after = kernelThreadStats()
          const one = run(model, 1, 0)
          const unsplit = run(model, 1, Infinity)
          expect(after.splitCalls).toBeGreaterThan(before.splitCalls)
          two.forEach((a, i) => expect(Array.from(a)).toEqual(Array.from(one[i])))
          two.forEach((a, i) => expect(relErr(tf.tensor(a), tf.tensor(unsplit[i]))).toBeLessThan(1e-5))
          model.dispose()
        })
      }
    }
  }

  it('the helper thread runs halves (bigger shapes, where it pays)', () => {
    setKernelThreads(2)
    setSplitMinWork(oldWork)
    const before = kernelThreadStats()
    tf.tidy(() => {
      const layer = fusedLayer('lstm', { units: 64 })
      const x = tf.randomNormal([32, 30, 5], 0, 1, 'float32', 5)
      for (let i = 0; i < 5; i++) tf.grad((xx: tf.Tensor) => tf.sum(layer.apply(xx) as tf.Tensor))(x).dataSync()
    })
    const after = kernelThreadStats()
    expect(after.splitCalls - before.splitCalls).toBe(10)
    expect(after.helperHalves).toBeGreaterThan(before.helperHalves)
  })

  it('training is deterministic and identical with 1 and 2 threads', async () => {
    const losses = async (threads: 1 | 2) => {
      setKernelThreads(threads)
      const m = tf.sequential()
      m.add(
        fusedLayer('gru', {
          units: 8,
          returnSequences: true,
          inputShape: [10, 3],
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
          recurrentInitializer: tf.initializers.glorotUniform({ seed: 2 })
        })
      )
      m.add(
        fusedLayer('lstm', {
          units: 6,
          kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
          recurrentInitializer: tf.initializers.glorotUniform({ seed: 4 })
        })
      )
      m.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }))
      m.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' })
      const x = tf.randomUniform([64, 10, 3], -1, 1, 'float32', 6)
      const y = tf.tidy(() => tf.sum(x, [1, 2]).reshape([64, 1]).mul(0.1))
      const h = await m.fit(x, y, { epochs: 3, batchSize: 32, shuffle: false, verbose: 0 })
      tf.dispose([x, y])
      m.dispose()
      return h.history.loss as number[]
    }
    const a = await losses(2)
    const b = await losses(2)
    const c = await losses(1)
    expect(a).toEqual(b)
    expect(a).toEqual(c)
  })

  it('the helper ends with its thread and never keeps a process alive', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnn-threads-'))
    const kernels = JSON.stringify(join(process.cwd(), 'src-main/engine/fused/index'))
    // A thread that splits a few kernel calls (its helper spawns), then reports.
    const use = `
      import { fusedForward, loadKernels, setKernelBackend, setKernelThreads, kernelThreadStats } from ${kernels}
      export function useTwoThreads() {
        setKernelBackend('wasm')
        const k = loadKernels()!
        setKernelThreads(2)
        const B = 32, T = 30, D = 5, U = 64, G = 256
        const args = { kind: 'lstm' as const, B, T, D, U, x: new Float32Array(B * T * D).fill(0.1), W: new Float32Array(D * G).fill(0.01), R: new Float32Array(U * G).fill(0.01), bias: new Float32Array(G), h0: null, c0: null, keep: false }
        const until = Date.now() + 10000
        while (Date.now() < until && kernelThreadStats().helperHalves < 3) { fusedForward(k, args); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2) }
        return kernelThreadStats()
      }
    `
    writeFileSync(join(dir, 'use.ts'), use)
    writeFileSync(
      join(dir, 'worker.ts'),
      `import { parentPort } from 'node:worker_threads'\nimport { useTwoThreads } from './use'\nparentPort!.postMessage(useTwoThreads())\n`
    )
    writeFileSync(
      join(dir, 'boot.mjs'),
      `import { createRequire } from 'node:module'\nconst require = createRequire(${JSON.stringify(join(process.cwd(), 'package.json'))})\nrequire('tsx/cjs/api').register()\nrequire(${JSON.stringify(join(dir, 'worker.ts'))})\n`
    )
    // Threads of this process before, while and after a worker whose kernels use a helper; then this
    // thread's own helper, left running: the process must still exit by itself.
    writeFileSync(
      join(dir, 'main.ts'),
      `
      import { existsSync, readdirSync } from 'node:fs'
      import { Worker } from 'node:worker_threads'
      import { useTwoThreads } from './use'
      const tasks = () => (existsSync('/proc/self/task') ? readdirSync('/proc/self/task').length : -1)
      const before = tasks()
      const w = new Worker(${JSON.stringify(join(dir, 'boot.mjs'))})
      let during = -1
      let workerStats: unknown = null
      w.on('message', (m) => { workerStats = m; during = tasks() })
      w.on('exit', () => setTimeout(() => console.log(JSON.stringify({ before, during, after: tasks(), workerStats, own: useTwoThreads() })), 300))
    `
    )
    let out: string
    try {
      out = execFileSync(process.execPath, ['--import', 'tsx', join(dir, 'main.ts')], { encoding: 'utf8', timeout: 60_000 })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const r = JSON.parse(out.trim().split('\n').at(-1)!)
    expect(r.workerStats.helperHalves).toBeGreaterThanOrEqual(3)
    expect(r.own.helperAlive).toBe(true)
    expect(r.own.helperHalves).toBeGreaterThanOrEqual(3)
    if (r.before > 0) {
      expect(r.during).toBeGreaterThanOrEqual(r.before + 2) // the worker and its helper
      expect(r.after).toBeLessThanOrEqual(r.before) // both gone
    }
  }, 70_000)
})
