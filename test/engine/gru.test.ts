import * as tf from '@tensorflow/tfjs'
import { afterAll, describe, expect, it } from 'vitest'
import { GRU, GRUCell, FastOrthogonal, fromKerasTopology, registerCustomLayers, toKerasTopology } from '../../src-main/engine/layers'
import { recurrentParams } from '../../src-shared/model-summary'
import { maxAbsDiff, maxRelativeError, randomValues, saveAndLoad, useBackend, type TestBackend } from './helpers'

registerCustomLayers()

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v))

/**
 * Plain Float64 forward pass of Keras's GRU (reset_after=True), returning every step's h
 * ([batch, steps, units] row-major). Weights in Keras layout: W [D, 3U], Ur [U, 3U], bias [2, 3U].
 */
function kerasGruReference(
  x: ArrayLike<number>,
  [batch, steps, inputDim]: [number, number, number],
  units: number,
  W: ArrayLike<number>,
  Ur: ArrayLike<number>,
  bias: ArrayLike<number>
): Float64Array {
  const G = 3 * units
  const out = new Float64Array(batch * steps * units)
  for (let b = 0; b < batch; b++) {
    let h = new Float64Array(units)
    for (let t = 0; t < steps; t++) {
      const mx = new Float64Array(G)
      const mh = new Float64Array(G)
      for (let j = 0; j < G; j++) {
        let sx = bias[j]
        for (let d = 0; d < inputDim; d++) sx += x[(b * steps + t) * inputDim + d] * W[d * G + j]
        mx[j] = sx
        let sh = bias[G + j]
        for (let k = 0; k < units; k++) sh += h[k] * Ur[k * G + j]
        mh[j] = sh
      }
      const next = new Float64Array(units)
      for (let i = 0; i < units; i++) {
        const z = sigmoid(mx[i] + mh[i])
        const r = sigmoid(mx[units + i] + mh[units + i])
        const hh = Math.tanh(mx[2 * units + i] + r * mh[2 * units + i])
        next[i] = z * h[i] + (1 - z) * hh
      }
      h = next
      out.set(h, (b * steps + t) * units)
    }
  }
  return out
}

function seqData(n: number, steps: number, seed: number): { xs: tf.Tensor3D; ys: tf.Tensor2D } {
  // Next value of a noisy-phase sine: learnable by a small recurrent model.
  const phases = randomValues(n, seed, Math.PI)
  const x: number[] = []
  const y: number[] = []
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < steps; t++) x.push(Math.sin(phases[i] + 0.5 * t))
    y.push(Math.sin(phases[i] + 0.5 * steps))
  }
  return { xs: tf.tensor3d(x, [n, steps, 1]), ys: tf.tensor2d(y, [n, 1]) }
}

afterAll(() => tf.disposeVariables())

describe('GRU parameter counts (Keras, reset_after=True)', () => {
  it('GRU(2) on (3, 1) has 30 parameters and Bidirectional(GRU(2)) 60', async () => {
    await useBackend('cpu')
    const single = tf.sequential({ layers: [new GRU({ units: 2, inputShape: [3, 1] })] })
    expect(single.countParams()).toBe(30)
    expect(single.countParams()).toBe(recurrentParams('gru', 1, 2))
    const bi = tf.sequential({
      layers: [tf.layers.bidirectional({ layer: new GRU({ units: 2 }), inputShape: [3, 1], mergeMode: 'concat' })]
    })
    expect(bi.countParams()).toBe(60)
    expect(bi.outputs[0].shape).toEqual([null, 4])
    const shapes = single.layers[0].getWeights().map((w) => w.shape)
    expect(shapes).toEqual([
      [1, 6],
      [2, 6],
      [2, 6]
    ])
    // The older variant (tfjs / Keras 1): one bias row.
    const before = tf.sequential({ layers: [new GRU({ units: 2, inputShape: [3, 1], resetAfter: false })] })
    expect(before.countParams()).toBe(24)
  })

  it('matches model-summary for stacked and wider layers', async () => {
    await useBackend('cpu')
    const model = tf.sequential({
      layers: [new GRU({ units: 8, returnSequences: true, inputShape: [5, 3] }), new GRU({ units: 4 })]
    })
    expect(model.layers[0].countParams()).toBe(recurrentParams('gru', 3, 8))
    expect(model.layers[1].countParams()).toBe(recurrentParams('gru', 8, 4))
    expect(model.outputs[0].shape).toEqual([null, 4])
  })
})

