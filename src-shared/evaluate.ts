/**
 * Honest evaluation of a forecast on the test windows, in original units: the model's errors beside
 * those of naive baselines computed on exactly the same windows (persistence, seasonal naive, drift,
 * moving average), per-horizon errors, directional accuracy and MASE.
 */
import type { BaselineName, ErrorMetrics, Predictions, RunMetrics } from './domain'
import { errorMetrics, mae } from './metrics'
import { detectSeasonalPeriod } from './seasonality'

export interface EvaluationInput {
  /** The raw target series. */
  target: ArrayLike<number>
  /** Series index of the first forecast step of each test window. */
  targetStart: ArrayLike<number>
  horizon: number
  /** [windows × horizon] model forecasts in original units. */
  predicted: ArrayLike<number>
  trainEnd: number
  /** Seasonal period; null detects it from the training part. */
  seasonalPeriod: number | null
  movingAverageWindow: number
}

function naiveScale(target: ArrayLike<number>, trainEnd: number): number | null {
  if (trainEnd < 2) return null
  let s = 0
  for (let i = 1; i < trainEnd; i++) s += Math.abs(target[i] - target[i - 1])
  const scale = s / (trainEnd - 1)
  return scale > 0 ? scale : null
}

/** Why a directional accuracy is null (the UI shows "n/a" with it). */
export const NO_MOVE_REASON = 'predicts no move: it repeats the last value, so it has no direction to score'

/**
 * Fraction of forecasts that move in the same direction from the last known value as the actual.
 * Null when the actual never moves, or when the forecast never moves (persistence): scoring "no move"
 * as a wrong direction would show 0 %, a number about nothing.
 */
export function directionalAccuracy(actual: number[], predicted: number[], last: number[]): number | null {
  let n = 0
  let hits = 0
  let moves = 0
  for (let i = 0; i < actual.length; i++) {
    if (predicted[i] !== last[i]) moves++
    const a = Math.sign(actual[i] - last[i])
    if (a === 0) continue
    n++
    if (Math.sign(predicted[i] - last[i]) === a) hits++
  }
  return n === 0 || moves === 0 ? null : hits / n
}

export function baselineForecast(
  name: BaselineName,
  target: ArrayLike<number>,
  start: number,
  h: number,
  period: number | null,
  maWindow: number
): number | null {
  const last = target[start - 1]
  switch (name) {
    case 'persistence':
      return last
    case 'seasonalNaive': {
      if (!period) return null
      const idx = start + h - period * (Math.floor(h / period) + 1)
      return idx >= 0 ? target[idx] : null
    }
    case 'drift': {
      if (start < 2) return last
      const slope = (last - target[0]) / (start - 1)
      return last + (h + 1) * slope
    }
    case 'movingAverage': {
      const k = Math.max(1, Math.min(maWindow, start))
      let s = 0
      for (let i = start - k; i < start; i++) s += target[i]
      return s / k
    }
  }
}

const BASELINES: BaselineName[] = ['persistence', 'seasonalNaive', 'drift', 'movingAverage']

export function evaluateForecast(input: EvaluationInput): { metrics: RunMetrics; predictions: Predictions } {
  const { target, targetStart, horizon, predicted, trainEnd } = input
  const period = input.seasonalPeriod ?? detectSeasonalPeriod(Array.prototype.slice.call(target, 0, trainEnd))
  const scale = naiveScale(target, trainEnd)
  const windows = targetStart.length
  const actual: number[] = []
  const pred: number[] = []
  const last: number[] = []
  const base: Record<BaselineName, number[]> = { persistence: [], seasonalNaive: [], drift: [], movingAverage: [] }
  let seasonalOk = period !== null
  for (let w = 0; w < windows; w++) {
    const s = targetStart[w]
    for (let h = 0; h < horizon; h++) {
      actual.push(target[s + h])
      pred.push(predicted[w * horizon + h])
      last.push(target[s - 1])
      for (const b of BASELINES) {
        const v = baselineForecast(b, target, s, h, period, input.movingAverageWindow)
        if (v === null) seasonalOk = b === 'seasonalNaive' ? false : seasonalOk
        base[b].push(v ?? NaN)
      }
    }
  }
  const score = (p: number[]): ErrorMetrics => ({
    ...errorMetrics(actual, p),
    mase: scale ? mae(actual, p) / scale : null,
    directionalAccuracy: directionalAccuracy(actual, p, last)
  })
  const model = score(pred)
  const baselines: RunMetrics['baselines'] = {
    persistence: score(base.persistence),
    drift: score(base.drift),
    movingAverage: score(base.movingAverage),
    seasonalNaive: seasonalOk ? score(base.seasonalNaive) : null
  }
  const perHorizon = Array.from({ length: horizon }, (_, h) => {
    const idx = actual.map((_, i) => i).filter((i) => i % horizon === h)
    const a = idx.map((i) => actual[i])
    return {
      step: h + 1,
      model: errorMetrics(
        a,
        idx.map((i) => pred[i])
      ).rmse,
      persistence: errorMetrics(
        a,
        idx.map((i) => base.persistence[i])
      ).rmse
    }
  })
  const everyH = <T>(arr: T[]) => arr.filter((_, i) => i % horizon === 0)
  const stepOf = <T>(arr: T[], h: number) => arr.filter((_, i) => i % horizon === h)
  const steps = Array.from({ length: horizon }, (_, h) => ({
    step: h + 1,
    index: Array.from(targetStart, (s) => s + h),
    time: [],
    actual: stepOf(actual, h),
    predicted: stepOf(pred, h),
    persistence: stepOf(base.persistence, h),
    lower80: [],
    upper80: [],
    lower95: [],
    upper95: []
  }))
  return {
    metrics: {
      test: model,
      baselines,
      mase: model.mase,
      beatsPersistence: model.rmse < baselines.persistence.rmse,
      testWindows: windows,
      seasonalPeriod: period,
      backtest: null,
      evaluatedWith: null,
      intervals: null,
      extrapolation: null,
      perHorizon
    },
    predictions: {
      index: Array.from(targetStart),
      actual: everyH(actual),
      predicted: everyH(pred),
      persistence: everyH(base.persistence),
      steps
    }
  }
}
