/**
 * Preparation of a numeric series for forecasting: chronological split, scaling fitted on the training
 * part only, windows that never straddle a split boundary, and batches gathered from the scaled series.
 */
import { layoutShape, type ForecastConfig } from './forecast-config'
import { ApiError } from './errors'

export interface Scaler {
  kind: ForecastConfig['scaling']
  /** minmax: offset = min, scale = max - min; zscore: offset = mean, scale = std; none: 0 and 1. */
  offset: number
  scale: number
}

export function fitScaler(kind: ForecastConfig['scaling'], values: ArrayLike<number>, start: number, end: number): Scaler {
  if (kind === 'none') return { kind, offset: 0, scale: 1 }
  if (kind === 'minmax') {
    let min = Infinity
    let max = -Infinity
    for (let i = start; i < end; i++) {
      if (values[i] < min) min = values[i]
      if (values[i] > max) max = values[i]
    }
    return { kind, offset: min, scale: max - min || 1 }
  }
  let mean = 0
  for (let i = start; i < end; i++) mean += values[i]
  mean /= end - start
  let v = 0
  for (let i = start; i < end; i++) v += (values[i] - mean) ** 2
  return { kind, offset: mean, scale: Math.sqrt(v / (end - start)) || 1 }
}

export const scale = (s: Scaler, x: number): number => (x - s.offset) / s.scale
export const unscale = (s: Scaler, y: number): number => y * s.scale + s.offset

/**
 * The windows of one split, by start only (a language model's sequences are kept the same way): a batch
 * is gathered from the prepared series when it is needed (`gatherWindows`), so memory does not grow
 * with the window.
 */
export interface WindowSet {
  count: number
  /** Series index of each window's first input step (consecutive: start, start + 1, …). */
  starts: Int32Array
  /** Series index of the first forecast step of each window (for many-to-many: its last output). */
  targetStart: Int32Array
}

export interface PreparedForecast {
  layout: ForecastConfig['layout']
  /** Log returns: the series holds returns; series index i is index i + 1 of the data. */
  transform: ForecastConfig['transform']
  /** Steps read per window (the window; one for one-to-many). */
  window: number
  /** Steps written per window: the horizon, or the window for many-to-many. */
  outputSteps: number
  /** Offset from a window's start to the target of its first output. */
  targetOffset: number
  /** Forecast steps scored per window (many-to-many: the next step, 1). */
  horizon: number
  featureCount: number
  scalers: Scaler[]
  targetScaler: Scaler
  /** The scaled inputs, [rows, featureCount] row by row: a window's inputs are one contiguous run. */
  series: Float32Array
  /** The scaled target, [rows]. */
  target: Float32Array
  bounds: { trainEnd: number; valEnd: number; rows: number }
  train: WindowSet
  val: WindowSet
  test: WindowSet
}

export function splitBounds(rows: number, split: ForecastConfig['split']): { trainEnd: number; valEnd: number } {
  const trainEnd = Math.floor(rows * split.train)
  const valEnd = trainEnd + Math.floor(rows * split.val)
  return { trainEnd, valEnd }
}

export function windowCount(segmentLength: number, window: number, horizon: number): number {
  return Math.max(0, segmentLength - window - horizon + 1)
}

interface Geometry {
  inputSteps: number
  outputSteps: number
  /** Offset from a window's start to the target of its first output. */
  yOffset: number
  /** Future steps a window needs after its inputs. */
  ahead: number
}

function geometry(config: ForecastConfig): Geometry {
  const { inputSteps, outputSteps } = layoutShape(config)
  // many-to-many: output t is the value after input t (the same-length sequence shifted by one).
  if (config.layout === 'many-to-many') return { inputSteps, outputSteps, yOffset: 1, ahead: 1 }
  return { inputSteps, outputSteps, yOffset: inputSteps, ahead: outputSteps }
}

function windowSet(start: number, end: number, g: Geometry): WindowSet {
  const count = windowCount(end - start, g.inputSteps, g.ahead)
  const starts = new Int32Array(count)
  const targetStart = new Int32Array(count)
  for (let w = 0; w < count; w++) {
    starts[w] = start + w
    targetStart[w] = start + w + g.inputSteps
  }
  return { count, starts, targetStart }
}

/**
 * Checks that every split holds at least one window, without building any (cheap: the core calls it
 * before queuing a run). Throws a VALIDATION ApiError naming `config.window`.
 */
