import * as tf from '@tensorflow/tfjs'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../src-main/engine/backends'
import { saveModelToDir } from '../../src-main/engine/save-model'
import { buildForecastModel } from '../../src-main/engine/build-model'
import { toKerasTopology } from '../../src-main/engine/layers/keras-names'
import { trainForecast } from '../../src-main/engine/train-forecast'
import { ForecastConfig, type ForecastConfigInput } from '../../src-shared/forecast-config'
import { generateSine } from '../../src-shared/sine'

const sine = { value: generateSine({ length: 300, frequency: 0.04, amplitude: 2, noise: 0, seed: 3 }) }
const config = (over: Partial<ForecastConfigInput> = {}) =>
  ForecastConfig.parse({
    window: 12,
    horizon: 3,
    features: ['value'],
    target: 'value',
    model: { cell: 'lstm', layers: [{ units: 6 }] },
    training: { epochs: 2, batchSize: 32, learningRate: 0.01, seed: 5 },
    ...over
  })

beforeAll(async () => {
  await selectBackend(tf, { allowNative: false, only: ['wasm'] })
})

describe('every forecasting layout trains and is scored on the same test windows', () => {
  for (const layout of ['many-to-one', 'many-to-many', 'one-to-many', 'encoder-decoder'] as const) {
    it(layout, async () => {
      const before = tf.memory().numTensors
      const r = await trainForecast(tf, config({ layout, horizon: layout === 'many-to-many' ? 1 : 3 }), sine)
      expect(r.epochs).toHaveLength(2)
      const h = layout === 'many-to-many' ? 1 : 3
      expect(r.metrics.perHorizon).toHaveLength(h)
      expect(r.metrics.testWindows).toBe(r.predictions.actual.length)
      expect(Number.isFinite(r.metrics.test.rmse)).toBe(true)
      expect(r.metrics.baselines.drift).not.toBeNull()
      expect(tf.memory().numTensors).toBe(before)
    })
  }
})

describe('walk-forward backtest', () => {
  it('retrains per fold on an expanding window and reports each fold with mean ± sd', async () => {
    const r = await trainForecast(
      tf,
      config({ layout: 'many-to-one', horizon: 1, evaluation: { backtestFolds: 3 }, training: { epochs: 2, seed: 4 } }),
      sine
    )
    const bt = r.metrics.backtest!
    expect(bt.folds.map((f) => f.fold)).toEqual([1, 2, 3])
    // Expanding: each fold trains on more rows than the one before.
    expect(bt.folds[1].trainRows).toBeGreaterThan(bt.folds[0].trainRows)
    expect(bt.mean.rmse).toBeCloseTo(bt.folds.reduce((a, f) => a + f.rmse, 0) / 3, 10)
    expect(bt.sd.rmse).toBeGreaterThanOrEqual(0)
  })
})

describe('training options', () => {
  it('clips gradients: a huge learning rate with clipNorm stays finite', async () => {
    const r = await trainForecast(
      tf,
      config({ training: { epochs: 2, learningRate: 0.5, optimizer: 'sgd', momentum: 0.9, clipNorm: 1, seed: 1 } }),
      sine
    )
    expect(r.epochs.every((e) => Number.isFinite(e.loss))).toBe(true)
  })

  it('steps the learning rate down on schedule and records it per epoch', async () => {
    const r = await trainForecast(
      tf,
      config({ training: { epochs: 4, learningRate: 0.01, lrSchedule: { type: 'step', every: 2, factor: 0.5 }, seed: 1 } }),
      sine
    )
    expect(r.epochs.map((e) => e.learningRate)).toEqual([0.01, 0.01, 0.005, 0.005])
  })

  it('saves the final and best checkpoints in the TF.js layers format, loadable again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnn-lab-ckpt-'))
    try {
      const saved: Record<string, number> = {}
      const cfg = config({ training: { epochs: 3, seed: 2 } })
      const r = await trainForecast(tf, cfg, sine, {
        onCheckpoint: async (kind, model, epoch) => {
          await saveModelToDir(tf, model, join(dir, kind))
          saved[kind] = epoch
        }
      })
      expect(saved.final).toBe(3)
      expect(saved.best).toBe(r.bestEpoch)
      const json = JSON.parse(readFileSync(join(dir, 'best', 'model.json'), 'utf8'))
      expect(json.format).toBe('layers-model')
      const weights = readFileSync(join(dir, 'best', 'weights.bin'))
      const loaded = await tf.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: json.modelTopology,
          weightSpecs: json.weightsManifest[0].weights,
          weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength)
        })
      )
      expect(loaded.countParams()).toBe(4 * 6 * (1 + 6 + 1) + 7 * 3) // LSTM(6) + Dense(3)
      loaded.dispose()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('log-return models', () => {
  it('score forecasts in price levels, beside persistence on the same windows', async () => {
    const prices = { value: Float64Array.from({ length: 300 }, (_, i) => 50 + 10 * Math.sin(i / 8) + i * 0.1) }
    const r = await trainForecast(
      tf,
      config({ layout: 'many-to-one', horizon: 2, transform: 'logReturns', training: { epochs: 2, seed: 1 } }),
      prices
    )
    // Levels, not returns: the actuals are prices (around 50–90), and so are the forecasts.
    expect(Math.min(...r.predictions.actual)).toBeGreaterThan(30)
    expect(Math.min(...r.predictions.predicted)).toBeGreaterThan(30)
    expect(r.metrics.baselines.persistence.rmse).toBeGreaterThan(0)
    expect(r.predictions.index[0]).toBe(prices.value.length - r.metrics.testWindows - 1) // data index of the first target
  })
})

describe('Keras-named export', () => {
  it('a fused LSTM model saved with Keras class names loads in stock tfjs and gives the same outputs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnn-lab-keras-'))
    try {
      const cfg = config({ layout: 'many-to-many', horizon: 1, training: { epochs: 1, seed: 3 } })
      const model = buildForecastModel(tf, cfg)
      await saveModelToDir(tf, model, join(dir, 'm'))
      const json = JSON.parse(readFileSync(join(dir, 'm', 'model.json'), 'utf8'))
      expect(JSON.stringify(json.modelTopology)).toContain('FusedLSTM')
      const keras = toKerasTopology(json.modelTopology)
      const text = JSON.stringify(keras)
      expect(text).not.toMatch(/"class_name":"Fused|fused_implementation|input_gradient/)
      expect(text).toContain('"class_name":"LSTM"')
      const weights = readFileSync(join(dir, 'm', 'weights.bin'))
      const stock = await tf.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: keras,
          weightSpecs: json.weightsManifest[0].weights,
          weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength)
        })
      )
      const x = tf.randomUniform([2, 12, 1], 0, 1, 'float32', 5)
      const a = (model.predict(x) as tf.Tensor).dataSync()
      const b = (stock.predict(x) as tf.Tensor).dataSync()
      for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 4)
      tf.dispose([x])
      model.dispose()
      stock.dispose()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
