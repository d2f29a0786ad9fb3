import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../src-main/engine/backends'
import { trainForecast } from '../../src-main/engine/train-forecast'
import { ForecastConfig, type ForecastConfigInput } from '../../src-shared/forecast-config'
import { mulberry32 } from '../../src-shared/random'

beforeAll(async () => {
  await selectBackend(tf, { allowNative: false, only: ['wasm'] })
})

const rand = mulberry32(4)
const noisy = Float64Array.from({ length: 600 }, (_, i) => 50 + 10 * Math.sin(i / 6) + 2 * (rand() - 0.5))
const config = (over: Partial<ForecastConfigInput> = {}) =>
  ForecastConfig.parse({
    window: 12,
    horizon: 2,
    features: ['v'],
    target: 'v',
    model: { cell: 'gru', layers: [{ units: 8 }] },
    training: { epochs: 4, batchSize: 32, learningRate: 0.02, seed: 3 },
    ...over
  })

describe('forecast intervals of a trained model', () => {
  it('are calibrated per step on the validation part and measured on the test part', async () => {
    const r = await trainForecast(tf, config(), { v: noisy })
    const iv = r.metrics.intervals!
    expect(iv.scale).toBe('additive')
    expect(iv.calibrationWindows).toBe(90 - 12 - 2 + 1)
    expect(iv.steps.map((s) => s.step)).toEqual([1, 2])
    const steps = r.predictions.steps
    expect(steps).toHaveLength(2)
    for (const [h, s] of steps.entries()) {
      expect(s.index).toEqual(r.predictions.index.map((i) => i + h))
      const q = iv.steps[h].q80!
      s.predicted.forEach((p, i) => {
        expect(s.lower80[i]).toBeCloseTo(p - q, 9)
        expect(s.upper95[i] - s.lower95[i]).toBeGreaterThanOrEqual(s.upper80[i] - s.lower80[i])
      })
      const inside = s.actual.filter((a, i) => a >= s.lower80[i] && a <= s.upper80[i]).length / s.actual.length
      expect(iv.steps[h].coverage80).toBeCloseTo(inside, 12)
    }
    const all = steps.flatMap((s) => s.actual.map((a, i) => a >= s.lower95[i] && a <= s.upper95[i]))
    expect(r.metrics.test.coverage95).toBeCloseTo(all.filter(Boolean).length / all.length, 12)
  }, 120_000)

  it('log-return models get intervals in price levels (multiplicative); no validation part, no intervals', async () => {
    const r = await trainForecast(tf, config({ transform: 'logReturns', horizon: 1 }), { v: noisy })
    expect(r.metrics.intervals!.scale).toBe('multiplicative')
    const s = r.predictions.steps[0]
    expect(s.lower80[0]).toBeLessThan(s.predicted[0])
    expect(s.upper80[0]).toBeGreaterThan(s.predicted[0])
    expect(s.upper80[0] / s.predicted[0]).toBeCloseTo(s.predicted[0] / s.lower80[0], 9)
    const none = await trainForecast(tf, config({ split: { train: 0.8, val: 0, test: 0.2 }, training: { epochs: 1 } }), { v: noisy })
    expect(none.metrics.intervals).toBeNull()
    expect(none.metrics.test.coverage80).toBeUndefined()
  }, 120_000)
})
