/**
 * The native training step (src-main/engine/fused/native-train-step.ts), driven by the real fit loop:
 * per-epoch losses, trained weights and Adam's state equal the tfjs step (tf.variableGrads +
 * optimizer.applyGradients over the same fused layers on the WebAssembly kernels) for every cell,
 * stacking, head mode (every step / last step), both losses and global-norm clipping; epoch losses
 * identical with one and two threads; and tfjs trains whatever the native step does not take.
 */
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../src-main/engine/backends'
import { fit } from '../../src-main/engine/fit-loop'
import {
  nativeLoss,
  nativeTrainStep,
  setKernelBackend,
  setKernelThreads,
  setNativeIsa,
  setSplitMinWork,
  type BatchArrays
} from '../../src-main/engine/fused'
import { ForecastConfig } from '../../src-shared/forecast-config'
import { fusedLayer, type Kind } from './helpers'

const KINDS: Kind[] = ['lstm', 'gru', 'rnn']
const T = 6
const D = 5
const N = 40 // 3 batches of 16 (the last one 8 rows)
const V = 7 // classes of the cross-entropy case

/** oneHot: the input is one-hot over D classes; `ids` also hands the fit loop the batch as ids (batchArrays). */
type Case = { stacked: boolean; seq: boolean; loss: 'mse' | 'ce'; clipNorm: number | null; oneHot?: 'tensor' | 'ids' }

const CASES: Case[] = [
  { stacked: false, seq: false, loss: 'mse', clipNorm: null },
  { stacked: true, seq: true, loss: 'ce', clipNorm: null },
  { stacked: true, seq: false, loss: 'mse', clipNorm: 0.05 }
]

function build(kind: Kind, c: Case): tf.Sequential {
  const init = (seed: number) => ({
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
    recurrentInitializer: tf.initializers.glorotUniform({ seed: seed + 100 })
  })
  const m = tf.sequential()
  m.add(fusedLayer(kind, { units: 11, returnSequences: c.stacked || c.seq, inputShape: [T, D], ...init(1) }))
  if (c.stacked) m.add(fusedLayer(kind, { units: 9, returnSequences: c.seq, ...init(2) }))
  m.add(tf.layers.dense({ units: c.loss === 'ce' ? V : 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }))
  return m
}

const ONE_HOT_IDS = Int32Array.from({ length: N * T }, (_, i) => (i * 7 + (i >> 3)) % D)

function data(c: Case): { x: tf.Tensor; y: tf.Tensor } {
  const x = c.oneHot
    ? tf.tidy(() => tf.oneHot(tf.tensor2d(ONE_HOT_IDS, [N, T], 'int32'), D).toFloat())
    : tf.randomUniform([N, T, D], -1, 1, 'float32', 11)
  if (c.loss === 'ce') return { x, y: tf.randomUniform([N, T], 0, V, 'int32', 12) }
  return { x, y: tf.randomUniform([N, 2], -1, 1, 'float32', 13) }
}

function lossOf(c: Case) {
  if (c.loss === 'mse') return nativeLoss((t: tf.Tensor, p: tf.Tensor) => tf.losses.meanSquaredError(t, p) as tf.Scalar, 'mse')
  return nativeLoss(
    (y: tf.Tensor, logits: tf.Tensor) => tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(y.toInt(), V), logits) as tf.Scalar),
    'sparseSoftmaxCrossEntropy'
  )
}

interface Trained {
  native: boolean
  losses: number[]
  weights: Float32Array[]
  moments: Float32Array[]
  iterations: number
}

function idsBatch(idx: Int32Array, from: number, to: number, y: tf.Tensor): BatchArrays {
  const n = to - from
  const ys = y.dataSync() as Int32Array
  const ids = new Int32Array(n * T)
  const yy = new Int32Array(n * T)
  for (let j = 0; j < n; j++) {
    ids.set(ONE_HOT_IDS.subarray(idx[from + j] * T, (idx[from + j] + 1) * T), j * T)
    yy.set(ys.subarray(idx[from + j] * T, (idx[from + j] + 1) * T), j * T)
  }
  return { B: n, T, x: null, ids, y: yy }
}

