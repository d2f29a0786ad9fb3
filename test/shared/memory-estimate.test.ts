import { describe, expect, it } from 'vitest'
import { ApiError } from '../../src-shared/errors'
import { forecastMemory, formatBytes, refuseIfTooLarge } from '../../src-shared/memory-estimate'
import { summarizeModel } from '../../src-shared/model-summary'
import { ForecastConfig, type ForecastConfigInput } from '../../src-shared/forecast-config'

const config = (over: Partial<ForecastConfigInput> = {}) =>
  ForecastConfig.parse({
    window: 60,
    features: ['a', 'b', 'c', 'd', 'e'],
    target: 'a',
    model: { cell: 'lstm', layers: [{ units: 32 }] },
    training: { epochs: 1 },
    ...over
  })
const estimate = (c: ForecastConfig, rows: number) => forecastMemory(c, rows, summarizeModel(c).totalParams)

describe('forecast memory estimate', () => {
  it('grows with the rows, not with rows × window: a longer window costs batch memory only', () => {
    const small = estimate(config(), 100_000)
    const large = estimate(config(), 1_000_000)
    const longWindow = estimate(config({ window: 120 }), 1_000_000)
    expect(large.parts.series).toBeCloseTo(small.parts.series * 10, -3)
    expect(longWindow.parts.series).toBe(large.parts.series)
    // A materialised window set alone would be rows × window × features × 4 bytes = 2.2 GB here.
    expect(longWindow.bytes).toBeLessThan(600 * 2 ** 20)
  })

  it('activations grow with batch, units and steps; more layers and bidirectional add passes', () => {
    const base = estimate(config(), 10_000).parts.activations
    expect(estimate(config({ training: { epochs: 1, batchSize: 2048 } }), 10_000).parts.activations).toBeGreaterThan(base)
    expect(estimate(config({ model: { cell: 'lstm', layers: [{ units: 256 }] } }), 10_000).parts.activations).toBeGreaterThan(base)
    expect(estimate(config({ model: { cell: 'lstm', layers: [{ units: 32 }, { units: 32 }] } }), 10_000).parts.activations).toBeGreaterThan(
      base
    )
    expect(estimate(config({ model: { cell: 'lstm', layers: [{ units: 32 }], bidirectional: true } }), 10_000).parts.activations).toBe(
      2 * base
    )
  })

  it('the parts add up to the total', () => {
    const e = estimate(config({ layout: 'encoder-decoder', horizon: 5, transform: 'logReturns' }), 50_000)
    expect(Object.values(e.parts).reduce((a, b) => a + b, 0)).toBe(e.bytes)
  })

  it('a run that does not fit is refused with both figures', () => {
    const e = estimate(config(), 1_000_000)
    expect(() => refuseIfTooLarge(e, e.bytes)).not.toThrow()
    let err: unknown
    try {
      refuseIfTooLarge({ ...e, bytes: 3.2 * 2 ** 30 }, 1.1 * 2 ** 30)
    } catch (x) {
      err = x
    }
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).message).toMatch(/^config: this run needs ~3\.2 GB of memory, 1\.1 GB free/)
  })

  it('formats bytes with binary units', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(640 * 2 ** 20), formatBytes(3.24 * 2 ** 30)]).toEqual([
      '512 bytes',
      '1.5 KB',
      '640 MB',
      '3.2 GB'
    ])
  })
})
