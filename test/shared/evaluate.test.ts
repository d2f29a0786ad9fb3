import { describe, expect, it } from 'vitest'
import { baselineForecast, directionalAccuracy, evaluateForecast } from '../../src-shared/evaluate'
import { detectSeasonalPeriod } from '../../src-shared/seasonality'

describe('naive baselines on the same test windows', () => {
  const target = [10, 12, 14, 16, 18, 20, 22, 24]
  it('persistence repeats the last value; drift extends the average slope; moving average', () => {
    // forecast origin: index 6 (value 22 is the first target), last known value 20
    expect(baselineForecast('persistence', target, 6, 0, null, 3)).toBe(20)
    expect(baselineForecast('persistence', target, 6, 1, null, 3)).toBe(20)
    expect(baselineForecast('drift', target, 6, 0, null, 3)).toBe(22) // slope (20-10)/5 = 2
    expect(baselineForecast('drift', target, 6, 1, null, 3)).toBe(24)
    expect(baselineForecast('movingAverage', target, 6, 0, null, 3)).toBe(18) // (16+18+20)/3
  })
  it('seasonal naive takes the value one period earlier, within known history', () => {
    const s = [1, 2, 3, 1, 2, 3, 1, 2, 3]
    expect(baselineForecast('seasonalNaive', s, 6, 0, 3, 3)).toBe(1)
    expect(baselineForecast('seasonalNaive', s, 6, 2, 3, 3)).toBe(3)
    expect(baselineForecast('seasonalNaive', s, 6, 3, 3, 3)).toBe(1) // beyond one period: two periods back
    expect(baselineForecast('seasonalNaive', s, 1, 0, 3, 3)).toBeNull()
  })
  it('directional accuracy counts moves in the same direction from the last value', () => {
    expect(directionalAccuracy([2, 0, 5], [3, 1, 4], [1, 1, 1])).toBeCloseTo(2 / 3, 12)
    expect(directionalAccuracy([1], [2], [1])).toBeNull()
  })
})

describe('evaluateForecast', () => {
  it('scores a perfect model at zero error and says it beats persistence', () => {
    const target = Array.from({ length: 40 }, (_, i) => Math.sin(i / 2) * 10 + i)
    const starts = [30, 31, 32, 33, 34, 35, 36, 37, 38]
    const horizon = 2
    const predicted = starts.flatMap((s) => [target[s], target[s + 1]])
    const { metrics, predictions } = evaluateForecast({
      target,
      targetStart: starts,
      horizon,
      predicted,
      trainEnd: 25,
      seasonalPeriod: null,
      movingAverageWindow: 5
    })
    expect(metrics.test.rmse).toBe(0)
    expect(metrics.test.mase).toBe(0)
    expect(metrics.test.directionalAccuracy).toBe(1)
    expect(metrics.beatsPersistence).toBe(true)
    expect(metrics.baselines.persistence.rmse).toBeGreaterThan(0)
    // Persistence predicts no move: its directional accuracy is "n/a", not 0 %.
    expect(metrics.baselines.persistence.directionalAccuracy).toBeNull()
    expect(metrics.baselines.drift).not.toBeNull()
    expect(metrics.perHorizon.map((p) => p.step)).toEqual([1, 2])
    expect(metrics.perHorizon[1].persistence).toBeGreaterThan(0)
    expect(predictions.actual).toHaveLength(starts.length)
  })
})

describe('seasonal period detection', () => {
  it('finds 12 in a monthly pattern with a trend, and nothing in noise-free linear data', () => {
    const monthly = Array.from({ length: 144 }, (_, i) => 100 + i + 20 * Math.sin((2 * Math.PI * i) / 12))
    expect(detectSeasonalPeriod(monthly)).toBe(12)
    expect(detectSeasonalPeriod(Array.from({ length: 50 }, (_, i) => i))).toBeNull()
  })
})
