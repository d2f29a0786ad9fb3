import { describe, expect, it } from 'vitest'
import { calibrateSteps, conformalQuantile, coverage, intervalAround } from '../../src-shared/conformal'
import { mulberry32 } from '../../src-shared/random'
import { Predictions } from '../../src-shared/domain'
import { evaluateForecast } from '../../src-shared/evaluate'
import { addIntervals } from '../../src-shared/forecast-intervals'

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
}

describe('split-conformal quantile', () => {
  it('is the ceil((n+1)(1-α))-th smallest score, infinite when n is too small for the level', () => {
    const s = [5, 1, 4, 2, 3, 9, 8, 7, 6, 10] // n = 10
    expect(conformalQuantile(s, 0.2)).toBe(9) // ceil(11 · 0.8) = 9
    expect(conformalQuantile(s, 0.5)).toBe(6) // ceil(5.5) = 6
    expect(conformalQuantile(s, 0.05)).toBe(Infinity) // ceil(10.45) = 11 > 10
    expect(conformalQuantile([], 0.2)).toBe(Infinity)
  })
})

describe('coverage on a synthetic series with known noise', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: measured test coverage within ±3 points of 80 % and 95 %, per step`, () => {
      // y_t = trend + seasonality + N(0, σ_h²), forecast = the noise-free part; the noise grows with the step.
      const rand = mulberry32(seed)
      const horizon = 2
      const series = (windows: number, offset: number) => {
        const actual: number[] = []
        const predicted: number[] = []
        for (let w = 0; w < windows; w++) {
          for (let h = 0; h < horizon; h++) {
            const t = offset + w + h
            const mean = 100 + 0.05 * t + 3 * Math.sin(t / 7)
            predicted.push(mean)
            actual.push(mean + (1 + h) * 0.7 * gaussian(rand))
          }
        }
        return { actual, predicted }
      }
      const cal = series(2000, 0)
      const test = series(5000, 2000)
      const steps = calibrateSteps(cal.actual, cal.predicted, horizon, 'additive')
      for (const { step, q80, q95 } of steps) {
        const idx = test.actual.map((_, i) => i).filter((i) => i % horizon === step - 1)
        const a = idx.map((i) => test.actual[i])
        const b80 = idx.map((i) => intervalAround(test.predicted[i], q80, 'additive'))
        const b95 = idx.map((i) => intervalAround(test.predicted[i], q95, 'additive'))
        const c80 = coverage(
          a,
          b80.map((b) => b[0]),
          b80.map((b) => b[1])
        )!
        const c95 = coverage(
          a,
          b95.map((b) => b[0]),
          b95.map((b) => b[1])
        )!
        expect(Math.abs(c80 - 0.8), `step ${step}: 80 % measured ${c80}`).toBeLessThanOrEqual(0.03)
        expect(Math.abs(c95 - 0.95), `step ${step}: 95 % measured ${c95}`).toBeLessThanOrEqual(0.03)
        // The noise doubles at step 2: so does the half-width (within sampling error).
        if (step === 1) expect(q80).toBeCloseTo(0.7 * 1.2816, 1)
      }
    })
  }

  it('multiplicative intervals for log-return models are in levels and cover alike', () => {
    const rand = mulberry32(9)
    const make = (n: number) => {
      const predicted = Array.from({ length: n }, (_, i) => 50 + i * 0.1)
      const actual = predicted.map((p) => p * Math.exp(0.02 * gaussian(rand)))
      return { actual, predicted }
    }
    const cal = make(3000)
    const test = make(5000)
    const [{ q95 }] = calibrateSteps(cal.actual, cal.predicted, 1, 'multiplicative')
    const bands = test.predicted.map((p) => intervalAround(p, q95, 'multiplicative'))
    expect(bands[0][0]).toBeLessThan(50)
    expect(bands[0][1]).toBeGreaterThan(50)
    const c = coverage(
      test.actual,
      bands.map((b) => b[0]),
      bands.map((b) => b[1])
    )!
    expect(Math.abs(c - 0.95)).toBeLessThanOrEqual(0.03)
  })
})

describe('too few validation windows for a level', () => {
  it('leaves that band empty and its coverage null (an infinite band would be stored as null numbers)', () => {
    const n = 30
    const target = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 3))
    const targetStart = Int32Array.from({ length: 10 }, (_, w) => 20 + w)
    const predicted = Float64Array.from(targetStart, (s) => target[s] + 0.01)
    const evaluation = evaluateForecast({
      target,
      targetStart,
      horizon: 1,
      predicted,
      trainEnd: 15,
      seasonalPeriod: null,
      movingAverageWindow: 3
    })
    // 10 calibration windows: the 80 % quantile is the 9th smallest score; the 95 % one would be the 11th (> 10).
    const calibration = {
      actual: Float64Array.from({ length: 10 }, (_, i) => i),
      predicted: Float64Array.from({ length: 10 }, (_, i) => i + 0.1 * i)
    }
    addIntervals(evaluation, calibration, 1, 'additive')
    const step = evaluation.predictions.steps[0]
    expect(step.lower80).toHaveLength(10)
    expect(step.lower95).toEqual([])
    expect(step.upper95).toEqual([])
    expect(evaluation.metrics.test.coverage95).toBeNull()
    expect(evaluation.metrics.test.coverage80).toEqual(expect.any(Number))
    expect(evaluation.metrics.intervals?.steps[0]).toMatchObject({ q95: null, coverage95: null })
    // The stored record round-trips through JSON and the shared schema.
    expect(() => Predictions.parse(JSON.parse(JSON.stringify(evaluation.predictions)))).not.toThrow()
  })
})
