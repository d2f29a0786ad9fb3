import { describe, expect, it } from 'vitest'
import { errorMetrics, mae, mape, mase, r2, rmse, smape } from '../../src-shared/metrics'

describe('forecast metrics against hand-computed values', () => {
  const a = [1, 2, 3, 4]
  const p = [1, 3, 2, 4]
  it('RMSE and MAE', () => {
    expect(rmse(a, p)).toBeCloseTo(Math.sqrt(2 / 4), 12)
    expect(mae(a, p)).toBeCloseTo(0.5, 12)
  })
  it('MAPE in percent, null when an actual is zero', () => {
    expect(mape(a, p)).toBeCloseTo((100 * (0 + 0.5 + 1 / 3 + 0)) / 4, 10)
    expect(mape([0, 1], [1, 1])).toBeNull()
  })
  it('sMAPE in percent', () => {
    expect(smape([2], [1])).toBeCloseTo((100 * (2 * 1)) / 3, 10)
    expect(smape([0], [0])).toBe(0)
  })
  it('R² is 1 for a perfect forecast and null for a constant series', () => {
    expect(r2(a, a)).toBe(1)
    expect(r2([5, 5], [4, 6])).toBeNull()
    expect(r2(a, p)).toBeCloseTo(1 - 2 / 5, 12)
  })
  it('MASE scales by the naive in-sample MAE', () => {
    // training diffs |2-1|,|4-2| → scale 1.5; MAE 0.5 → MASE 1/3
    expect(mase(a, p, [1, 2, 4])).toBeCloseTo(0.5 / 1.5, 12)
    expect(mase(a, p, [3, 3, 3])).toBeNull()
  })
  it('refuses mismatched or empty inputs', () => {
    expect(() => rmse([1], [1, 2])).toThrow(/length mismatch/)
    expect(() => errorMetrics([], [])).toThrow(/no values/)
  })
})
