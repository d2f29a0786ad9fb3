/**
 * Fused layers in use: Adam steps reduce the loss, save/load round trip, config round trip
 * (what tf.layers.bidirectional relies on), no tensor leaks, initial/returned states, the
 * stock → fused model converter, and the committed .wasm reproducing byte for byte.
 */
import * as tf from '@tensorflow/tfjs'
import { execFileSync } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../src-main/engine/backends'
import { FusedGRU, FusedLSTM, FusedSimpleRNN, loadKernels, toFusedModel } from '../../src-main/engine/fused'
import { fusedLayer, relErr, stockLayer, type Kind } from './helpers'

const KINDS: Kind[] = ['lstm', 'gru', 'rnn']

beforeAll(async () => {
  await selectBackend(tf, { allowNative: false, only: ['wasm'] })
})

function model(kind: Kind, seq = false): tf.Sequential {
  const m = tf.sequential()
  m.add(
    fusedLayer(kind, { units: 8, returnSequences: seq, inputShape: [10, 3], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })
  )
  if (seq)
    m.add(
      tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }) })
    )
  else m.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }))
  return m
}

describe('fused layers in training', () => {
  it('loads the wasm kernels', () => {
    expect(loadKernels()).not.toBeNull()
  })

  for (const kind of KINDS) {
    it(`${kind}: Adam steps reduce the loss without leaking tensors`, () => {
      const m = model(kind)
      const x = tf.randomUniform([16, 10, 3], -1, 1, 'float32', 5)
      const y = tf.tidy(() => tf.sum(x, [1, 2]).reshape([16, 1]).mul(0.1))
      const opt = tf.train.adam(0.02)
      const vars = m.trainableWeights.map((w) => w.read() as tf.Variable)
      const losses: number[] = []
      let tensors = 0
      for (let step = 0; step < 30; step++) {
        if (step === 2) tensors = tf.memory().numTensors
        const { value, grads } = tf.variableGrads(
          () => tf.losses.meanSquaredError(y, m.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
          vars
        )
        opt.applyGradients(grads as unknown as Parameters<typeof opt.applyGradients>[0])
        losses.push(value.dataSync()[0])
        tf.dispose([value, grads])
      }
      expect(tf.memory().numTensors).toBe(tensors)
      expect(losses[29]).toBeLessThan(losses[0] * 0.5)
      tf.dispose([x, y])
      opt.dispose()
      m.dispose()
    })
  }

  it('save/load round trip (tf.io.withSaveHandler / fromMemory) keeps outputs', async () => {
    for (const kind of KINDS) {
      const m = tf.sequential()
      m.add(tf.layers.bidirectional({ layer: fusedLayer(kind, { units: 5, returnSequences: true }) as tf.layers.RNN, inputShape: [4, 3] }))
      m.add(fusedLayer(kind, { units: 3 }))
      const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 9)
      const before = m.predict(x) as tf.Tensor
      let artifacts: tf.io.ModelArtifacts | null = null
      await m.save(
        tf.io.withSaveHandler(async (a) => {
          artifacts = a
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
        })
      )
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!))
      expect(loaded.layers[1].getClassName()).toBe(m.layers[1].getClassName())
      const after = loaded.predict(x) as tf.Tensor
      expect(relErr(after, before)).toBeLessThan(1e-6)
      tf.dispose([x, before, after])
      m.dispose()
      loaded.dispose()
    }
  })

  it('getConfig / fromConfig round trip (what Bidirectional clones with)', () => {
    for (const cls of [FusedLSTM, FusedGRU, FusedSimpleRNN]) {
      const layer = new cls({ units: 6, returnSequences: true, goBackwards: true, dropout: 0.1 })
      const config = layer.getConfig()
      const [ctor, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap[cls.className]
      const copy = fromConfig(ctor, config) as unknown as tf.layers.Layer
      expect(copy.getClassName()).toBe(cls.className)
      expect(copy.getConfig()).toEqual({ ...config, name: copy.name })
    }
  })

  it('weights copy between stock and fused layers (same shapes, same count)', () => {
    for (const kind of KINDS) {
      const a = tf.sequential({ layers: [stockLayer(kind, { units: 5, inputShape: [3, 4] })] })
      const b = tf.sequential({ layers: [fusedLayer(kind, { units: 5, inputShape: [3, 4] })] })
      expect(b.countParams()).toBe(a.countParams())
      expect(b.getWeights().map((w) => w.shape)).toEqual(a.getWeights().map((w) => w.shape))
      a.dispose()
      b.dispose()
    }
  })

  it('initialState + returnState: two halves equal the whole sequence', () => {
    tf.tidy(() => {
      for (const kind of KINDS) {
        const layer = fusedLayer(kind, { units: 6, returnSequences: true, returnState: true })
        const x = tf.randomNormal([2, 8, 3], 0, 1, 'float32', 11)
        const [whole] = layer.apply(x) as tf.Tensor[]
        const [first, ...states] = layer.apply(tf.slice(x, [0, 0, 0], [2, 4, 3])) as tf.Tensor[]
        const [second] = layer.apply(tf.slice(x, [0, 4, 0], [2, 4, 3]), { initialState: states }) as tf.Tensor[]
        expect(relErr(tf.concat([first, second], 1), whole)).toBeLessThan(1e-5)
        // gradients through the initial state match the tfjs-ops path
        const h0 = tf.randomNormal([2, 6], 0, 1, 'float32', 12)
        const init = kind === 'lstm' ? [h0, tf.randomNormal([2, 6], 0, 1, 'float32', 13)] : [h0]
        const ref = fusedLayer(kind, { units: 6, returnSequences: true, fusedImplementation: 'tfjs' })
        ref.apply(x)
        ref.setWeights(layer.getWeights())
        const g = (l: tf.layers.Layer) =>
          tf.grads((...s: tf.Tensor[]) => tf.sum(tf.square(l.apply(x, { initialState: s }) as tf.Tensor)))(init)
        const plain = fusedLayer(kind, { units: 6, returnSequences: true })
        plain.apply(x)
        plain.setWeights(layer.getWeights())
        const [ga, gb] = [g(plain), g(ref)]
        ga.forEach((t, i) => expect(relErr(t, gb[i])).toBeLessThan(1e-4))
      }
    })
  })

  it('toFusedModel converts a stock model (bidirectional + stacked) with identical outputs', async () => {
    const stock = tf.sequential()
    stock.add(
      tf.layers.bidirectional({
        layer: tf.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' }),
        inputShape: [5, 3]
      })
    )
    stock.add(tf.layers.simpleRNN({ units: 3, returnSequences: true }))
    stock.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) }))
    const fused = await toFusedModel(tf, stock)
    expect(fused.layers.map((l) => l.getClassName())).toEqual(['Bidirectional', 'FusedSimpleRNN', 'Dense']) // TimeDistributed(Dense) unwrapped
    expect(fused.countParams()).toBe(stock.countParams())
    const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 21)
    const a = stock.predict(x) as tf.Tensor
    const b = fused.predict(x) as tf.Tensor
    expect(relErr(b, a)).toBeLessThan(1e-5)
    tf.dispose([x, a, b])
    stock.dispose()
    fused.dispose()
  })

  it('the committed .wasm is what scripts/build-kernels.mjs builds (twice, same sha256)', () => {
    const out = execFileSync(process.execPath, ['scripts/build-kernels.mjs', '--check'], { encoding: 'utf8' })
    expect(JSON.parse(out.trim().split('\n').at(-1)!).identical).toBe(true)
  }, 60_000)
})
