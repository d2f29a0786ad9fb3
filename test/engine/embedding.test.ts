import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { Embedding, GRU, gatherRowsTrainable, registerCustomLayers } from '../../src-main/engine/layers'
import { mulberry32 } from '../../src-shared/random'
import { maxAbsDiff, randomValues, saveAndLoad, useBackend } from './helpers'

registerCustomLayers()

const VOCAB = 7
const DIM = 5
const LEN = 6

/** Seeded token sequences with repeated indices (so the gradient must accumulate rows). */
function tokens(n: number, seed: number): number[][] {
  const rand = mulberry32(seed)
  return Array.from({ length: n }, () => Array.from({ length: LEN }, () => Math.floor(rand() * VOCAB)))
}

/** Gradient of sum(layer(x) ⊙ G) w.r.t. the layer's embeddings matrix, on the current backend. */
function embeddingGradient(layer: tf.layers.Layer, x: number[][], weights: Float32Array, upstream: Float32Array): Float32Array {
  const model = tf.sequential({ layers: [layer] })
  layer.setWeights([tf.tensor2d(weights, [VOCAB, DIM])])
  const xs = tf.tensor2d(x, [x.length, LEN])
  const g = tf.tensor3d(upstream, [x.length, LEN, DIM])
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(model.apply(xs) as tf.Tensor, g)))
  const names = Object.keys(grads)
  expect(names).toHaveLength(1)
  const out = grads[names[0]].dataSync() as Float32Array
  tf.dispose([xs, g, value, grads[names[0]]])
  model.dispose()
  return out
}

describe('Embedding gradient equals the stock gather gradient', () => {
  const x = tokens(4, 1)
  const weights = randomValues(VOCAB * DIM, 2)
  const upstream = randomValues(4 * LEN * DIM, 3)

  it('ours on wasm and on cpu vs tf.layers.embedding on cpu, within 1e-6', async () => {
    await useBackend('cpu')
    const stock = embeddingGradient(tf.layers.embedding({ inputDim: VOCAB, outputDim: DIM, inputLength: LEN }), x, weights, upstream)
    const oursCpu = embeddingGradient(new Embedding({ inputDim: VOCAB, outputDim: DIM, inputLength: LEN }), x, weights, upstream)
    await useBackend('wasm')
    const oursWasm = embeddingGradient(new Embedding({ inputDim: VOCAB, outputDim: DIM, inputLength: LEN }), x, weights, upstream)
    expect(maxAbsDiff(oursCpu, stock)).toBeLessThan(1e-6)
    expect(maxAbsDiff(oursWasm, stock)).toBeLessThan(1e-6)
    // Some rows got several contributions, some none: the comparison covers accumulation and zeros.
    expect(Math.max(...Array.from(stock, Math.abs))).toBeGreaterThan(0.5)
  })

  it('gatherRowsTrainable matches tf.gather and its gradient on cpu', async () => {
    await useBackend('cpu')
    const emb = tf.tensor2d(weights, [VOCAB, DIM])
    const idx = tf.tensor1d([3, 1, 3, 0, 6, 3], 'int32')
    const g = tf.tensor2d(randomValues(6 * DIM, 4), [6, DIM])
    expect(maxAbsDiff(gatherRowsTrainable(emb, idx).dataSync(), tf.gather(emb, idx).dataSync())).toBe(0)
    const ours = tf.grad((e: tf.Tensor) => tf.sum(tf.mul(gatherRowsTrainable(e, idx), g)))(emb)
    const stock = tf.grad((e: tf.Tensor) => tf.sum(tf.mul(tf.gather(e, idx), g)))(emb)
    expect(maxAbsDiff(ours.dataSync(), stock.dataSync())).toBeLessThan(1e-6)
  })
})