describe('GRU defaults follow Keras 2.x+, not tfjs', () => {
  it("uses sigmoid gates (tfjs's GRU/LSTM default to hardSigmoid), tanh, glorotUniform, orthogonal, zeros", () => {
    const cell = new GRUCell({ units: 3 })
    const config = cell.getConfig()
    expect(config.recurrentActivation).toBe('sigmoid')
    expect(config.activation).toBe('tanh')
    expect(config.resetAfter).toBe(true)
    expect(cell.recurrentInitializer).toBeInstanceOf(FastOrthogonal)
    expect((config.biasInitializer as tf.serialization.ConfigDict).className).toBe('Zeros')
    // The premise: tfjs's stock recurrent layers default to hardSigmoid.
    expect(tf.layers.gru({ units: 3 }).getConfig().recurrentActivation).toBe('hardSigmoid')
    expect(tf.layers.lstm({ units: 3 }).getConfig().recurrentActivation).toBe('hardSigmoid')
    // ... and reject reset_after.
    const kerasDefault = { units: 3, resetAfter: true } // not in tfjs's GRULayerArgs type, but read by its cell
    expect(() => tf.layers.gru(kerasDefault)).toThrow(/reset_after/)
  })
})

describe.each<TestBackend>(['cpu', 'wasm'])('GRU forward pass and training on %s', (backend) => {
  it('matches a Float64 reference of the Keras GRU within 1e-5 relative', async () => {
    await useBackend(backend)
    const [B, T, D, U] = [3, 6, 2, 4]
    const layer = new GRU({ units: U, returnSequences: true, inputShape: [T, D] })
    const model = tf.sequential({ layers: [layer] })
    const W = randomValues(D * 3 * U, 11, 0.8)
    const Ur = randomValues(U * 3 * U, 12, 0.8)
    const bias = randomValues(2 * 3 * U, 13, 0.5)
    layer.setWeights([tf.tensor2d(W, [D, 3 * U]), tf.tensor2d(Ur, [U, 3 * U]), tf.tensor2d(bias, [2, 3 * U])])
    const x = randomValues(B * T * D, 14, 1.5)
    const out = tf.tidy(() => model.predict(tf.tensor3d(x, [B, T, D])) as tf.Tensor)
    expect(out.shape).toEqual([B, T, U])
    const got = out.dataSync()
    out.dispose()
    const want = kerasGruReference(x, [B, T, D], U, W, Ur, bias)
    expect(maxRelativeError(got, want)).toBeLessThan(1e-5)
    // Sanity: the outputs are not trivially small, so the comparison means something.
    expect(Math.max(...Array.from(want, Math.abs))).toBeGreaterThan(0.3)
  })

  it('with resetAfter: false equals the stock tfjs GRU given the same weights', async () => {
    await useBackend(backend)
    const [B, T, D, U] = [2, 5, 3, 3]
    const ours = new GRU({ units: U, inputShape: [T, D], resetAfter: false, recurrentActivation: 'hardSigmoid' })
    const stock = tf.layers.gru({ units: U, inputShape: [T, D] })
    const m1 = tf.sequential({ layers: [ours] })
    const m2 = tf.sequential({ layers: [stock] })
    const weights = [
      tf.tensor2d(randomValues(D * 3 * U, 21), [D, 3 * U]),
      tf.tensor2d(randomValues(U * 3 * U, 22), [U, 3 * U]),
      tf.tensor1d(randomValues(3 * U, 23, 0.5))
    ]
    ours.setWeights(weights)
    stock.setWeights(weights)
    const x = tf.tensor3d(randomValues(B * T * D, 24), [B, T, D])
    const a = (m1.predict(x) as tf.Tensor).dataSync()
    const b = (m2.predict(x) as tf.Tensor).dataSync()
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6)
  })

  it('trains: loss falls within a few epochs (plain and bidirectional), no tensor leak in predict', async () => {
    await useBackend(backend)
    const { xs, ys } = seqData(64, 8, 31)
    for (const bidirectional of [false, true]) {
      const options = {
        units: 6,
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        recurrentInitializer: new FastOrthogonal({ seed: 2 })
      }
      const model = tf.sequential({
        layers: [
          bidirectional
            ? tf.layers.bidirectional({ layer: new GRU(options), inputShape: [8, 1] })
            : new GRU({ ...options, inputShape: [8, 1] }),
          tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) })
        ]
      })
      model.compile({ optimizer: tf.train.adam(0.03), loss: 'meanSquaredError' })
      const history = await model.fit(xs, ys, { epochs: 8, batchSize: 16, shuffle: false, verbose: 0 })
      const loss = history.history.loss as number[]
      expect(loss.every(Number.isFinite)).toBe(true)
      expect(loss[loss.length - 1]).toBeLessThan(0.5 * loss[0])
      const before = tf.memory().numTensors
      tf.tidy(() => {
        model.predict(xs)
      })
      expect(tf.memory().numTensors).toBe(before)
      model.dispose()
    }
    tf.dispose([xs, ys])
  })
})

