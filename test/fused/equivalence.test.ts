/**
 * Fused layers vs the tfjs-layers reference (tf.layers.lstm with sigmoid gates, our Keras GRU,
 * tf.layers.simpleRNN) with identical weights: outputs and gradients w.r.t. the input, kernel,
 * recurrent kernel and bias within 1e-4 (max-abs error relative to the reference's max-abs), on the
 * wasm and cpu backends, returnSequences true/false, bidirectional, 2 stacked layers, and the
 * tfjs-ops fallback path (what tfjs-node uses) forced on cpu.
 */
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { selectBackend } from '../../src-main/engine/backends'
import type { FusedImplementation } from '../../src-main/engine/fused'
import { fusedLayer, gradsOf, relErr, stockLayer, type Kind } from './helpers'

const KINDS: Kind[] = ['lstm', 'gru', 'rnn']
const B = 3
const T = 6
const D = 5
const U = 7 // not a multiple of 4: exercises the kernels' ragged tails

type Arch = 'single' | 'bidirectional' | 'stacked'

function build(kind: Kind, arch: Arch, seq: boolean, fused: FusedImplementation | null): tf.Sequential {
  const make = (args: { units: number; returnSequences: boolean; inputShape?: number[] }) =>
    fused ? fusedLayer(kind, { ...args, fusedImplementation: fused }) : stockLayer(kind, args)
  const model = tf.sequential()
  if (arch === 'single') model.add(make({ units: U, returnSequences: seq, inputShape: [T, D] }))
  else if (arch === 'bidirectional') {
    model.add(
      tf.layers.bidirectional({ layer: make({ units: U, returnSequences: seq }) as tf.layers.RNN, mergeMode: 'concat', inputShape: [T, D] })
    )
  } else {
    model.add(make({ units: U, returnSequences: true, inputShape: [T, D] }))
    model.add(make({ units: 4, returnSequences: seq }))
  }
  return model
}

function compare(kind: Kind, arch: Arch, seq: boolean, impl: FusedImplementation): number[] {
  const errors: number[] = []
  tf.tidy(() => {
    const ref = build(kind, arch, seq, null)
    const fused = build(kind, arch, seq, impl)
    expect(fused.countParams()).toBe(ref.countParams())
    // Non-trivial biases (zeros by default) so that bias paths are exercised.
    fused.setWeights(ref.getWeights().map((w, i) => (i % 3 === 2 ? tf.randomNormal(w.shape, 0, 0.3, 'float32', i) : w)))
    ref.setWeights(fused.getWeights())
    const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 3)
    const outShape = ref.outputs[0].shape.map((s) => s ?? B)
    const r = tf.randomNormal(outShape, 0, 1, 'float32', 4)
    const a = gradsOf(ref, x, r)
    const b = gradsOf(fused, x, r)
    errors.push(relErr(b.out, a.out), relErr(b.dx, a.dx))
    expect(b.dw.length).toBe(a.dw.length)
    a.dw.forEach((g, i) => errors.push(relErr(b.dw[i], g)))
    ref.dispose()
    fused.dispose()
  })
  return errors
}

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`fused layers on ${backend}`, () => {
    it('selects the backend', async () => {
      const report = await selectBackend(tf, { allowNative: false, only: [backend] })
      expect(report.selected).toBe(backend)
    })
    for (const kind of KINDS) {
      for (const arch of ['single', 'bidirectional', 'stacked'] as Arch[]) {
        for (const seq of [false, true]) {
          it(`${kind} ${arch} returnSequences=${seq}: outputs and gradients match tfjs-layers`, () => {
            const errors = compare(kind, arch, seq, 'wasm')
            expect(Math.max(...errors)).toBeLessThan(1e-4)
          })
        }
      }
      if (backend === 'cpu') {
        it(`${kind}: the tfjs-ops fallback path (tfjs-node) matches tfjs-layers`, () => {
          for (const seq of [false, true]) expect(Math.max(...compare(kind, 'single', seq, 'tfjs'))).toBeLessThan(1e-4)
          expect(Math.max(...compare(kind, 'stacked', false, 'tfjs'))).toBeLessThan(1e-4)
        })
      }
    }
    it('takes the wasm path on auto, and the tfjs path for other activations', () => {
      tf.tidy(() => {
        const a = fusedLayer('lstm', { units: 4 })
        a.apply(tf.ones([1, 2, 3]))
        expect((a as unknown as { lastPath: string }).lastPath).toBe('wasm')
        const b = fusedLayer('rnn', { units: 4, activation: 'relu' })
        b.apply(tf.ones([1, 2, 3]))
        expect((b as unknown as { lastPath: string }).lastPath).toBe('tfjs')
        a.dispose()
        b.dispose()
      })
    })
  })
}
