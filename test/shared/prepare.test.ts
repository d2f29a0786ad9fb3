import { describe, expect, it } from 'vitest'
import { ApiError } from '../../src-shared/errors'
import { batchBuffer, gatherWindows, prepareForecast, unscale, type PreparedForecast, type WindowSet } from '../../src-shared/prepare'
import { ForecastConfig } from '../../src-shared/forecast-config'
import { generateSine } from '../../src-shared/sine'

const config = (over: Record<string, unknown> = {}) =>
  ForecastConfig.parse({
    window: 4,
    features: ['v'],
    target: 'v',
    model: { cell: 'simple_rnn', layers: [{ units: 2 }] },
    training: { epochs: 1 },
    split: { train: 0.6, val: 0.2, test: 0.2 },
    ...over
  })

/** Window w of a set, gathered as a batch of one. */
const windowAt = (p: PreparedForecast, set: WindowSet, w: number) => gatherWindows(p, set, [w], 0, 1, batchBuffer(p, 1))

describe('many-to-one windows', () => {
  const series = Float64Array.from({ length: 100 }, (_, i) => i)

  it('never straddles a split boundary (no leakage)', () => {
    const p = prepareForecast({ v: series }, config())
    const { trainEnd, valEnd } = p.bounds
    expect([trainEnd, valEnd]).toEqual([60, 80])
    const check = (set: typeof p.train, lo: number, hi: number) => {
      for (let w = 0; w < set.count; w++) {
        const start = set.targetStart[w]
        expect(start - 4).toBeGreaterThanOrEqual(lo) // first input
        expect(start).toBeLessThan(hi) // target
      }
    }
    check(p.train, 0, 60)
    check(p.val, 60, 80)
    check(p.test, 80, 100)
    expect([p.train.count, p.val.count, p.test.count]).toEqual([56, 16, 16])
  })

  it('fits min-max scaling on the training part only', () => {
    const p = prepareForecast({ v: series }, config())
    expect(p.targetScaler).toMatchObject({ offset: 0, scale: 59 })
    // test targets lie above the training range, unscaled back exactly
    const lastTest = windowAt(p, p.test, p.test.count - 1).y[0]
    expect(lastTest).toBeGreaterThan(1)
    expect(unscale(p.targetScaler, lastTest)).toBeCloseTo(99, 4)
  })

  it('inputs precede their target in time', () => {
    const p = prepareForecast({ v: series }, config({ scaling: 'none' }))
    const first = windowAt(p, p.train, 0)
    expect(Array.from(first.x)).toEqual([0, 1, 2, 3])
    expect(Array.from(first.y)).toEqual([4])
  })

  it('supports several future steps (horizon)', () => {
    const p = prepareForecast({ v: series }, config({ scaling: 'none', horizon: 3 }))
    expect(Array.from(windowAt(p, p.train, 0).y)).toEqual([4, 5, 6])
    expect(Array.from(windowAt(p, p.train, 10).y)).toEqual([14, 15, 16])
  })

  it('refuses a window longer than a split, naming config.window', () => {
    const short = generateSine({ length: 30, frequency: 0.1, amplitude: 1, noise: 0, seed: 1 })
    let err: unknown
    try {
      prepareForecast({ v: short }, config({ window: 10 }))
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).code).toBe('VALIDATION')
    expect((err as ApiError).message).toMatch(/^config\.window: the val part has 6 rows/)
  })
})

describe('sine generator', () => {
  it('is reproducible from its seed and has the asked amplitude', () => {
    const a = generateSine({ length: 200, frequency: 0.02, amplitude: 2, noise: 0.1, seed: 7 })
    const b = generateSine({ length: 200, frequency: 0.02, amplitude: 2, noise: 0.1, seed: 7 })
    const c = generateSine({ length: 200, frequency: 0.02, amplitude: 2, noise: 0.1, seed: 8 })
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
    const clean = generateSine({ length: 200, frequency: 0.025, amplitude: 2, noise: 0, seed: 7 })
    expect(Math.max(...clean)).toBeCloseTo(2, 10) // a peak at t = 10, a quarter period
    expect(clean[20]).toBeCloseTo(0, 10) // half a period at f = 0.025
  })
})

describe('log returns', () => {
  it('windows hold ln(x_t / x_{t-1}) and refuse non-positive values, naming the field', () => {
    const prices = Float64Array.from({ length: 60 }, (_, i) => 100 * Math.exp(0.01 * i))
    const p = prepareForecast({ v: prices }, config({ scaling: 'none', transform: 'logReturns' }))
    expect(p.transform).toBe('logReturns')
    expect(windowAt(p, p.train, 0).x[0]).toBeCloseTo(0.01, 6) // float32 windows
    expect(p.bounds.rows).toBe(59)
    const bad = Float64Array.from(prices)
    bad[10] = 0
    expect(() => prepareForecast({ v: bad }, config({ transform: 'logReturns' }))).toThrow(
      /^config\.features\[0\]: log returns need positive values/
    )
  })
})

describe('windows gathered per batch', () => {
  it('a batch holds windows in the asked order, several features interleaved, into one reused buffer', () => {
    const a = Float64Array.from({ length: 50 }, (_, i) => i)
    const b = Float64Array.from({ length: 50 }, (_, i) => 100 + i)
    const p = prepareForecast({ a, b }, config({ features: ['a', 'b'], target: 'a', scaling: 'none', window: 2, horizon: 2 }))
    const buf = batchBuffer(p, 3)
    const first = gatherWindows(p, p.train, [5, 0, 7], 0, 3, buf)
    expect(first.n).toBe(3)
    expect(Array.from(first.x)).toEqual([5, 105, 6, 106, 0, 100, 1, 101, 7, 107, 8, 108])
    expect(Array.from(first.y)).toEqual([7, 8, 2, 3, 9, 10])
    const second = gatherWindows(p, p.train, [5, 0, 7], 2, 3, buf)
    expect(second.x.buffer).toBe(first.x.buffer)
    expect(Array.from(second.x)).toEqual([7, 107, 8, 108])
  })

  it('many-to-many targets are the inputs shifted by one; the series is scaled once, as float32', () => {
    const p = prepareForecast({ v: Float64Array.from({ length: 100 }, (_, i) => i) }, config({ layout: 'many-to-many' }))
    const w = windowAt(p, p.val, 3)
    expect(p.val.starts[3]).toBe(63)
    expect(Array.from(w.x)).toEqual([63, 64, 65, 66].map((v) => Math.fround(v / 59)))
    expect(Array.from(w.y)).toEqual([64, 65, 66, 67].map((v) => Math.fround(v / 59)))
    expect(p.series).toBeInstanceOf(Float32Array)
    expect(p.series.length).toBe(100)
  })
})
