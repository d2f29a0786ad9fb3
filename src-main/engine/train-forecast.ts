/**
 * Trains one forecasting run: seeded batch shuffling, per-epoch validation, early stopping with
 * restore-best, cancellation between batches, then evaluation on the test split in original units
 * against the persistence baseline on the same windows.
 */
import type * as TF from '@tensorflow/tfjs'
import type { EpochRecord, Predictions, RunMetrics } from '../../src-shared/domain'
import { evaluateForecast } from '../../src-shared/evaluate'
import { prepareForecast, unscale, type PreparedForecast, type WindowSet } from '../../src-shared/prepare'
import { mulberry32, shuffledIndices } from '../../src-shared/random'
import type { RunConfig } from '../../src-shared/run-config'
import type { Tfjs } from './backends'
import { buildForecastModel } from './build-model'

export interface BatchProgress {
  epoch: number
  epochs: number
  batch: number
  batches: number
  loss: number | null
  etaMs: number | null
}

export interface TrainHooks {
  onProgress?(p: BatchProgress): void
  onEpoch?(record: EpochRecord): void
  /** Checked before every batch; true stops the run with a CancelledError. */
  isCancelled?(): boolean
  /** Milliseconds between progress callbacks (default 100: at most 10 a second). */
  progressIntervalMs?: number
}

export interface TrainResult {
  epochs: EpochRecord[]
  metrics: RunMetrics
  predictions: Predictions
  stoppedEarly: boolean
}

export class CancelledError extends Error {
  constructor() {
    super('Run cancelled')
    this.name = 'CancelledError'
  }
}

function batchTensors(tf: Tfjs, set: WindowSet, idx: Int32Array, from: number, to: number, prep: PreparedForecast) {
  const xStride = prep.window * prep.featureCount
  const n = to - from
  const xb = new Float32Array(n * xStride)
  const yb = new Float32Array(n * prep.horizon)
  for (let k = 0; k < n; k++) {
    const w = idx[from + k]
    xb.set(set.x.subarray(w * xStride, (w + 1) * xStride), k * xStride)
    yb.set(set.y.subarray(w * prep.horizon, (w + 1) * prep.horizon), k * prep.horizon)
  }
  return {
    x: tf.tensor3d(xb, [n, prep.window, prep.featureCount]),
    y: tf.tensor2d(yb, [n, prep.horizon])
  }
}

function setTensors(tf: Tfjs, set: WindowSet, prep: PreparedForecast) {
  return {
    x: tf.tensor3d(set.x, [set.count, prep.window, prep.featureCount]),
    y: tf.tensor2d(set.y, [set.count, prep.horizon])
  }
}

async function evaluateLoss(tf: Tfjs, model: TF.LayersModel, set: WindowSet, prep: PreparedForecast): Promise<number> {
  const t = setTensors(tf, set, prep)
  try {
    const out = model.evaluate(t.x, t.y, { batchSize: 512 }) as TF.Scalar
    const v = (await out.data())[0]
    out.dispose()
    return v
  } finally {
    t.x.dispose()
    t.y.dispose()
  }
}

export async function trainForecast(
  tf: Tfjs,
  config: RunConfig,
  columns: Record<string, Float64Array>,
  hooks: TrainHooks = {}
): Promise<TrainResult> {
  const prep = prepareForecast(columns, config)
  const { epochs, batchSize, seed, earlyStopping } = config.training
  const model = buildForecastModel(tf, config)
  const rand = mulberry32(seed)
  const batches = Math.ceil(prep.train.count / batchSize)
  const interval = hooks.progressIntervalMs ?? 100
  const started = Date.now()
  const records: EpochRecord[] = []
  let best = { loss: Infinity, epoch: 0, weights: null as TF.Tensor[] | null }
  let stoppedEarly = false
  let lastProgress = 0
  let batchesDone = 0
  const totalBatches = epochs * batches

  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = shuffledIndices(prep.train.count, rand)
      let lossSum = 0
      let seen = 0
      for (let b = 0; b < batches; b++) {
        if (hooks.isCancelled?.()) throw new CancelledError()
        const from = b * batchSize
        const to = Math.min(prep.train.count, from + batchSize)
        const t = batchTensors(tf, prep.train, order, from, to, prep)
        let loss: number
        try {
          loss = (await model.trainOnBatch(t.x, t.y)) as number
        } finally {
          t.x.dispose()
          t.y.dispose()
        }
        lossSum += loss * (to - from)
        seen += to - from
        batchesDone++
        const now = Date.now()
        if (hooks.onProgress && (now - lastProgress >= interval || b === batches - 1)) {
          lastProgress = now
          const perBatch = (now - started) / batchesDone
          hooks.onProgress({ epoch, epochs, batch: b + 1, batches, loss, etaMs: perBatch * (totalBatches - batchesDone) })
        }
      }
      const valLoss = prep.val.count > 0 ? await evaluateLoss(tf, model, prep.val, prep) : null
      const record: EpochRecord = { epoch, loss: lossSum / seen, valLoss, elapsedMs: Date.now() - started }
      records.push(record)
      hooks.onEpoch?.(record)

      if (earlyStopping && valLoss !== null) {
        if (valLoss < best.loss) {
          best.weights?.forEach((w) => w.dispose())
          best = { loss: valLoss, epoch, weights: model.getWeights().map((w) => w.clone()) }
        } else if (epoch - best.epoch >= earlyStopping.patience) {
          stoppedEarly = true
          break
        }
      }
    }
    if (best.weights) model.setWeights(best.weights)
    const { metrics, predictions } = evaluateTest(tf, model, prep, columns[config.target], config)
    return { epochs: records, metrics, predictions, stoppedEarly }
  } finally {
    best.weights?.forEach((w) => w.dispose())
    model.optimizer?.dispose()
    model.dispose()
  }
}

/** Test-split forecasts in original units, scored beside the naive baselines on the same windows. */
function evaluateTest(tf: Tfjs, model: TF.LayersModel, prep: PreparedForecast, target: Float64Array, config: RunConfig) {
  const { test, horizon, targetScaler } = prep
  const scaled = tf.tidy(() => {
    const x = tf.tensor3d(test.x, [test.count, prep.window, prep.featureCount])
    return (model.predict(x, { batchSize: 512 }) as TF.Tensor).dataSync() as Float32Array
  })
  const predicted = new Float64Array(scaled.length)
  for (let i = 0; i < scaled.length; i++) predicted[i] = unscale(targetScaler, scaled[i])
  return evaluateForecast({
    target,
    targetStart: test.targetStart,
    horizon,
    predicted,
    trainEnd: prep.bounds.trainEnd,
    seasonalPeriod: null,
    movingAverageWindow: config.window
  })
}