export function checkForecastShape(rows: number, config: ForecastConfig): { trainEnd: number; valEnd: number } {
  const g = geometry(config)
  const { trainEnd, valEnd } = splitBounds(rows, config.split)
  const segments = { train: trainEnd, val: valEnd - trainEnd, test: rows - valEnd }
  for (const [name, len] of Object.entries(segments)) {
    if (name === 'val' && config.split.val === 0) continue
    if (windowCount(len, g.inputSteps, g.ahead) < 1) {
      throw new ApiError(
        'VALIDATION',
        `config.window: the ${name} part has ${len} rows, too few for ${g.inputSteps} input steps + ${g.ahead} ahead; ` +
          `use a shorter window or horizon, or a longer series`,
        { issues: [{ path: 'config.window', message: `too long for the ${name} part (${len} rows)` }] }
      )
    }
  }
  return { trainEnd, valEnd }
}

/** ln(x_t / x_{t-1}) for t ≥ 1 (one value shorter); refuses non-positive values, naming the field. */
export function logReturns(values: Float64Array, field: string): Float64Array {
  const out = new Float64Array(Math.max(0, values.length - 1))
  for (let t = 1; t < values.length; t++) {
    if (!(values[t] > 0) || !(values[t - 1] > 0)) {
      throw new ApiError('VALIDATION', `${field}: log returns need positive values; row ${t} holds ${values[values[t] > 0 ? t - 1 : t]}`, {
        issues: [{ path: field, message: 'log returns need positive values' }]
      })
    }
    out[t - 1] = Math.log(values[t] / values[t - 1])
  }
  return out
}

/**
 * Scales the series once (float32, as the windows hold it) and describes train/val/test windows by
 * their starts. Throws a VALIDATION ApiError naming `config.window` when a split is too short to hold
 * one window, or naming the field whose values cannot give log returns.
 */
export function prepareForecast(columns: Record<string, Float64Array>, config: ForecastConfig): PreparedForecast {
  const raw = config.features.map((name, i) => {
    const c = columns[name]
    if (!c) throw new ApiError('VALIDATION', `config.features[${i}]: no column "${name}" in the dataset`)
    return c
  })
  const rawTarget = columns[config.target]
  if (!rawTarget) throw new ApiError('VALIDATION', `config.target: no column "${config.target}" in the dataset`)
  const returns = config.transform === 'logReturns'
  const rows = Math.max(0, rawTarget.length - (returns ? 1 : 0))
  const g = geometry(config)
  const { trainEnd, valEnd } = checkForecastShape(rows, config)
  const f = raw.length
  const series = new Float32Array(rows * f)
  const target = new Float32Array(rows)
  // One column at a time, so log returns never exist for more than one column at once.
  const scaleInto = (column: Float64Array, field: string, out: Float32Array, offset: number, stride: number): Scaler => {
    const values = returns ? logReturns(column, field) : column
    const s = fitScaler(config.scaling, values, 0, trainEnd)
    for (let r = 0; r < rows; r++) out[r * stride + offset] = scale(s, values[r])
    return s
  }
  const scalers = raw.map((c, j) => scaleInto(c, `config.features[${j}]`, series, j, f))
  const targetScaler = scaleInto(rawTarget, 'config.target', target, 0, 1)
  return {
    layout: config.layout,
    transform: config.transform,
    window: g.inputSteps,
    outputSteps: g.outputSteps,
    targetOffset: g.yOffset,
    horizon: config.layout === 'many-to-many' ? 1 : config.horizon,
    featureCount: f,
    scalers,
    targetScaler,
    series,
    target,
    bounds: { trainEnd, valEnd, rows },
    train: windowSet(0, trainEnd, g),
    val: windowSet(trainEnd, valEnd, g),
    test: windowSet(valEnd, rows, g)
  }
}

/** One batch's inputs [capacity, window, features] and targets [capacity, outputSteps], reused. */
export interface BatchBuffer {
  x: Float32Array
  y: Float32Array
}

export function batchBuffer(prep: PreparedForecast, capacity: number): BatchBuffer {
  return {
    x: new Float32Array(capacity * prep.window * prep.featureCount),
    y: new Float32Array(capacity * prep.outputSteps)
  }
}

/**
 * Copies windows idx[from..to) of a set into the front of the buffer; returns views of the filled
 * part (valid until the next call).
 */
export function gatherWindows(
  prep: PreparedForecast,
  set: WindowSet,
  idx: ArrayLike<number>,
  from: number,
  to: number,
  into: BatchBuffer
): { x: Float32Array; y: Float32Array; n: number } {
  const f = prep.featureCount
  const xStride = prep.window * f
  const yStride = prep.outputSteps
  const n = to - from
  for (let k = 0; k < n; k++) {
    const s = set.starts[idx[from + k]]
    into.x.set(prep.series.subarray(s * f, s * f + xStride), k * xStride)
    const t = s + prep.targetOffset
    into.y.set(prep.target.subarray(t, t + yStride), k * yStride)
  }
  return { x: into.x.subarray(0, n * xStride), y: into.y.subarray(0, n * yStride), n }
}
