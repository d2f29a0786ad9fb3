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

/** Every (window, step) of the test part in window-major order: the actual value, the model's and the baselines' forecasts. */
interface ForecastTable {
  actual: number[]
  pred: number[]
  /** The last known value before each window (directional accuracy compares against it). */
  last: number[]
  base: Record<BaselineName, number[]>
  /** False when the seasonal-naive forecast is missing anywhere (no period, or not enough history). */
  seasonalOk: boolean
}

function forecastTable(input: EvaluationInput, period: number | null): ForecastTable {
  const { target, targetStart, horizon, predicted } = input
  const t: ForecastTable = {
    actual: [],
    pred: [],
    last: [],
    base: { persistence: [], seasonalNaive: [], drift: [], movingAverage: [] },
    seasonalOk: period !== null
  }
  for (let w = 0; w < targetStart.length; w++) {
    const s = targetStart[w]
    for (let h = 0; h < horizon; h++) {
      t.actual.push(target[s + h])
      t.pred.push(predicted[w * horizon + h])
      t.last.push(target[s - 1])
      for (const b of BASELINES) {
        const v = baselineForecast(b, target, s, h, period, input.movingAverageWindow)
        if (v === null) t.seasonalOk = b === 'seasonalNaive' ? false : t.seasonalOk
        t.base[b].push(v ?? NaN)
      }
    }
  }
  return t
}

/** RMSE of the model and of persistence at each forecast step (1..horizon). */
function perHorizonRmse(t: ForecastTable, horizon: number): RunMetrics['perHorizon'] {
  return Array.from({ length: horizon }, (_, h) => {
    const idx = t.actual.map((_, i) => i).filter((i) => i % horizon === h)
    const a = idx.map((i) => t.actual[i])
    return {
      step: h + 1,
      model: errorMetrics(
        a,
        idx.map((i) => t.pred[i])
      ).rmse,
      persistence: errorMetrics(
        a,
        idx.map((i) => t.base.persistence[i])
      ).rmse
    }
  })
}

/** The predictions a run stores: the first step of every window, and each step's series apart. */
function forecastPredictions(t: ForecastTable, targetStart: ArrayLike<number>, horizon: number): Predictions {
  const everyH = <T>(arr: T[]) => arr.filter((_, i) => i % horizon === 0)
  const stepOf = <T>(arr: T[], h: number) => arr.filter((_, i) => i % horizon === h)
  const steps = Array.from({ length: horizon }, (_, h) => ({
    step: h + 1,
    index: Array.from(targetStart, (s) => s + h),
    time: [],
    actual: stepOf(t.actual, h),
    predicted: stepOf(t.pred, h),
    persistence: stepOf(t.base.persistence, h),
    lower80: [],
    upper80: [],
    lower95: [],
    upper95: []
  }))
  return {
    index: Array.from(targetStart),
    actual: everyH(t.actual),
    predicted: everyH(t.pred),
    persistence: everyH(t.base.persistence),
    steps
  }
}

export function evaluateForecast(input: EvaluationInput): { metrics: RunMetrics; predictions: Predictions } {
  const { target, targetStart, horizon, trainEnd } = input
  const period = input.seasonalPeriod ?? detectSeasonalPeriod(Array.prototype.slice.call(target, 0, trainEnd))
  const scale = naiveScale(target, trainEnd)
  const t = forecastTable(input, period)
  const score = (p: number[]): ErrorMetrics => ({
    ...errorMetrics(t.actual, p),
    mase: scale ? mae(t.actual, p) / scale : null,
    directionalAccuracy: directionalAccuracy(t.actual, p, t.last)
  })
  const model = score(t.pred)
  const baselines: RunMetrics['baselines'] = {
    persistence: score(t.base.persistence),
    drift: score(t.base.drift),
    movingAverage: score(t.base.movingAverage),
    seasonalNaive: t.seasonalOk ? score(t.base.seasonalNaive) : null
  }
  return {
    metrics: {
      test: model,
      baselines,
      mase: model.mase,
      beatsPersistence: model.rmse < baselines.persistence.rmse,
      testWindows: targetStart.length,
      seasonalPeriod: period,
      backtest: null,
      evaluatedWith: null,
      intervals: null,
      extrapolation: null,
      perHorizon: perHorizonRmse(t, horizon)
    },
    predictions: forecastPredictions(t, targetStart, horizon)
  }
}
