/**
 * The forecast training path as it was before issue #18: every train, validation and test window
 * materialised as one Float32Array, batches copied out of it, the test windows predicted as one tensor.
 * Kept only as the reference for the identical-loss test and the memory bench (not used by the app).
 */
import type * as TF from '@tensorflow/tfjs'
import { evaluateForecast } from '../../src-shared/evaluate'
import { checkForecastShape, fitScaler, logReturns, scale, unscale, windowCount, type Scaler } from '../../src-shared/prepare'
import { layoutShape, type ForecastConfig } from '../../src-shared/forecast-config'
import type { Tfjs } from '../../src-main/engine/backends'
import { buildForecastModel, makeOptimizer } from '../../src-main/engine/build-model'
import { fit, type TrainHooks } from '../../src-main/engine/fit-loop'
import { lossFunction, type TrainLimits } from '../../src-main/engine/train-forecast'

export interface MaterialisedSet {
  x: Float32Array
  y: Float32Array
  count: number
  targetStart: Int32Array
}

interface Geometry {
  inputSteps: number
  outputSteps: number
  yOffset: number
  ahead: number
}

function geometry(config: ForecastConfig): Geometry {
  const { inputSteps, outputSteps } = layoutShape(config)
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
): MaterialisedSet {
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

export function prepareMaterialised(columns: Record<string, Float64Array>, config: ForecastConfig) {
  const raw = config.features.map((name) => columns[name])
  const rawTarget = columns[config.target]
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

type Prepared = ReturnType<typeof prepareMaterialised>

function gather(set: MaterialisedSet, idx: ArrayLike<number>, from: number, to: number, prep: Prepared) {
  const xStride = prep.window * prep.featureCount
  const yStride = prep.outputSteps
  const n = to - from
  const xb = new Float32Array(n * xStride)
  const yb = new Float32Array(n * yStride)
  for (let k = 0; k < n; k++) {
    const w = idx[from + k]
    xb.set(set.x.subarray(w * xStride, (w + 1) * xStride), k * xStride)
    yb.set(set.y.subarray(w * yStride, (w + 1) * yStride), k * yStride)
  }
  return { xb, yb, n }
}

/** Trains and evaluates like trainForecast did before #18 (no backtest). */
export async function trainMaterialised(
  tf: Tfjs,
  config: ForecastConfig,
  columns: Record<string, Float64Array>,
  hooks: TrainHooks = {},
  limits: TrainLimits = {}
) {
  const prep = prepareMaterialised(columns, config)
  const { sequenceOutput } = layoutShape(config)
  const yShape = (n: number) => (sequenceOutput ? [n, prep.outputSteps, 1] : [n, prep.outputSteps])
  const tensors = (set: MaterialisedSet, idx: ArrayLike<number>, from: number, to: number) => {
    const { xb, yb, n } = gather(set, idx, from, to, prep)
    return { x: tf.tensor3d(xb, [n, prep.window, prep.featureCount]), y: tf.tensor(yb, yShape(n)) }
  }
  const model = buildForecastModel(tf, config)
  const optimizer = makeOptimizer(tf, config)
  const loss = lossFunction(tf, config.training.loss)
  const setLoss = async (set: MaterialisedSet): Promise<number> => {
    let sum = 0
    const all = Int32Array.from({ length: set.count }, (_, i) => i)
    for (let from = 0; from < set.count; from += 512) {
      const to = Math.min(set.count, from + 512)
      const l = tf.tidy(() => {
        const { x, y } = tensors(set, all, from, to)
        return loss(y, model.predict(x) as TF.Tensor)
      })
      sum += (await l.data())[0] * (to - from)
      l.dispose()
    }
    return sum / set.count
  }
  try {
    const result = await fit(
      tf,
      {
        model,
        optimizer,
        training: config.training,
        trainCount: Math.min(prep.train.count, (limits.maxTrainBatches ?? Infinity) * config.training.batchSize),
        batch: (idx, from, to) => tensors(prep.train, idx, from, to),
        loss,
        validate: async () => (prep.val.count > 0 ? setLoss(prep.val) : null),
        restoreBest: config.training.earlyStopping?.restoreBest ?? false
      },
      hooks
    )
    const { metrics, predictions } = evaluateTest(tf, model, prep, columns[config.target], config)
    return { epochs: result.records, metrics, predictions }
  } finally {
    optimizer.dispose()
    model.dispose()
  }
}

function evaluateTest(tf: Tfjs, model: TF.LayersModel, prep: Prepared, target: Float64Array, config: ForecastConfig) {
  const { test, horizon, targetScaler, outputSteps } = prep
  const out = tf.tidy(() => {
    const x = tf.tensor3d(test.x, [test.count, prep.window, prep.featureCount])
    return (model.predict(x, { batchSize: 512 }) as TF.Tensor).dataSync() as Float32Array
  })
  const predicted = new Float64Array(test.count * horizon)
  const returns = prep.transform === 'logReturns'
  const targetStart = returns ? test.targetStart.map((s) => s + 1) : test.targetStart
  for (let w = 0; w < test.count; w++) {
    let cumulative = 0
    for (let h = 0; h < horizon; h++) {
      const k = prep.layout === 'many-to-many' ? w * outputSteps + outputSteps - 1 : w * outputSteps + h
      const v = unscale(targetScaler, out[k])
      cumulative += v
      predicted[w * horizon + h] = returns ? target[targetStart[w] - 1] * Math.exp(cumulative) : v
    }
  }
  return evaluateForecast({
    target,
    targetStart,
    horizon,
    predicted,
    trainEnd: prep.bounds.trainEnd + (returns ? 1 : 0),
    seasonalPeriod: config.evaluation.seasonalPeriod,
    movingAverageWindow: config.evaluation.movingAverageWindow ?? config.window
  })
}