describe('Embedding → SimpleRNN → Dense(softmax) on wasm', () => {
  const build = (embedding: tf.layers.Layer): tf.Sequential => {
    const model = tf.sequential({
      layers: [
        embedding,
        tf.layers.simpleRNN({ units: 8, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
        tf.layers.dense({ units: VOCAB, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) })
      ]
    })
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'sparseCategoricalCrossentropy' })
    return model
  }
  // Task: predict the last token of the sequence.
  const x = tokens(48, 5)
  const y = x.map((row) => [row[LEN - 1]])

  it('premise: the stock tf.layers.embedding cannot train on wasm', async () => {
    await useBackend('wasm')
    const model = build(tf.layers.embedding({ inputDim: VOCAB, outputDim: DIM, inputLength: LEN }))
    await expect(model.fit(tf.tensor2d(x), tf.tensor2d(y), { epochs: 1, verbose: 0 })).rejects.toThrow(/UnsortedSegmentSum/)
  })

  it('ours trains: sparse categorical cross-entropy falls', async () => {
    await useBackend('wasm')
    const model = build(
      new Embedding({
        inputDim: VOCAB,
        outputDim: DIM,
        inputLength: LEN,
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: 1 })
      })
    )
    expect(model.outputs[0].shape).toEqual([null, VOCAB])
    const history = await model.fit(tf.tensor2d(x), tf.tensor2d(y), { epochs: 15, batchSize: 16, shuffle: false, verbose: 0 })
    const loss = history.history.loss as number[]
    expect(loss.every(Number.isFinite)).toBe(true)
    expect(loss[loss.length - 1]).toBeLessThan(0.6 * loss[0])
  })
})

describe('Embedding layer behaviour', () => {
  it('forward equals tf.layers.embedding; shapes with and without inputLength', async () => {
    await useBackend('cpu')
    const weights = tf.tensor2d(randomValues(VOCAB * DIM, 9), [VOCAB, DIM])
    const ours = new Embedding({ inputDim: VOCAB, outputDim: DIM })
    const stock = tf.layers.embedding({ inputDim: VOCAB, outputDim: DIM })
    const x = tf.tensor2d(tokens(3, 10))
    ours.apply(x)
    stock.apply(x)
    ours.setWeights([weights])
    stock.setWeights([weights])
    const a = ours.apply(x) as tf.Tensor
    expect(a.shape).toEqual([3, LEN, DIM])
    expect(maxAbsDiff(a.dataSync(), (stock.apply(x) as tf.Tensor).dataSync())).toBe(0)
    expect(ours.computeOutputShape([null, LEN])).toEqual([null, LEN, DIM])
    expect(new Embedding({ inputDim: 3, outputDim: 2, inputLength: 4 }).computeOutputShape([null, null])).toEqual([null, 4, 2])
  })

  it('maskZero produces the padding mask', async () => {
    await useBackend('cpu')
    const layer = new Embedding({ inputDim: VOCAB, outputDim: DIM, maskZero: true })
    const mask = layer.computeMask(tf.tensor2d([[0, 2, 0, 3]]))
    expect(Array.from(mask.dataSync())).toEqual([0, 1, 0, 1])
    expect(new Embedding({ inputDim: VOCAB, outputDim: DIM }).computeMask(tf.tensor2d([[0, 1]]))).toBeNull()
  })

  it('maskZero feeds a GRU: trailing padding leaves the final state unchanged', async () => {
    await useBackend('cpu')
    const model = tf.sequential({
      layers: [new Embedding({ inputDim: VOCAB, outputDim: DIM, maskZero: true, inputShape: [null] }), new GRU({ units: 3 })]
    })
    const padded = (model.predict(tf.tensor2d([[3, 5, 0, 0]])) as tf.Tensor).dataSync()
    const short = (model.predict(tf.tensor2d([[3, 5]])) as tf.Tensor).dataSync()
    expect(maxAbsDiff(padded, short)).toBeLessThan(1e-7)
  })

  it('serializes as TrainableEmbedding and round-trips through save/load', async () => {
    await useBackend('cpu')
    const model = tf.sequential({
      layers: [
        new Embedding({ inputDim: VOCAB, outputDim: DIM, inputLength: LEN, name: 'emb' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2 })
      ]
    })
    const x = tf.tensor2d(tokens(2, 11))
    const before = (model.predict(x) as tf.Tensor).dataSync()
    const { loaded, artifacts } = await saveAndLoad(model)
    expect(JSON.stringify(artifacts.modelTopology)).toContain('"TrainableEmbedding"')
    expect(loaded.getLayer('emb')).toBeInstanceOf(Embedding)
    expect(loaded.getLayer('emb').getConfig()).toMatchObject({ inputDim: VOCAB, outputDim: DIM, inputLength: LEN, maskZero: false })
    expect(maxAbsDiff((loaded.predict(x) as tf.Tensor).dataSync(), before)).toBe(0)
  })
})
