/** Forecast error metrics, computed in original units. Pure and shared by engine, CLI and UI. */
import type { ErrorMetrics } from './domain'

function check(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  if (actual.length !== predicted.length) throw new Error(`length mismatch: ${actual.length} vs ${predicted.length}`)
  if (actual.length === 0) throw new Error('no values to score')
  return actual.length
}

export function rmse(a: ArrayLike<number>, p: ArrayLike<number>): number {
  const n = check(a, p)
  let s = 0
  for (let i = 0; i < n; i++) s += (a[i] - p[i]) ** 2
  return Math.sqrt(s / n)
}

export function mae(a: ArrayLike<number>, p: ArrayLike<number>): number {
  const n = check(a, p)
  let s = 0
  for (let i = 0; i < n; i++) s += Math.abs(a[i] - p[i])
  return s / n
}

/**
 * Mean absolute percentage error in percent; null when an actual value is zero or negligible (below
 * 1e-9 of the largest), where the percentage is meaningless (a sine wave crossing zero).
 */
export function mape(a: ArrayLike<number>, p: ArrayLike<number>): number | null {
  const n = check(a, p)
  let peak = 0
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(a[i]))
  let s = 0
  for (let i = 0; i < n; i++) {
    if (Math.abs(a[i]) <= 1e-9 * peak || a[i] === 0) return null
    s += Math.abs((a[i] - p[i]) / a[i])
  }
  return (100 * s) / n
}

/** Symmetric MAPE in percent (0–200); a pair of zeros counts as no error. */
export function smape(a: ArrayLike<number>, p: ArrayLike<number>): number {
  const n = check(a, p)
  let s = 0
  for (let i = 0; i < n; i++) {
    const d = Math.abs(a[i]) + Math.abs(p[i])
    if (d > 0) s += (2 * Math.abs(a[i] - p[i])) / d
  }
  return (100 * s) / n
}

/** Coefficient of determination; null when the actual values are constant. */
export function r2(a: ArrayLike<number>, p: ArrayLike<number>): number | null {
  const n = check(a, p)
  let mean = 0
  for (let i = 0; i < n; i++) mean += a[i]
  mean /= n
  let ssRes = 0
  let ssTot = 0
  for (let i = 0; i < n; i++) {
    ssRes += (a[i] - p[i]) ** 2
    ssTot += (a[i] - mean) ** 2
  }
  return ssTot === 0 ? null : 1 - ssRes / ssTot
}

/**
 * Mean absolute scaled error: MAE of the forecast divided by the in-sample MAE of the one-step naive
 * forecast on the training series. Null when the training series is constant.
 */
export function mase(a: ArrayLike<number>, p: ArrayLike<number>, train: ArrayLike<number>): number | null {
  if (train.length < 2) return null
  let s = 0
  for (let i = 1; i < train.length; i++) s += Math.abs(train[i] - train[i - 1])
  const scale = s / (train.length - 1)
  return scale === 0 ? null : mae(a, p) / scale
}

/** The scale-free error set; MASE and directional accuracy need context and start as null. */
export function errorMetrics(a: ArrayLike<number>, p: ArrayLike<number>): ErrorMetrics {
  return { rmse: rmse(a, p), mae: mae(a, p), mape: mape(a, p), smape: smape(a, p), r2: r2(a, p), mase: null, directionalAccuracy: null }
}