/** Trains `epochs` epochs with the fit loop; `kernels` 'wasm' leaves the step to tfjs. */
async function train(kind: Kind, c: Case, kernels: 'native' | 'wasm', epochs = 3): Promise<Trained> {
  setKernelBackend(kernels)
  const model = build(kind, c)
  const { x, y } = data(c)
  const training = ForecastConfig.parse({
    window: T,
    features: ['a'],
    target: 'a',
    model: { cell: 'lstm', layers: [{ units: 4 }] },
    training: { epochs, batchSize: 16, clipNorm: c.clipNorm }
  }).training
  const optimizer = tf.train.adam(0.01)
  const loss = lossOf(c)
  const varList = model.trainableWeights.map((w) => w.read() as tf.Variable)
  const native = nativeTrainStep({ model, optimizer, loss, varList, clipNorm: c.clipNorm }) !== null
  const losses: number[] = []
  await fit(
    tf,
    {
      model,
      optimizer,
      training,
      trainCount: N,
      batch: (idx, from, to) => {
        const sel = tf.tensor1d(idx.slice(from, to), 'int32')
        const out = { x: tf.gather(x, sel), y: tf.gather(y, sel) }
        sel.dispose()
        return out
      },
      batchArrays: c.oneHot === 'ids' ? (idx, from, to) => idsBatch(idx, from, to, y) : undefined,
      loss,
      validate: async () => null,
      restoreBest: false
    },
    { onEpoch: (r) => losses.push(r.loss) }
  )
  const state = await optimizer.getWeights()
  const out: Trained = {
    native,
    losses,
    weights: model.getWeights().map((w) => w.dataSync() as Float32Array),
    moments: state.slice(1).map((s) => s.tensor.dataSync() as Float32Array),
    iterations: state[0].tensor.dataSync()[0]
  }
  tf.dispose([x, y])
  optimizer.dispose()
  model.dispose()
  return out
}

/** max |a − b| over max |b| (per array, the worst). */
function worst(a: Float32Array[], b: Float32Array[]): number {
  expect(a.length).toBe(b.length)
  let w = 0
  a.forEach((x, i) => {
    let diff = 0
    let scale = 1e-12
    for (let j = 0; j < x.length; j++) {
      diff = Math.max(diff, Math.abs(x[j] - b[i][j]))
      scale = Math.max(scale, Math.abs(b[i][j]))
    }
    w = Math.max(w, diff / scale)
  })
  return w
}

beforeAll(async () => {
  await selectBackend(tf, { allowNative: false, only: ['wasm'] })
})
afterAll(() => {
  setKernelBackend('auto')
  setKernelThreads('auto')
})

