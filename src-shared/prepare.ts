/**
 * Preparation of a numeric series for many-to-one forecasting: chronological split, scaling fitted on
 * the training part only, and windows that never straddle a split boundary.
 */
import { layoutShape, type RunConfig } from './run-config'
import { ApiError } from './errors'

export interface Scaler {
  kind: RunConfig['scaling']
  /** minmax: offset = min, scale = max - min; zscore: offset = mean, scale = std; none: 0 and 1. */
  offset: number
  scale: number
}

export function fitScaler(kind: RunConfig['scaling'], values: ArrayLike<number>, start: number, end: number): Scaler {
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

export interface WindowSet {
  /** [count, inputSteps, features], scaled. */
  x: Float32Array
  /** [count, outputSteps], scaled target. */
  y: Float32Array
  count: number
  /** Series index of the first forecast step of each window (for many-to-many: its last output). */
  targetStart: Int32Array
}

export interface PreparedForecast {
  layout: RunConfig['layout']
  /** Log returns: the windows hold returns; series index i of the windows is index i + 1 of the data. */
  transform: RunConfig['transform']
  /** Steps read per window (the window; one for one-to-many). */
  window: number
  /** Steps written per window: the horizon, or the window for many-to-many. */
  outputSteps: number
  /** Forecast steps scored per window (many-to-many: the next step, 1). */
  horizon: number
  featureCount: number
  scalers: Scaler[]
  targetScaler: Scaler
  bounds: { trainEnd: number; valEnd: number; rows: number }
  train: WindowSet
  val: WindowSet
  test: WindowSet
}

export function splitBounds(rows: number, split: RunConfig['split']): { trainEnd: number; valEnd: number } {
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

function geometry(config: RunConfig): Geometry {
  const { inputSteps, outputSteps } = layoutShape(config)
  // many-to-many: output t is the value after input t (the same-length sequence shifted by one).
  if (config.layout === 'many-to-many') return { inputSteps, outputSteps, yOffset: 1, ahead: 1 }
  return { inputSteps, outputSteps, yOffset: inputSteps, ahead: outputSteps }
}

function makeWindows(
  cols: Float64Array[],
  target: Float64Array,
  scalers: Scaler[],
  targetScaler: Scaler,
  start: number,
  end: number,
  g: Geometry
): WindowSet {
  const f = cols.length
  const count = windowCount(end - start, g.inputSteps, g.ahead)
  const x = new Float32Array(count * g.inputSteps * f)
  const y = new Float32Array(count * g.outputSteps)
  const targetStart = new Int32Array(count)
  for (let w = 0; w < count; w++) {
    const s = start + w
    for (let t = 0; t < g.inputSteps; t++) {
      for (let j = 0; j < f; j++) x[(w * g.inputSteps + t) * f + j] = scale(scalers[j], cols[j][s + t])
    }
    for (let h = 0; h < g.outputSteps; h++) y[w * g.outputSteps + h] = scale(targetScaler, target[s + g.yOffset + h])
    targetStart[w] = s + g.inputSteps
  }
  return { x, y, count, targetStart }
}

/**
 * Checks that every split holds at least one window, without building any (cheap: the core calls it
 * before queuing a run). Throws a VALIDATION ApiError naming `config.window`.
 */
export function checkForecastShape(rows: number, config: RunConfig): { trainEnd: number; valEnd: number } {
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

/**
 * Builds train/val/test windows for the config's layout. Throws a VALIDATION ApiError naming
 * `config.window` when a split is too short to hold one window.
 */
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

export function prepareForecast(columns: Record<string, Float64Array>, config: RunConfig): PreparedForecast {
  const raw = config.features.map((name, i) => {
    const c = columns[name]
    if (!c) throw new ApiError('VALIDATION', `config.features[${i}]: no column "${name}" in the dataset`)
    return c
  })
  const rawTarget = columns[config.target]
  if (!rawTarget) throw new ApiError('VALIDATION', `config.target: no column "${config.target}" in the dataset`)
  const returns = config.transform === 'logReturns'
  const cols = returns ? raw.map((c, i) => logReturns(c, `config.features[${i}]`)) : raw
  const target = returns ? logReturns(rawTarget, 'config.target') : rawTarget
  const rows = target.length
  const g = geometry(config)
  const { trainEnd, valEnd } = checkForecastShape(rows, config)
  const scalers = cols.map((c) => fitScaler(config.scaling, c, 0, trainEnd))
  const targetScaler = fitScaler(config.scaling, target, 0, trainEnd)
  const make = (s: number, e: number) => makeWindows(cols, target, scalers, targetScaler, s, e, g)
  return {
    layout: config.layout,
    transform: config.transform,
    window: g.inputSteps,
    outputSteps: g.outputSteps,
    horizon: config.layout === 'many-to-many' ? 1 : config.horizon,
    featureCount: cols.length,
    scalers,
    targetScaler,
    bounds: { trainEnd, valEnd, rows },
    train: make(0, trainEnd),
    val: make(trainEnd, valEnd),
    test: make(valEnd, rows)
  }
}
