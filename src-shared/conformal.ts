/**
 * Split-conformal forecast intervals: the absolute errors of the model on the validation windows
 * (data it was not fitted on) give, per horizon step, the half-width that covers a new error with
 * probability at least 1 − α when errors are exchangeable. The finite-sample quantile is the
 * ⌈(n+1)(1−α)⌉-th smallest score; with too few scores for the level the width is infinite.
 *
 * Additive intervals (ŷ ± q) for models of levels; for log-return models the score is |ln(y / ŷ)| and
 * the interval [ŷ·e^−q, ŷ·e^q] is in price levels (it widens with the price, as returns do).
 */

export const NOMINAL_LEVELS = [0.8, 0.95] as const
export type IntervalScale = 'additive' | 'multiplicative'

/** The ⌈(n+1)(1−α)⌉-th smallest of the scores (Infinity when that rank exceeds n). */
export function conformalQuantile(scores: ArrayLike<number>, alpha: number): number {
  const n = scores.length
  const rank = Math.ceil((n + 1) * (1 - alpha))
  if (n === 0 || rank > n) return Infinity
  const sorted = Float64Array.from(scores).sort()
  return sorted[Math.max(1, rank) - 1]
}

export function conformityScore(actual: number, predicted: number, scale: IntervalScale): number {
  return scale === 'additive' ? Math.abs(actual - predicted) : Math.abs(Math.log(actual / predicted))
}

export function intervalAround(predicted: number, q: number, scale: IntervalScale): [number, number] {
  return scale === 'additive' ? [predicted - q, predicted + q] : [predicted * Math.exp(-q), predicted * Math.exp(q)]
}

export interface StepQuantiles {
  step: number
  q80: number
  q95: number
}

/**
 * Per-step half-widths from calibration forecasts laid out [windows × horizon] (actual and predicted
 * in original units).
 */
export function calibrateSteps(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  horizon: number,
  scale: IntervalScale
): StepQuantiles[] {
  const windows = Math.floor(actual.length / horizon)
  return Array.from({ length: horizon }, (_, h) => {
    const scores = new Float64Array(windows)
    for (let w = 0; w < windows; w++) scores[w] = conformityScore(actual[w * horizon + h], predicted[w * horizon + h], scale)
    return { step: h + 1, q80: conformalQuantile(scores, 0.2), q95: conformalQuantile(scores, 0.05) }
  })
}

/** Share of actual values inside [lower, upper] (null without values). */
export function coverage(actual: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>): number | null {
  if (actual.length === 0) return null
  let inside = 0
  for (let i = 0; i < actual.length; i++) if (actual[i] >= lower[i] && actual[i] <= upper[i]) inside++
  return inside / actual.length
}
