/**
 * Stateful generation through the native kernels (one native call per token) gives the logits of the
 * step-by-step tfjs path (fused layers on the wasm kernels), for LSTM / GRU / SimpleRNN, one-hot and
 * embedding input, one and two layers, over 20 tokens with the state carried.
 */
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../src-main/engine/backends'
import { setKernelBackend } from '../../src-main/engine/fused'
import { statefulSampler } from '../../src-main/engine/stateful-sampler'
import { buildTextModel } from '../../src-main/engine/train-text'
import { TextConfig } from '../../src-shared/text-config'

const V = 11

beforeAll(async () => {
  await selectBackend(tf, { allowNative: false, only: ['wasm'] })
})
afterAll(() => setKernelBackend('auto'))

function logitsOf(model: tf.LayersModel, backend: 'auto' | 'wasm', tokens: number[]): Float32Array[] {
  setKernelBackend(backend)
  const s = statefulSampler(tf, model, V)!
  expect(s.path).toBe(backend === 'auto' ? 'native' : 'tfjs')
  const out = tokens.map((t) => s.step(t))
  s.dispose()
  return out
}

describe('native stateful sampler', () => {
  for (const cell of ['lstm', 'gru', 'simple_rnn'] as const)
    for (const input of ['onehot', 'embedding'] as const)
      for (const layers of [1, 2])
        it(`${cell} ${input} ${layers} layer(s): logits equal the tfjs step path (1e-5)`, () => {
          const config = TextConfig.parse({
            task: 'text',
            sequenceLength: 8,
            input,
            model: { cell, layers: Array.from({ length: layers }, () => ({ units: 13 })) },
            training: { epochs: 1, batchSize: 4 }
          })
          const model = buildTextModel(tf, config, V)
          // non-zero biases
          model.setWeights(model.getWeights().map((w, i) => (w.rank === 1 ? tf.randomNormal(w.shape, 0, 0.3, 'float32', i) : w)))
          const tokens = Array.from({ length: 20 }, (_, i) => (i * 7) % V)
          const native = logitsOf(model, 'auto', tokens)
          const ref = logitsOf(model, 'wasm', tokens)
          let diff = 0
          let scale = 1e-12
          native.forEach((l, i) =>
            l.forEach((v, j) => ((diff = Math.max(diff, Math.abs(v - ref[i][j]))), (scale = Math.max(scale, Math.abs(ref[i][j])))))
          )
          expect(diff / scale).toBeLessThan(1e-5)
          model.dispose()
        })
})
