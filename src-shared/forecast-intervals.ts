/**
 * Puts split-conformal intervals on an evaluated forecast: half-widths per step from the calibration
 * (validation) forecasts, bands around every test forecast, and the coverage measured on the test
 * windows beside the nominal 80 % and 95 %.
 */
import { calibrateSteps, coverage, intervalAround, type IntervalScale } from './conformal'
import type { ForecastIntervals, Predictions, RunMetrics } from './domain'

export interface Calibration {
  /** [windows × horizon], original units. */
  actual: ArrayLike<number>
  predicted: ArrayLike<number>
}

const finiteOrNull = (q: number) => (Number.isFinite(q) ? q : null)

/**
 * One level's band around a step's forecasts and its measured coverage. Too few calibration windows for
 * the level (its quantile is unbounded: fewer than 1/α − 1 of them) leave the band empty and the coverage
 * null, rather than an infinite band that would read as a number.
 */
function setBand(s: Predictions['steps'][number], level: 80 | 95, q: number, scale: IntervalScale): number | null {
  const bands = Number.isFinite(q) ? s.predicted.map((p) => intervalAround(p, q, scale)) : []
  s[`lower${level}`] = bands.map((b) => b[0])
  s[`upper${level}`] = bands.map((b) => b[1])
  return bands.length ? coverage(s.actual, s[`lower${level}`], s[`upper${level}`]) : null
}

export function addIntervals(
  evaluation: { metrics: RunMetrics; predictions: Predictions },
  calibration: Calibration,
  horizon: number,
  scale: IntervalScale
): void {
  const { metrics, predictions } = evaluation
  const quantiles = calibrateSteps(calibration.actual, calibration.predicted, horizon, scale)
  const inside = { 80: 0, 95: 0 }
  const counted = { 80: 0, 95: 0 }
  const steps: ForecastIntervals['steps'] = predictions.steps.map((s, h) => {
    const { q80, q95 } = quantiles[h]
    const c80 = setBand(s, 80, q80, scale)
    const c95 = setBand(s, 95, q95, scale)
    for (const [level, c] of [
      [80, c80],
      [95, c95]
    ] as const) {
      if (c === null) continue
      inside[level] += c * s.actual.length
      counted[level] += s.actual.length
    }
    return { step: h + 1, q80: finiteOrNull(q80), q95: finiteOrNull(q95), coverage80: c80, coverage95: c95 }
  })
  metrics.test.coverage80 = counted[80] ? inside[80] / counted[80] : null
  metrics.test.coverage95 = counted[95] ? inside[95] / counted[95] : null
  metrics.intervals = { method: 'split-conformal', calibrationWindows: Math.floor(calibration.actual.length / horizon), scale, steps }
}
