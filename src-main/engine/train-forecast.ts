/**
 * Trains one forecasting run: seeded batch shuffling, a training step with optional gradient clipping,
 * per-epoch validation, learning-rate schedules, early stopping with restore-best, cancellation between
 * batches, the best and final checkpoints, then evaluation on the test split in original units beside
 * naive baselines on the same windows.
 */
import type * as TF from '@tensorflow/tfjs'
import type { EpochRecord, Predictions, RunMetrics } from '../../src-shared/domain'
import { evaluateForecast } from '../../src-shared/evaluate'
import { prepareForecast, unscale, type PreparedForecast, type WindowSet } from '../../src-shared/prepare'
import { mulberry32, shuffledIndices } from '../../src-shared/random'
import { layoutShape, type RunConfig } from '../../src-shared/run-config'
import type { Tfjs } from './backends'
import { buildForecastModel, makeOptimizer, setLearningRate } from './build-model'

export interface BatchProgress {
  epoch: number
  epochs: number
  batch: number
  batches: number
  loss: number | null
  etaMs: number | null
}

export type CheckpointKind = 'best' | 'final'

export interface TrainHooks {
  onProgress?(p: BatchProgress): void
  onEpoch?(record: EpochRecord): void
  /** Checked before every batch; true stops the run with a CancelledError. */
  isCancelled?(): boolean
  /** Milliseconds between progress callbacks (default 100: at most 10 a second). */
  progressIntervalMs?: number
  /** Called at the end with the model holding the final, then the best weights. */
  onCheckpoint?(kind: CheckpointKind, model: TF.LayersModel, epoch: number): Promise<void>
}

export interface TrainResult {
  epochs: EpochRecord[]
  metrics: RunMetrics
  predictions: Predictions
  stoppedEarly: boolean
  bestEpoch: number | null
}

export class CancelledError extends Error {
  constructor() {
    super('Run cancelled')
    this.name = 'CancelledError'
  }
}

type LossFn = (yTrue: TF.Tensor, yPred: TF.Tensor) => TF.Scalar

export function lossFunction(tf: Tfjs, kind: RunConfig['training']['loss']): LossFn {
  switch (kind) {
    case 'mse':
      return (t, p) => tf.losses.meanSquaredError(t, p) as TF.Scalar
    case 'mae':
      return (t, p) => tf.losses.absoluteDifference(t, p) as TF.Scalar
    case 'huber':
      return (t, p) => tf.losses.huberLoss(t, p) as TF.Scalar
  }
}

/** Target tensors are [n, steps] for a Dense head and [n, steps, 1] for a TimeDistributed one. */
function yShape(prep: PreparedForecast, n: number, sequenceOutput: boolean): number[] {
  return sequenceOutput ? [n, prep.outputSteps, 1] : [n, prep.outputSteps]
}

