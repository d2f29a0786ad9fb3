/**
 * The native kernels (native/src, rnn_kernels.node): outputs and gradients equal the WebAssembly
 * kernels and tfjs-layers within 1e-5 of the tensor's largest magnitude (max |a − b| / max |b|; the
 * worst seen is ~1e-6) for every cell, direction, stacking and sequence mode, on each instruction
 * set this CPU has (AVX-512, AVX2 + FMA, baseline); seeded epoch losses identical with one and two
 * threads; and RNN_LAB_KERNELS=wasm falls back to WebAssembly with the reason said.
 */
import * as tf from '@tensorflow/tfjs'
import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../src-main/engine/backends'
import { loadKernels, setKernelBackend, setKernelThreads, setNativeIsa, setSplitMinWork } from '../../src-main/engine/fused'
import { fusedLayer, gradsOf, relErr, stockLayer, type Kind } from './helpers'

const KINDS: Kind[] = ['lstm', 'gru', 'rnn']
const B = 5
const T = 7
const D = 6
const U = 19 // not a multiple of 4, 8 or 16: ragged vector tails on every instruction set

type Arch = 'single' | 'bidirectional' | 'stacked'

function build(kind: Kind, arch: Arch, seq: boolean, fused: boolean): tf.Sequential {
  const make = (args: { units: number; returnSequences: boolean; inputShape?: number[] }) =>
    fused ? fusedLayer(kind, { ...args, fusedImplementation: 'wasm' }) : stockLayer(kind, args)
  const model = tf.sequential()
  if (arch === 'single') model.add(make({ units: U, returnSequences: seq, inputShape: [T, D] }))
  else if (arch === 'bidirectional')
    model.add(tf.layers.bidirectional({ layer: make({ units: U, returnSequences: seq }) as tf.layers.RNN, inputShape: [T, D] }))
  else {
    model.add(make({ units: U, returnSequences: true, inputShape: [T, D] }))
    model.add(make({ units: 9, returnSequences: seq }))
  }
  return model
}

/** Output, dL/dx and weight gradients of the model with the given kernel backend. */
function grads(model: tf.Sequential, backend: 'native' | 'wasm', x: tf.Tensor, r: tf.Tensor): tf.Tensor[] {
  setKernelBackend(backend)
  const g = gradsOf(model, x, r)
  return [g.out, g.dx, ...g.dw]
}

const nativeIsas = (): string[] => {
  const best = setNativeIsa('best')
  return best === 'avx512' ? ['avx512', 'avx2', 'base'] : best === 'avx2' ? ['avx2', 'base'] : ['base']
}

beforeAll(async () => {
  await selectBackend(tf, { allowNative: false, only: ['wasm'] })
})
afterAll(() => {
  setKernelBackend('auto')
  setNativeIsa('best')
  setKernelThreads('auto')
})

describe('native kernels', () => {
  it('load on this machine (built by npm ci)', () => {
    setKernelBackend('native')
    expect(loadKernels()?.name).toBe('native')
  })

  for (const isa of nativeIsas())
    for (const kind of KINDS)
      for (const arch of ['single', 'bidirectional', 'stacked'] as Arch[])
        for (const seq of [false, true])
          it(`${isa} ${kind} ${arch} returnSequences=${seq}: equal to the wasm kernels and tfjs-layers (1e-5 of the largest magnitude)`, () => {
            expect(setNativeIsa(isa as 'avx2')).toBe(isa)
            tf.tidy(() => {
              const ref = build(kind, arch, seq, false)
              const fused = build(kind, arch, seq, true)
              fused.setWeights(ref.getWeights().map((w, i) => (i % 3 === 2 ? tf.randomNormal(w.shape, 0, 0.3, 'float32', i) : w)))
              ref.setWeights(fused.getWeights())
              const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 3)
              const r = tf.randomNormal(
                ref.outputs[0].shape.map((s) => s ?? B),
                0,
                1,
                'float32',
                4
              )
              const native = grads(fused, 'native', x, r)
              const wasm = grads(fused, 'wasm', x, r)
              const layers = gradsOf(ref, x, r)
              const stock = [layers.out, layers.dx, ...layers.dw]
              const vsWasm = native.map((t, i) => relErr(t, wasm[i]))
              const vsLayers = native.map((t, i) => relErr(t, stock[i]))
              expect(Math.max(...vsWasm)).toBeLessThan(1e-5)
              expect(Math.max(...vsLayers)).toBeLessThan(1e-5)
            })
          })

  it('seeded epoch losses are identical with one and two threads (split batches)', async () => {
    setNativeIsa('best')
    setKernelBackend('native')
    const old = setSplitMinWork(0)
    const first = build('lstm', 'stacked', false, true)
    const weights = first.getWeights().map((w) => w.clone())
    first.dispose()
    const losses = async (threads: 1 | 2) => {
      setKernelThreads(threads)
      const m = build('lstm', 'stacked', false, true)
      m.setWeights(weights)
      m.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' })
      const x = tf.randomNormal([64, T, D], 0, 1, 'float32', 11)
      const y = tf.randomNormal([64, 9], 0, 1, 'float32', 12)
      const h = await m.fit(x, y, { epochs: 3, batchSize: 32, shuffle: false, verbose: 0 })
      tf.dispose([x, y])
      m.dispose()
      return h.history.loss as number[]
    }
    try {
      const one = await losses(1)
      const two = await losses(2)
      expect(two).toEqual(one)
      expect(await losses(2)).toEqual(one)
    } finally {
      tf.dispose(weights)
      setSplitMinWork(old)
    }
  })

  it('RNN_LAB_KERNELS=wasm forces the WebAssembly kernels and says so', () => {
    const code = `const m = await import('./src-main/engine/fused/index.ts'); const f = m.loadKernels ? m : m.default; console.log(JSON.stringify({ name: f.loadKernels()?.name, line: f.kernelsDescription() }))`
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      encoding: 'utf8',
      env: { ...process.env, RNN_LAB_KERNELS: 'wasm' },
      timeout: 60_000
    })
    const r = JSON.parse(out.trim().split('\n').at(-1)!)
    expect(r.name).toBe('wasm')
    expect(r.line).toMatch(/WebAssembly SIMD kernels \(native kernels: RNN_LAB_KERNELS=wasm\)/)
  }, 70_000)

  it('a missing .node falls back to WebAssembly with the reason', () => {
    const code = `const m = await import('./src-main/engine/fused/index.ts'); const f = m.loadKernels ? m : m.default; console.log(JSON.stringify({ name: f.loadKernels()?.name, line: f.kernelsDescription() }))`
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      encoding: 'utf8',
      env: { ...process.env, RNN_LAB_NATIVE_KERNELS: '/nonexistent/rnn_kernels.node', RNN_LAB_NATIVE_SEARCH: 'env-only' },
      timeout: 60_000
    })
    const r = JSON.parse(out.trim().split('\n').at(-1)!)
    expect(r.name).toBe('wasm')
    expect(r.line).toMatch(/native kernels: rnn_kernels.node not built/)
  }, 70_000)
})
