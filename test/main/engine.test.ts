import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { selectBackend, type ModuleLoader } from '../../src-main/engine/backends'
import { CancelledError, trainForecast } from '../../src-main/engine/train-forecast'
import { ForecastConfig } from '../../src-shared/forecast-config'
import { generateSine } from '../../src-shared/sine'

const sine = { value: generateSine({ length: 300, frequency: 0.05, amplitude: 1, noise: 0, seed: 3 }) }
const config = (over: Record<string, unknown> = {}) =>
  ForecastConfig.parse({
    window: 10,
    features: ['value'],
    target: 'value',
    model: { cell: 'simple_rnn', layers: [{ units: 8 }] },
    training: { epochs: 3, batchSize: 16, learningRate: 0.01, seed: 5 },
    ...over
  })

describe('backend selection (native packages simulated missing or broken: no CUDA or libtensorflow here)', () => {
  it('falls back past missing native packages and reports every backend with a reason', async () => {
    const report = await selectBackend(tf, { allowNative: true, only: undefined })
    expect(report.attempts.map((a) => a.backend)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'])
    for (const a of report.attempts) expect(a.reason.length).toBeGreaterThan(5)
    expect(report.attempts[0]).toMatchObject({ status: 'skipped', reason: '@tensorflow/tfjs-node-gpu is not installed' })
    expect(report.selected).toBe('wasm')
    expect(report.attempts[3]).toMatchObject({ backend: 'cpu', status: 'skipped' })
  })

  it('reports a native package that throws on load as failed and goes on', async () => {
    const loader: ModuleLoader = async (name) => {
      if (name.includes('tfjs-node')) throw new Error('libcudart.so.11.0: cannot open shared object file')
      return import(name)
    }
    const report = await selectBackend(tf, { allowNative: true, loader })
    expect(report.attempts[0]).toMatchObject({ backend: 'tensorflow-gpu', status: 'failed' })
    expect(report.attempts[0].reason).toMatch(/failed to load: libcudart/)
    expect(report.selected).toBe('wasm')
  })

  it('skips native TensorFlow outside the first worker (tfjs issue 8388)', async () => {
    const report = await selectBackend(tf, { allowNative: false })
    expect(report.attempts[0].reason).toMatch(/first worker only/)
    expect(report.attempts[1].status).toBe('skipped')
  })
})

describe.each(['cpu', 'wasm'] as const)('training on the %s backend', (backend) => {
  it('is deterministic: same data, config and seed give identical per-epoch losses', async () => {
    await selectBackend(tf, { allowNative: false, only: [backend] })
    expect(tf.getBackend()).toBe(backend)
    const a = await trainForecast(tf, config(), sine)
    const b = await trainForecast(tf, config(), sine)
    expect(a.epochs.map((e) => e.loss)).toEqual(b.epochs.map((e) => e.loss))
    expect(a.epochs.map((e) => e.valLoss)).toEqual(b.epochs.map((e) => e.valLoss))
    const c = await trainForecast(tf, config({ training: { epochs: 3, batchSize: 16, learningRate: 0.01, seed: 6 } }), sine)
    expect(c.epochs.map((e) => e.loss)).not.toEqual(a.epochs.map((e) => e.loss))
  })

  it('leaks no tensors: the count is equal at the end of every epoch and back to the start after', async () => {
    await selectBackend(tf, { allowNative: false, only: [backend] })
    const before = tf.memory().numTensors
    const perEpoch: number[] = []
    await trainForecast(tf, config({ training: { epochs: 4, batchSize: 16, seed: 1 } }), sine, {
      onEpoch: () => perEpoch.push(tf.memory().numTensors)
    })
    expect(new Set(perEpoch).size).toBe(1)
    expect(tf.memory().numTensors).toBe(before)
  })
})

describe('training behaviour', () => {
  it('learns the sine wave and beats persistence, in original units', async () => {
    await selectBackend(tf, { allowNative: false, only: ['wasm'] })
    const long = { value: generateSine({ length: 600, frequency: 0.02, amplitude: 3, noise: 0, seed: 1 }) }
    const r = await trainForecast(
      tf,
      config({
        window: 20,
        model: { cell: 'simple_rnn', layers: [{ units: 16 }] },
        training: { epochs: 15, batchSize: 32, learningRate: 0.01, seed: 42 }
      }),
      long
    )
    expect(r.epochs).toHaveLength(15)
    expect(r.epochs.at(-1)!.loss).toBeLessThan(r.epochs[0].loss)
    expect(r.metrics.beatsPersistence).toBe(true)
    expect(r.metrics.test.rmse).toBeLessThan(r.metrics.baselines.persistence.rmse)
    // amplitude 3: predictions come back in original units, not the scaled 0..1 range
    expect(Math.max(...r.predictions.actual)).toBeGreaterThan(2.5)
    expect(Math.max(...r.predictions.predicted)).toBeGreaterThan(2)
    expect(r.predictions.actual).toHaveLength(r.metrics.testWindows)
  })

  it('cancels within one batch', async () => {
    await selectBackend(tf, { allowNative: false, only: ['cpu'] })
    let batches = 0
    const before = tf.memory().numTensors
    const err = await trainForecast(tf, config({ training: { epochs: 50, batchSize: 8, seed: 1 } }), sine, {
      progressIntervalMs: 0,
      onProgress: () => batches++,
      isCancelled: () => batches >= 3
    }).catch((e) => e)
    expect(err).toBeInstanceOf(CancelledError)
    expect(batches).toBe(3)
    expect(tf.memory().numTensors).toBe(before)
  })

  it('stops early on validation loss and restores the best weights', async () => {
    await selectBackend(tf, { allowNative: false, only: ['cpu'] })
    const r = await trainForecast(
      tf,
      config({ training: { epochs: 40, batchSize: 16, learningRate: 0.1, seed: 2, optimizer: 'sgd', earlyStopping: { patience: 2 } } }),
      sine
    )
    if (r.stoppedEarly) {
      expect(r.epochs.length).toBeLessThan(40)
      const best = Math.min(...r.epochs.map((e) => e.valLoss!))
      const bestEpoch = r.epochs.findIndex((e) => e.valLoss === best) + 1
      expect(r.epochs.length - bestEpoch).toBe(2)
    } else {
      expect(r.epochs).toHaveLength(40)
    }
  })
})
