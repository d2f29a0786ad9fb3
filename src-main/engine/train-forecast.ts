/**
 * Trains one forecasting run with the shared fit loop, then evaluates it on the test split in original
 * units beside naive baselines on the same windows.
 */
import type * as TF from '@tensorflow/tfjs'
import type { EpochRecord, Predictions, RunMetrics } from '../../src-shared/domain'
import { evaluateForecast } from '../../src-shared/evaluate'
import { addIntervals } from '../../src-shared/forecast-intervals'
import { batchBuffer, gatherWindows, prepareForecast, unscale, type PreparedForecast, type WindowSet } from '../../src-shared/prepare'
import { layoutShape, type ForecastConfig } from '../../src-shared/forecast-config'
import type { Tfjs } from './backends'
import { buildForecastModel, makeOptimizer } from './build-model'
import { fit, probe, type LossFn, type TrainHooks } from './fit-loop'

export { CancelledError, type BatchProgress, type CheckpointKind, type TrainHooks } from './fit-loop'

export interface TrainResult {
  epochs: EpochRecord[]
  metrics: RunMetrics
  predictions: Predictions
  stoppedEarly: boolean
  bestEpoch: number | null
}

export function lossFunction(tf: Tfjs, kind: ForecastConfig['training']['loss']): LossFn {
  switch (kind) {
    case 'mse':
      return (t, p) => tf.losses.meanSquaredError(t, p) as TF.Scalar
    case 'mae':
      return (t, p) => tf.losses.absoluteDifference(t, p) as TF.Scalar
    case 'huber':
      return (t, p) => tf.losses.huberLoss(t, p) as TF.Scalar
  }
}

/** Windows per validation, test and prediction batch. */
const EVAL_BATCH = 512

const inOrder = (count: number) => Int32Array.from({ length: count }, (_, i) => i)

/**
 * The prepared series, model, optimizer and loss of a forecasting run, shared by training and probing.
 * Every batch (training, validation, test) is gathered into one reusable buffer; a batch's tensors
 * must be disposed before the next batch is built (the fit loop and `tf.tidy` do).
 */
function setupForecast(tf: Tfjs, config: ForecastConfig, columns: Record<string, Float64Array>) {
  const prep = prepareForecast(columns, config)
  const { sequenceOutput } = layoutShape(config)
  // Targets are [n, steps] for a Dense head on the last state, [n, steps, 1] for a head on every step.
  const yShape = (n: number) => (sequenceOutput ? [n, prep.outputSteps, 1] : [n, prep.outputSteps])
  const buffer = batchBuffer(prep, Math.max(config.training.batchSize, EVAL_BATCH))
  const tensors = (set: WindowSet, idx: ArrayLike<number>, from: number, to: number) => {
    const { x, y, n } = gatherWindows(prep, set, idx, from, to, buffer)
    return { x: tf.tensor3d(x, [n, prep.window, prep.featureCount]), y: tf.tensor(y, yShape(n)) }
  }
  const model = buildForecastModel(tf, config)
  const optimizer = makeOptimizer(tf, config)
  const loss = lossFunction(tf, config.training.loss)
  const setLoss = async (set: WindowSet): Promise<number> => {
    let sum = 0
    const all = inOrder(set.count)
    for (let from = 0; from < set.count; from += EVAL_BATCH) {
      const to = Math.min(set.count, from + EVAL_BATCH)
      const l = tf.tidy(() => {
        const { x, y } = tensors(set, all, from, to)
        return loss(y, model.predict(x) as TF.Tensor)
      })
      sum += (await l.data())[0] * (to - from)
      l.dispose()
    }
    return sum / set.count
  }
  /** The model's scaled outputs for every window of a set, [count, outputSteps]. */
  const predictSet = (set: WindowSet): Float32Array => {
    const out = new Float32Array(set.count * prep.outputSteps)
    const all = inOrder(set.count)
    for (let from = 0; from < set.count; from += EVAL_BATCH) {
      const to = Math.min(set.count, from + EVAL_BATCH)
      const part = tf.tidy(() => (model.predict(tensors(set, all, from, to).x) as TF.Tensor).dataSync() as Float32Array)
      out.set(part, from * prep.outputSteps)
    }
    return out
  }
  const dispose = () => {
    optimizer.dispose()
    model.dispose()
  }
  return { prep, tensors, model, optimizer, loss, setLoss, predictSet, dispose }
}

/** Benchmarks only: train on the first `maxTrainBatches` batches' worth of windows (the rest is full size). */
export interface TrainLimits {
  maxTrainBatches?: number
}

export async function trainForecast(
  tf: Tfjs,
  config: ForecastConfig,
  columns: Record<string, Float64Array>,
  hooks: TrainHooks = {},
  limits: TrainLimits = {}
): Promise<TrainResult> {
  const { prep, tensors, model, optimizer, loss, setLoss, predictSet, dispose } = setupForecast(tf, config, columns)
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
    const { metrics, predictions } = evaluateTest(prep, predictSet, columns[config.target], config)
    metrics.evaluatedWith = result.evaluatedWith
    if (config.evaluation.backtestFolds > 0) metrics.backtest = await walkForward(tf, config, columns, prep.bounds.trainEnd, hooks)
    return { epochs: result.records, metrics, predictions, stoppedEarly: result.stoppedEarly, bestEpoch: result.bestEpoch }
  } finally {
    dispose()
  }
}

export interface ProbeResult {
  msPerBatch: number
  batchesPerEpoch: number
  probeBatches: number
}

