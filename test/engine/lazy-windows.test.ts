import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../src-main/engine/backends'
import { trainForecast } from '../../src-main/engine/train-forecast'
import { ForecastConfig, type ForecastConfigInput } from '../../src-shared/forecast-config'
import { trainMaterialised } from '../helpers/materialised-forecast'

// Positive, wavy, trending: usable as levels and as log returns.
const series = (n: number) => ({
  value: Float64Array.from({ length: n }, (_, i) => 50 + 10 * Math.sin(i / 7) + i * 0.05),
  other: Float64Array.from({ length: n }, (_, i) => 20 + 5 * Math.cos(i / 11) + (i % 5))
})

const config = (over: Partial<ForecastConfigInput>) =>
  ForecastConfig.parse({
    window: 8,
    features: ['value'],
    target: 'value',
    model: { cell: 'lstm', layers: [{ units: 4 }] },
    training: { epochs: 2, batchSize: 16, learningRate: 0.01, seed: 7 },
    ...over
  })

/**
 * What the pre-#18 reference computes: everything but the later additions (#14: conformal intervals and
 * their coverage, the checkpoint the metrics name, the range check), which it never had.
 */
const LATER = /^(lower|upper)(80|95)$|^coverage(80|95)$|^(intervals|evaluatedWith|extrapolation)$/
function asReference(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asReference)
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !LATER.test(k))
      .map(([k, v]) => [k, asReference(v)])
  )
}

beforeAll(async () => {
  await selectBackend(tf, { allowNative: false, only: ['wasm'] })
})

/** Windows gathered per batch train, validate and evaluate exactly as the materialised windows did. */
describe('lazy windows give the same per-epoch losses, metrics and predictions as materialised ones', () => {
  const cases: [string, Partial<ForecastConfigInput>][] = []
  for (const layout of ['many-to-one', 'many-to-many', 'one-to-many', 'encoder-decoder'] as const) {
    for (const transform of ['none', 'logReturns'] as const) {
      cases.push([`${layout}, ${transform}`, { layout, transform, horizon: layout === 'many-to-many' ? 1 : 3 }])
    }
  }
  cases.push([
    'many-to-one, horizon 1, two features, zscore, GRU',
    { features: ['value', 'other'], scaling: 'zscore', model: { cell: 'gru', layers: [{ units: 3 }] } }
  ])
  cases.push([
    'encoder-decoder, two features, log returns, no validation part',
    {
      layout: 'encoder-decoder',
      horizon: 2,
      transform: 'logReturns',
      features: ['other', 'value'],
      split: { train: 0.8, val: 0, test: 0.2 }
    }
  ])

  for (const [name, over] of cases) {
    it(name, async () => {
      const cfg = config(over)
      const data = series(240)
      const before = tf.memory().numTensors
      const lazy = await trainForecast(tf, cfg, data)
      const reference = await trainMaterialised(tf, cfg, data)
      expect(lazy.epochs.map((e) => [e.loss, e.valLoss])).toEqual(reference.epochs.map((e) => [e.loss, e.valLoss]))
      expect(asReference(lazy.predictions)).toEqual(asReference(reference.predictions))
      expect(asReference(lazy.metrics)).toEqual(asReference(reference.metrics))
      expect(tf.memory().numTensors).toBe(before)
    })
  }

  it('more validation and test windows than one evaluation batch (512), a last batch cut short', async () => {
    const cfg = config({ model: { cell: 'simple_rnn', layers: [{ units: 2 }] }, training: { epochs: 1, batchSize: 100, seed: 3 } })
    const data = series(4000)
    const lazy = await trainForecast(tf, cfg, data)
    const reference = await trainMaterialised(tf, cfg, data)
    expect(lazy.metrics.testWindows).toBeGreaterThan(512)
    expect(lazy.epochs.map((e) => [e.loss, e.valLoss])).toEqual(reference.epochs.map((e) => [e.loss, e.valLoss]))
    expect(asReference(lazy.predictions)).toEqual(asReference(reference.predictions))
    expect(asReference(lazy.metrics)).toEqual(asReference(reference.metrics))
  })
})
