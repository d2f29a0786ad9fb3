import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../src-main/engine/backends'
import { ORIGINAL_VERSE } from '../../src-main/data/generators'
import { buildTextModel, encodePrime, textWindows, trainText, type TextData } from '../../src-main/engine/train-text'
import { statefulSampler } from '../../src-main/engine/stateful-sampler'
import { charLmExampleConfig, TextConfig } from '../../src-shared/text-config'

function charData(text: string): TextData {
  const chars = Array.from(text)
  const tokens = [...new Set(chars)].sort()
  const index = new Map(tokens.map((t, i) => [t, i]))
  return { vocabulary: 'char', tokens, ids: Uint8Array.from(chars, (c) => index.get(c)!) }
}

beforeAll(async () => {
  await selectBackend(tf, { allowNative: false, only: ['wasm'] })
})

describe('text windows', () => {
  it('keep every sequence and its next-token target inside the part', () => {
    const w = textWindows(0, 20, 5, 3)
    expect(Array.from(w.starts)).toEqual([0, 3, 6, 9, 12])
    for (const s of w.starts) expect(s + 5).toBeLessThan(20)
    expect(textWindows(10, 14, 5, 1).starts).toHaveLength(0)
  })
})

describe('character language models', () => {
  it('many-to-one LSTM memorises the original verse and samples it back from a prime', async () => {
    const data = charData(ORIGINAL_VERSE)
    const config = charLmExampleConfig('many-to-one')
    const before = tf.memory().numTensors
    const r = await trainText(tf, { ...config, training: { ...config.training, epochs: 30 } }, data)
    expect(r.metrics.trainAccuracy).toBeGreaterThan(0.95)
    expect(r.metrics.evaluatedOn).toBe('train')
    expect(r.metrics.beatsUnigram).toBe(true)
    expect(r.metrics.bitsPerToken).toBeCloseTo(r.metrics.loss / Math.LN2, 10)
    // The sample continues the prime with the verse's own lines: every 12 characters of it stand in
    // the verse (where a 10-character context is ambiguous it may jump between the two stanzas).
    expect(r.sample.startsWith('The little lamp upon the hill\n')).toBe(true)
    const head = r.sample.slice(0, 100)
    const pieces = Array.from({ length: head.length - 11 }, (_, i) => head.slice(i, i + 12))
    const known = pieces.filter((p) => ORIGINAL_VERSE.includes(p)).length
    expect(known / pieces.length).toBeGreaterThan(0.9)
    expect(r.epochs.at(-1)!.sample).toBeTruthy()
    expect(tf.memory().numTensors).toBe(before)
  }, 120_000)

  it('many-to-many with an embedding trains on wasm and reports validation figures', async () => {
    const data = charData(ORIGINAL_VERSE.repeat(3))
    const config = TextConfig.parse({
      task: 'text',
      layout: 'many-to-many',
      sequenceLength: 16,
      input: 'embedding',
      embeddingDim: 8,
      model: { cell: 'gru', layers: [{ units: 24 }] },
      training: { epochs: 3, learningRate: 0.01, seed: 1 }
    })
    const r = await trainText(tf, config, data)
    expect(r.metrics.evaluatedOn).toBe('val')
    expect(r.epochs[2].loss).toBeLessThan(r.epochs[0].loss)
    expect(r.epochs[0].valAccuracy).not.toBeNull()
    expect(Number.isFinite(r.metrics.perplexity)).toBe(true)
  }, 60_000)

  it('each epoch samples the whole sampling length (not 60 characters) and keeps its prime apart (issue #17)', async () => {
    const data = charData(ORIGINAL_VERSE)
    const config = TextConfig.parse({
      task: 'text',
      sequenceLength: 8,
      model: { cell: 'lstm', layers: [{ units: 8 }] },
      training: { epochs: 1, learningRate: 0.01, seed: 1 },
      sampling: { length: 120, prime: 'The little' }
    })
    const r = await trainText(tf, config, data)
    const epoch = r.epochs[0]
    expect(epoch.samplePrime).toBe('The little')
    expect(Array.from(epoch.sample ?? '')).toHaveLength(120)
    expect(r.metrics.prime).toBe('The little')
    expect(r.sample.startsWith('The little')).toBe(true)
  }, 60_000)

  it('builds Keras-sized models: LSTM(75) over a one-hot vocabulary + Dense(V)', () => {
    const data = charData(ORIGINAL_VERSE)
    const V = data.tokens.length
    const m = buildTextModel(tf, charLmExampleConfig('many-to-one'), V)
    expect(m.countParams()).toBe(4 * 75 * (V + 75 + 1) + (75 + 1) * V)
    m.dispose()
  })

  it('encodes a prime, dropping unknown characters', () => {
    const data = charData('abc')
    expect(encodePrime('cab?', data)).toEqual([2, 0, 1])
  })
})

describe('stateful sampling', () => {
  it('carries the state: stepping token by token gives the logits of running the whole prefix', async () => {
    const data = charData(ORIGINAL_VERSE)
    const V = data.tokens.length
    for (const input of ['onehot', 'embedding'] as const) {
      const config = TextConfig.parse({
        task: 'text',
        layout: 'many-to-many',
        input,
        embeddingDim: 6,
        sequenceLength: 16,
        model: { cell: 'lstm', layers: [{ units: 12 }, { units: 8 }] },
        training: { epochs: 1 }
      })
      const model = buildTextModel(tf, config, V)
      const sampler = statefulSampler(tf, model, V)!
      const prefix = Array.from(data.ids).slice(0, 9)
      let logits = new Float32Array(V) as Float32Array
      for (const t of prefix) logits = sampler.step(t)
      const full = tf.tidy(() => {
        const ids = tf.tensor2d(prefix, [1, prefix.length], 'int32')
        const x = input === 'embedding' ? ids.toFloat() : tf.oneHot(ids, V).toFloat()
        const y = model.predict(x) as tf.Tensor
        return y.slice([0, prefix.length - 1, 0], [1, 1, V]).dataSync() as Float32Array
      })
      for (let k = 0; k < V; k++) expect(logits[k]).toBeCloseTo(full[k], 4)
      sampler.dispose()
      model.dispose()
    }
  })
})
