import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../src-main/engine/backends'
import { textWindows, trainText, type TextData } from '../../src-main/engine/train-text'
import { mulberry32 } from '../../src-shared/random'
import { TextConfig } from '../../src-shared/text-config'

beforeAll(async () => {
  await selectBackend(tf, { allowNative: false, only: ['wasm'] })
})

describe('language-model validation is scored on the whole validation part', () => {
  it('loss, accuracy and the unigram baseline over 4,600 validation windows equal a direct computation', async () => {
    // A seeded text of 6 symbols, 5,100 tokens: 510 for training, 4,590 for validation (> 4,096 windows).
    const rand = mulberry32(11)
    const V = 6
    const ids = Uint8Array.from({ length: 5100 }, () => Math.floor(rand() * rand() * V))
    const data: TextData = { vocabulary: 'char', tokens: ['a', 'b', 'c', 'd', 'e', 'f'], ids }
    const L = 3
    const config = TextConfig.parse({
      task: 'text',
      layout: 'many-to-one',
      sequenceLength: L,
      stride: 1,
      split: { train: 0.1, val: 0.9 },
      model: { cell: 'gru', layers: [{ units: 4 }] },
      training: { epochs: 1, batchSize: 64, learningRate: 0.05, seed: 3 },
      sampling: { length: 5 }
    })
    const trainEnd = 510
    const val = textWindows(trainEnd, ids.length, L, 1)
    expect(val.starts.length).toBeGreaterThan(4096)
    let direct = { loss: NaN, accuracy: NaN }
    const r = await trainText(tf, config, data, {
      // The final weights are the ones scored (no early stopping): compute the figures directly here.
      onCheckpoint: async (kind, model) => {
        if (kind !== 'final') return
        direct = tf.tidy(() => {
          const n = val.starts.length
          const x = new Int32Array(n * L)
          const y = new Int32Array(n)
          val.starts.forEach((s, j) => {
            for (let t = 0; t < L; t++) x[j * L + t] = ids[s + t]
            y[j] = ids[s + L]
          })
          const logits = model.predict(tf.oneHot(tf.tensor2d(x, [n, L], 'int32'), V).toFloat()) as tf.Tensor2D
          const logp = tf.logSoftmax(logits)
          const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.tensor1d(y, 'int32'), V)), 1)
          const hits = tf.equal(tf.argMax(logits, 1), tf.tensor1d(y, 'int32')).sum()
          return { loss: -tf.mean(picked).dataSync()[0], accuracy: hits.dataSync()[0] / n }
        })
      }
    })
    expect(r.metrics.evaluatedOn).toBe('val')
    expect(r.metrics.loss).toBeCloseTo(direct.loss, 5)
    expect(r.metrics.accuracy).toBeCloseTo(direct.accuracy, 10)
    // Unigram: add-one smoothed frequencies of the training part, scored on every validation target.
    const counts = new Float64Array(V).fill(1)
    for (let i = 0; i < trainEnd; i++) counts[ids[i]]++
    const total = counts.reduce((a, b) => a + b, 0)
    const unigram = val.starts.reduce((s, st) => s - Math.log(counts[ids[st + L]] / total), 0) / val.starts.length
    expect(r.metrics.unigramLoss).toBeCloseTo(unigram, 10)
  }, 120_000)
})
