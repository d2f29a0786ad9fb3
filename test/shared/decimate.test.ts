// Chart decimation keeps peaks and both ends of a series (a dataset chart ending a day early misled).
import { describe, expect, it } from 'vitest'
import { decimateIndices } from '../../src-shared/decimate'

describe('decimateIndices', () => {
  it('keeps everything when the series is short', () => {
    expect(decimateIndices([3, 1, 2], 10)).toEqual([0, 1, 2])
  })
  it('always keeps the first and the last point, in ascending order, with each bucket’s min and max', () => {
    // A flat series with one peak: a flat bucket keeps only its first point, so the last point of the
    // series fell out (as the last day of nasdaq-MSFT did).
    const values: number[] = Array.from({ length: 2518 }, (_, i) => (i === 1234 ? 5 : 1))
    const kept = decimateIndices(values, 2000)
    expect(kept[0]).toBe(0)
    expect(kept.at(-1)).toBe(2517)
    expect(kept.length).toBeLessThanOrEqual(2002)
    expect([...kept].sort((a, b) => a - b)).toEqual(kept)
    expect(new Set(kept).size).toBe(kept.length)
    const peak = values.indexOf(Math.max(...values))
    expect(kept).toContain(peak)
  })
})