describe('GRU dropout', () => {
  it('is inactive at inference and trains with dropout and recurrentDropout', async () => {
    await useBackend('cpu')
    const args = { units: 5, inputShape: [6, 2] as [number, number] }
    const plain = new GRU(args)
    const dropped = new GRU({ ...args, dropout: 0.4, recurrentDropout: 0.3 })
    const m1 = tf.sequential({ layers: [plain] })
    const m2 = tf.sequential({ layers: [dropped, tf.layers.dense({ units: 1 })] })
    dropped.setWeights(plain.getWeights())
    const x = tf.tensor3d(randomValues(4 * 6 * 2, 41), [4, 6, 2])
    const inner = tf.model({ inputs: m2.inputs, outputs: dropped.output as tf.SymbolicTensor })
    expect(maxAbsDiff((inner.predict(x) as tf.Tensor).dataSync(), (m1.predict(x) as tf.Tensor).dataSync())).toBeLessThan(1e-7)
    m2.compile({ optimizer: 'adam', loss: 'meanSquaredError' })
    const h = await m2.fit(x, tf.ones([4, 1]), { epochs: 2, verbose: 0 })
    expect((h.history.loss as number[]).every(Number.isFinite)).toBe(true)
    expect(dropped.getConfig()).toMatchObject({ dropout: 0.4, recurrentDropout: 0.3 })
  })
})