function gather(set: WindowSet, idx: ArrayLike<number>, from: number, to: number, prep: PreparedForecast) {
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


/** Clips gradients to a global norm (Keras `clipnorm` applied to all gradients together). */
function clipByGlobalNorm(tf: Tfjs, grads: TF.NamedTensorMap, clipNorm: number): TF.NamedTensorMap {
  return tf.tidy(() => {
    const names = Object.keys(grads)
    const sq = names.map((n) => tf.sum(tf.square(grads[n])))
    const norm = tf.sqrt(tf.addN(sq))
    const factor = tf.div(clipNorm, tf.maximum(norm, clipNorm))
    const out: TF.NamedTensorMap = {}
    for (const n of names) out[n] = tf.mul(grads[n], factor)
    return out
  })
}

export async function trainForecast(
  tf: Tfjs,
  config: RunConfig,
  columns: Record<string, Float64Array>,
  hooks: TrainHooks = {}
): Promise<TrainResult> {
  const prep = prepareForecast(columns, config)
  const { sequenceOutput } = layoutShape(config)
  const { epochs, batchSize, seed, earlyStopping, lrSchedule, clipNorm } = config.training
  const model = buildForecastModel(tf, config)
  const optimizer = makeOptimizer(tf, config)
  const loss = lossFunction(tf, config.training.loss)
  const varList = model.trainableWeights.map((w) => w.read() as TF.Variable)
  const rand = mulberry32(seed)
  const batches = Math.ceil(prep.train.count / batchSize)
  const interval = hooks.progressIntervalMs ?? 100
  const started = Date.now()
  const records: EpochRecord[] = []
  let best = { loss: Infinity, epoch: 0, weights: null as TF.Tensor[] | null }
  let lr = config.training.learningRate
  let plateau = { best: Infinity, since: 0 }
  let stoppedEarly = false
  let lastProgress = 0
  let batchesDone = 0
  const totalBatches = epochs * batches

  const step = async (xb: Float32Array, yb: Float32Array, n: number): Promise<number> => {
    const x = tf.tensor3d(xb, [n, prep.window, prep.featureCount])
    const y = tf.tensor(yb, yShape(prep, n, sequenceOutput))
    try {
      const { value, grads } = tf.variableGrads(() => loss(y, model.apply(x, { training: true }) as TF.Tensor), varList)
      const applied = clipNorm ? clipByGlobalNorm(tf, grads, clipNorm) : grads
      optimizer.applyGradients(applied)
      const v = (await value.data())[0]
      tf.dispose([value, grads, applied])
      return v
    } finally {
      tf.dispose([x, y])
    }
  }

  const setLoss = async (set: WindowSet): Promise<number> => {
    let sum = 0
    for (let from = 0; from < set.count; from += 512) {
      const to = Math.min(set.count, from + 512)
      const { xb, yb, n } = gather(set, Int32Array.from({ length: to - from }, (_, k) => from + k), 0, to - from, prep)
      const l = tf.tidy(() => {
        const x = tf.tensor3d(xb, [n, prep.window, prep.featureCount])
        const y = tf.tensor(yb, yShape(prep, n, sequenceOutput))
        return loss(y, model.predict(x) as TF.Tensor)
      })
      sum += (await l.data())[0] * n
      l.dispose()
    }
    return sum / set.count
  }

  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = shuffledIndices(prep.train.count, rand)
      let lossSum = 0
      let seen = 0
      for (let b = 0; b < batches; b++) {
        if (hooks.isCancelled?.()) throw new CancelledError()
        const from = b * batchSize
        const to = Math.min(prep.train.count, from + batchSize)
        const { xb, yb, n } = gather(prep.train, order, from, to, prep)
        const batchLoss = await step(xb, yb, n)
        if (!Number.isFinite(batchLoss)) {
          throw new Error(`The loss became ${batchLoss} in epoch ${epoch}, batch ${b + 1}: lower the learning rate or set clipNorm`)
        }
        lossSum += batchLoss * n
        seen += n
        batchesDone++
        const now = Date.now()
        if (hooks.onProgress && (now - lastProgress >= interval || b === batches - 1)) {
          lastProgress = now
          const perBatch = (now - started) / batchesDone
          hooks.onProgress({ epoch, epochs, batch: b + 1, batches, loss: batchLoss, etaMs: perBatch * (totalBatches - batchesDone) })
        }
      }
      const valLoss = prep.val.count > 0 ? await setLoss(prep.val) : null
      const record: EpochRecord = { epoch, loss: lossSum / seen, valLoss, elapsedMs: Date.now() - started, learningRate: lr }
      records.push(record)
      if (valLoss !== null && valLoss < best.loss) {
        best.weights?.forEach((w) => w.dispose())
        best = { loss: valLoss, epoch, weights: model.getWeights().map((w) => w.clone()) }
      }
      hooks.onEpoch?.(record)

      if (earlyStopping && valLoss !== null && epoch - best.epoch >= earlyStopping.patience) {
        stoppedEarly = true
        break
      }
      if (lrSchedule?.type === 'step' && epoch % lrSchedule.every === 0) lr *= lrSchedule.factor
      if (lrSchedule?.type === 'plateau' && valLoss !== null) {
        if (valLoss < plateau.best) plateau = { best: valLoss, since: 0 }
        else if (++plateau.since >= lrSchedule.patience) {
          lr = Math.max(lrSchedule.minLearningRate, lr * lrSchedule.factor)
          plateau.since = 0
        }
      }
      setLearningRate(optimizer, lr)
    }

    const last = records.at(-1)?.epoch ?? 0
    await hooks.onCheckpoint?.('final', model, last)
    if (best.weights) {
      const finalWeights = model.getWeights().map((w) => w.clone())
      model.setWeights(best.weights)
      await hooks.onCheckpoint?.('best', model, best.epoch)
      if (!(earlyStopping?.restoreBest ?? false)) model.setWeights(finalWeights)
      tf.dispose(finalWeights)
    }
    const { metrics, predictions } = evaluateTest(tf, model, prep, columns[config.target], config)
    return { epochs: records, metrics, predictions, stoppedEarly, bestEpoch: best.weights ? best.epoch : null }
  } finally {
    best.weights?.forEach((w) => w.dispose())
    optimizer.dispose()
    model.dispose()
  }
}

/** Test-split forecasts in original units, scored beside the naive baselines on the same windows. */
function evaluateTest(tf: Tfjs, model: TF.LayersModel, prep: PreparedForecast, target: Float64Array, config: RunConfig) {
  const { test, horizon, targetScaler, outputSteps } = prep
  const out = tf.tidy(() => {
    const x = tf.tensor3d(test.x, [test.count, prep.window, prep.featureCount])
    return (model.predict(x, { batchSize: 512 }) as TF.Tensor).dataSync() as Float32Array
  })
  const predicted = new Float64Array(test.count * horizon)
  for (let w = 0; w < test.count; w++) {
    for (let h = 0; h < horizon; h++) {
      // many-to-many scores its last output, the one-step forecast after the window.
      const k = prep.layout === 'many-to-many' ? w * outputSteps + outputSteps - 1 : w * outputSteps + h
      predicted[w * horizon + h] = unscale(targetScaler, out[k])
    }
  }
  return evaluateForecast({
    target,
    targetStart: test.targetStart,
    horizon,
    predicted,
    trainEnd: prep.bounds.trainEnd,
    seasonalPeriod: config.evaluation.seasonalPeriod,
    movingAverageWindow: config.evaluation.movingAverageWindow ?? config.window
  })
}