describe('native training step', () => {
  for (const kind of KINDS)
    for (const c of CASES) {
      const name = `${kind} ${c.stacked ? 'stacked' : 'single'} ${c.seq ? 'every step' : 'last step'} ${c.loss}${c.clipNorm ? ' clipNorm' : ''}`
      it(`${name}: losses, weights and Adam state equal the tfjs step`, async () => {
        const ours = await train(kind, c, 'native')
        const ref = await train(kind, c, 'wasm')
        expect(ours.native).toBe(true)
        expect(ref.native).toBe(false)
        ours.losses.forEach((l, i) => expect(Math.abs(l - ref.losses[i]) / Math.abs(ref.losses[i])).toBeLessThan(1e-5))
        expect(worst(ours.weights, ref.weights)).toBeLessThan(1e-5)
        expect(worst(ours.moments, ref.moments)).toBeLessThan(1e-5)
        expect(ours.iterations).toBe(ref.iterations)
      })
    }

  it('a one-hot input handed over as ids (batchArrays) trains exactly as the one-hot tensors', async () => {
    for (const kind of KINDS) {
      const c: Case = { stacked: true, seq: true, loss: 'ce', clipNorm: null, oneHot: 'tensor' }
      const tensors = await train(kind, c, 'native')
      const ids = await train(kind, { ...c, oneHot: 'ids' }, 'native')
      const ref = await train(kind, c, 'wasm')
      expect(ids.native).toBe(true)
      expect(ids.losses).toEqual(tensors.losses)
      expect(ids.weights).toEqual(tensors.weights)
      ids.losses.forEach((l, i) => expect(Math.abs(l - ref.losses[i]) / Math.abs(ref.losses[i])).toBeLessThan(1e-5))
      expect(worst(ids.weights, ref.weights)).toBeLessThan(1e-5)
    }
  })

  it('equals the tfjs step on every instruction set of this CPU (AVX2 + FMA, baseline)', async () => {
    const best = setNativeIsa('best')
    const isas = best === 'avx512' ? ['avx2', 'base'] : best === 'avx2' ? ['base'] : []
    try {
      for (const isa of isas)
        for (const kind of KINDS) {
          expect(setNativeIsa(isa as 'avx2' | 'base')).toBe(isa)
          const c: Case = { stacked: true, seq: true, loss: 'ce', clipNorm: null, oneHot: 'ids' }
          const ours = await train(kind, c, 'native')
          const ref = await train(kind, { ...c, oneHot: 'tensor' }, 'wasm')
          ours.losses.forEach((l, i) => expect(Math.abs(l - ref.losses[i]) / Math.abs(ref.losses[i])).toBeLessThan(1e-5))
          expect(worst(ours.weights, ref.weights)).toBeLessThan(1e-5)
          const m2o = CASES[2]
          const ours2 = await train(kind, m2o, 'native')
          const ref2 = await train(kind, m2o, 'wasm')
          expect(worst(ours2.weights, ref2.weights)).toBeLessThan(1e-5)
        }
    } finally {
      setNativeIsa('best')
    }
  })

  it('seeded epoch losses are identical with one and two threads (split batches)', async () => {
    const old = setSplitMinWork(0)
    try {
      for (const kind of KINDS) {
        const c = CASES[1]
        setKernelThreads(1)
        const one = await train(kind, c, 'native')
        setKernelThreads(2)
        const two = await train(kind, c, 'native')
        expect(two.losses).toEqual(one.losses)
        expect(two.weights).toEqual(one.weights)
      }
    } finally {
      setSplitMinWork(old)
      setKernelThreads('auto')
    }
  })

  it('reads the state back when tfjs changed it after a sync (setWeights), and only then', () => {
    setKernelBackend('native')
    const c = CASES[0]
    const { x, y } = data(c)
    const xs = tf.slice(x, [0, 0, 0], [16, T, D])
    const ys = tf.slice(y, [0, 0], [16, 2])
    const run = (reset: boolean): number[] => {
      const model = build('gru', c)
      const start = model.getWeights().map((w) => w.clone())
      const varList = model.trainableWeights.map((w) => w.read() as tf.Variable)
      const opt = tf.train.adam(0.01)
      const s = nativeTrainStep({ model, optimizer: opt, loss: lossOf(c), varList, clipNorm: null })!
      const losses = [s.stepTensors(xs, ys)]
      s.sync()
      if (reset) model.setWeights(start)
      losses.push(s.stepTensors(xs, ys))
      s.sync()
      tf.dispose(start)
      opt.dispose()
      model.dispose()
      return losses
    }
    const kept = run(false)
    const reset = run(true)
    expect(kept[1]).toBeLessThan(kept[0]) // trained on from the native state
    expect(reset[1]).toBe(reset[0]) // the initial weights again: the same loss
    tf.dispose([x, y, xs, ys])
  })

  it('leaves to tfjs what it does not compute (another optimizer, an untagged loss, dropout)', () => {
    setKernelBackend('native')
    const c = CASES[0]
    const model = build('lstm', c)
    const varList = model.trainableWeights.map((w) => w.read() as tf.Variable)
    const adam = tf.train.adam(0.01)
    expect(nativeTrainStep({ model, optimizer: adam, loss: lossOf(c), varList, clipNorm: null })).not.toBeNull()
    expect(nativeTrainStep({ model, optimizer: tf.train.sgd(0.1), loss: lossOf(c), varList, clipNorm: null })).toBeNull()
    const plain = (t: tf.Tensor, p: tf.Tensor) => tf.losses.meanSquaredError(t, p) as tf.Scalar
    expect(nativeTrainStep({ model, optimizer: adam, loss: plain, varList, clipNorm: null })).toBeNull()
    const dropout = tf.sequential()
    dropout.add(fusedLayer('lstm', { units: 4, dropout: 0.2, inputShape: [T, D] }))
    dropout.add(tf.layers.dense({ units: 1 }))
    const dv = dropout.trainableWeights.map((w) => w.read() as tf.Variable)
    expect(nativeTrainStep({ model: dropout, optimizer: adam, loss: lossOf(c), varList: dv, clipNorm: null })).toBeNull()
    adam.dispose()
    model.dispose()
    dropout.dispose()
  })
})
