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

export function addIntervals(
  evaluation: { metrics: RunMetrics; predictions: Predictions },
  calibration: Calibration,
  horizon: number,
  scale: IntervalScale
): void {
  const { metrics, predictions } = evaluation
  const quantiles = calibrateSteps(calibration.actual, calibration.predicted, horizon, scale)
  let inside80 = 0
  let inside95 = 0
  let total = 0
  const steps: ForecastIntervals['steps'] = predictions.steps.map((s, h) => {
    const { q80, q95 } = quantiles[h]
    const b80 = s.predicted.map((p) => intervalAround(p, q80, scale))
    const b95 = s.predicted.map((p) => intervalAround(p, q95, scale))
    s.lower80 = b80.map((b) => b[0])
    s.upper80 = b80.map((b) => b[1])
    s.lower95 = b95.map((b) => b[0])
    s.upper95 = b95.map((b) => b[1])
    const c80 = coverage(s.actual, s.lower80, s.upper80)
    const c95 = coverage(s.actual, s.lower95, s.upper95)
    inside80 += (c80 ?? 0) * s.actual.length
    inside95 += (c95 ?? 0) * s.actual.length
    total += s.actual.length
    return { step: h + 1, q80: finiteOrNull(q80), q95: finiteOrNull(q95), coverage80: c80, coverage95: c95 }
  })
  metrics.test.coverage80 = total ? inside80 / total : null
  metrics.test.coverage95 = total ? inside95 / total : null
  metrics.intervals = { method: 'split-conformal', calibrationWindows: Math.floor(calibration.actual.length / horizon), scale, steps }
}