/** Times a few training batches (after one warm-up pass) of a fresh model: nothing is kept. */
export async function probeForecast(tf: Tfjs, config: ForecastConfig, columns: Record<string, Float64Array>, batches = 4): Promise<ProbeResult> {
  const { prep, tensors, model, optimizer, loss, dispose } = setupForecast(tf, config, columns)
  try {
    return await probe(
      tf,
      {
        model,
        optimizer,
        loss,
        training: config.training,
        trainCount: prep.train.count,
        batch: (idx, f, t) => tensors(prep.train, idx, f, t)
      },
      batches
    )
  } finally {
    dispose()
  }
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length
const sd = (v: number[]) => {
  const m = mean(v)
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, v.length - 1))
}

/**
 * Expanding-window backtest: the rows after the training split are cut into k blocks; fold i retrains
 * a fresh model (same config and seed, no validation part) on every row before block i and scores
 * block i beside persistence on the same windows.
 */
async function walkForward(
  tf: Tfjs,
  config: ForecastConfig,
  columns: Record<string, Float64Array>,
  trainEnd: number,
  hooks: TrainHooks
): Promise<NonNullable<RunMetrics['backtest']>> {
  const rows = columns[config.target].length
  const k = config.evaluation.backtestFolds
  const block = Math.floor((rows - trainEnd) / k)
  const folds: NonNullable<RunMetrics['backtest']>['folds'] = []
  for (let i = 0; i < k; i++) {
    const end = trainEnd + (i + 1) * block
    const cut = Object.fromEntries(Object.entries(columns).map(([n, v]) => [n, v.subarray(0, end)]))
    const testFrac = block / end
    const foldConfig: ForecastConfig = {
      ...config,
      split: { train: 1 - testFrac, val: 0, test: testFrac },
      training: {
        ...config.training,
        earlyStopping: null,
        lrSchedule: config.training.lrSchedule?.type === 'plateau' ? null : config.training.lrSchedule
      },
      evaluation: { ...config.evaluation, backtestFolds: 0 }
    }
    const r = await trainForecast(tf, foldConfig, cut, { isCancelled: hooks.isCancelled })
    folds.push({
      fold: i + 1,
      trainRows: end - block,
      testRows: block,
      rmse: r.metrics.test.rmse,
      persistenceRmse: r.metrics.baselines.persistence.rmse,
      mase: r.metrics.test.mase
    })
  }
  const rm = folds.map((f) => f.rmse)
  const pm = folds.map((f) => f.persistenceRmse)
  return { folds, mean: { rmse: mean(rm), persistenceRmse: mean(pm) }, sd: { rmse: sd(rm), persistenceRmse: sd(pm) } }
}

/**
 * Forecasts of a part's windows in original units ([windows × horizon]) from the model's scaled outputs,
 * and the data row of each window's first target: one function for the test part and for the validation
 * part the intervals are calibrated on.
 */
function forecastPart(prep: PreparedForecast, set: WindowSet, out: Float32Array, target: Float64Array) {
  const { horizon, targetScaler, outputSteps } = prep
  const predicted = new Float64Array(set.count * horizon)
  const returns = prep.transform === 'logReturns'
  // With log returns, window index i is data index i + 1; forecasts become levels again from the last
  // known value: x̂_{t+h} = x_{t-1} · exp(r̂_t + … + r̂_{t+h}).
  const targetStart = returns ? set.targetStart.map((s) => s + 1) : set.targetStart
  for (let w = 0; w < set.count; w++) {
    let cumulative = 0
    for (let h = 0; h < horizon; h++) {
      // many-to-many scores its last output, the one-step forecast after the window.
      const k = prep.layout === 'many-to-many' ? w * outputSteps + outputSteps - 1 : w * outputSteps + h
      const v = unscale(targetScaler, out[k])
      cumulative += v
      predicted[w * horizon + h] = returns ? target[targetStart[w] - 1] * Math.exp(cumulative) : v
    }
  }
  return { predicted, targetStart }
}

/** Actual values laid out like a part's forecasts: [windows × horizon]. */
function actualsOf(target: Float64Array, targetStart: Int32Array, horizon: number): Float64Array {
  const out = new Float64Array(targetStart.length * horizon)
  targetStart.forEach((s, w) => {
    for (let h = 0; h < horizon; h++) out[w * horizon + h] = target[s + h]
  })
  return out
}

/**
 * Test-split forecasts in original units, scored beside the naive baselines on the same windows, with
 * split-conformal intervals calibrated on the validation part (none without one).
 */
function evaluateTest(prep: PreparedForecast, predictSet: (set: WindowSet) => Float32Array, target: Float64Array, config: ForecastConfig) {
  const { horizon } = prep
  const returns = prep.transform === 'logReturns'
  const { predicted, targetStart } = forecastPart(prep, prep.test, predictSet(prep.test), target)
  const evaluation = evaluateForecast({
    target,
    targetStart,
    horizon,
    predicted,
    trainEnd: prep.bounds.trainEnd + (returns ? 1 : 0),
    seasonalPeriod: config.evaluation.seasonalPeriod,
    movingAverageWindow: config.evaluation.movingAverageWindow ?? config.window
  })
  if (prep.val.count > 0) {
    const val = forecastPart(prep, prep.val, predictSet(prep.val), target)
    const calibration = { actual: actualsOf(target, val.targetStart, horizon), predicted: val.predicted }
    addIntervals(evaluation, calibration, horizon, returns ? 'multiplicative' : 'additive')
  }
  return evaluation
}