describe('GRU serialization', () => {
  it('round-trips through model.save / tf.loadLayersModel, plain and inside Bidirectional', async () => {
    await useBackend('cpu')
    const model = tf.sequential({
      layers: [
        tf.layers.bidirectional({
          layer: new GRU({ units: 3, returnSequences: true, recurrentInitializer: new FastOrthogonal({ seed: 9, gain: 0.5 }) }),
          inputShape: [4, 2]
        }),
        new GRU({ units: 2, dropout: 0.1, name: 'top_gru' }),
        tf.layers.dense({ units: 1 })
      ]
    })
    const x = tf.tensor3d(randomValues(3 * 4 * 2, 51), [3, 4, 2])
    const before = (model.predict(x) as tf.Tensor).dataSync()
    const { loaded, artifacts } = await saveAndLoad(model)
    const topology = JSON.stringify(artifacts.modelTopology)
    expect(topology).toContain('"KerasGRU"')
    expect(topology).toContain('"FastOrthogonal"')
    expect(loaded.countParams()).toBe(model.countParams())
    const top = loaded.getLayer('top_gru')
    expect(top).toBeInstanceOf(GRU)
    expect(top.getConfig()).toMatchObject({ units: 2, dropout: 0.1, recurrentActivation: 'sigmoid', resetAfter: true })
    const after = (loaded.predict(x) as tf.Tensor).dataSync()
    expect(maxAbsDiff(after, before)).toBe(0)
  })

  it('GRUCell works inside tf.layers.rnn and that model round-trips too', async () => {
    await useBackend('cpu')
    const viaCell = tf.sequential({ layers: [tf.layers.rnn({ cell: new GRUCell({ units: 3 }), inputShape: [4, 2] })] })
    const viaLayer = tf.sequential({ layers: [new GRU({ units: 3, inputShape: [4, 2] })] })
    viaCell.setWeights(viaLayer.getWeights())
    const x = tf.tensor3d(randomValues(2 * 4 * 2, 61), [2, 4, 2])
    const a = (viaCell.predict(x) as tf.Tensor).dataSync()
    expect(maxAbsDiff(a, (viaLayer.predict(x) as tf.Tensor).dataSync())).toBe(0)
    const { loaded, artifacts } = await saveAndLoad(viaCell)
    expect(JSON.stringify(artifacts.modelTopology)).toContain('"KerasGRUCell"')
    expect(maxAbsDiff((loaded.predict(x) as tf.Tensor).dataSync(), a)).toBe(0)
  })

  it('exports with Keras class names (GRU, Orthogonal, reset_after) and imports back', async () => {
    await useBackend('cpu')
    const model = tf.sequential({
      layers: [
        tf.layers.bidirectional({
          layer: new GRU({ units: 3, recurrentInitializer: new FastOrthogonal({ seed: 4 }) }),
          inputShape: [5, 2]
        }),
        tf.layers.dense({ units: 1 })
      ]
    })
    const x = tf.tensor3d(randomValues(2 * 5 * 2, 71), [2, 5, 2])
    const before = (model.predict(x) as tf.Tensor).dataSync()
    const { artifacts } = await saveAndLoad(model)
    const keras = toKerasTopology(artifacts.modelTopology as object)
    const text = JSON.stringify(keras)
    expect(text).toContain('"class_name":"GRU"')
    expect(text).toContain('"class_name":"Orthogonal"')
    expect(text).toContain('"reset_after":true')
    expect(text).toContain('"recurrent_activation":"sigmoid"')
    expect(text).not.toMatch(/"class_name":"(KerasGRU|KerasGRUCell|FastOrthogonal)"/)
    // Keras's GRU config may omit reset_after (default True): still mapped to our GRU.
    type Topology = { config: { layers: { config: { layer: { config: Record<string, unknown> } } }[] } }
    delete (keras as Topology).config.layers[0].config.layer.config.reset_after
    const back = fromKerasTopology(keras)
    expect(JSON.stringify(back)).toContain('"class_name":"KerasGRU"')
    const loaded = await tf.loadLayersModel(tf.io.fromMemory({ ...artifacts, modelTopology: back }))
    expect(maxAbsDiff((loaded.predict(x) as tf.Tensor).dataSync(), before)).toBe(0)
  })

  it('registerCustomLayers is idempotent and names the registered classes', () => {
    const names = registerCustomLayers()
    expect(registerCustomLayers()).toEqual(names)
    const map = tf.serialization.SerializationMap.getMap().classNameMap
    for (const name of names) expect(map[name]).toBeDefined()
    // Stock classes are left alone.
    expect(map.GRU[0]).not.toBe(GRU)
    expect(map.Orthogonal[0]).not.toBe(FastOrthogonal)
  })
})
