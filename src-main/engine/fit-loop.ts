/**
 * The training loop shared by every task: seeded batch order, a gradient step with optional clipping,
 * per-epoch validation, learning-rate schedules, early stopping, the best weights kept aside,
 * cancellation before each batch, throttled progress, and the final/best checkpoints.
 */
import type * as TF from '@tensorflow/tfjs'
import type { EpochRecord, EvaluatedWith } from '../../src-shared/domain'
import { mulberry32, seededRandom, shuffledIndices } from '../../src-shared/random'
import type { TrainingConfig } from '../../src-shared/model-config'
import type { Tfjs } from './backends'
import { setLearningRate } from './build-model'

export interface BatchProgress {
  epoch: number
  epochs: number
  batch: number
  batches: number
  loss: number | null
  etaMs: number | null
}

export type CheckpointKind = 'best' | 'final'

/** Where the loop stands after a completed epoch: what a resumed run needs besides weights and optimizer. */
export interface FitState {
  /** The last completed epoch. */
  epoch: number
  /** Position of the seeded batch-order RNG after that epoch. */
  rngState: number
  learningRate: number
  /** Reduce-on-plateau's best value and epochs since (Infinity is stored as null). */
  plateau: { best: number | null; since: number }
  /** Lowest validation loss so far and its epoch (early stopping counts from it). */
  bestLoss: number | null
  bestEpoch: number
  elapsedMs: number
  /** Every epoch's record up to `epoch` (a resumed run's record is restored from these). */
  history: EpochRecord[]
}

export interface FitSnapshot {
  state: FitState
  model: TF.LayersModel
  optimizer: TF.Optimizer
  bestWeights: TF.Tensor[] | null
}

/** A run continued from a checkpoint: its state and best weights (the loop owns and disposes them). */
export interface ResumePoint {
  state: FitState
  bestWeights: TF.Tensor[] | null
}

export interface TrainHooks {
  onProgress?(p: BatchProgress): void
  onEpoch?(record: EpochRecord): void
  /** Checked before every batch; true stops the run with a CancelledError. */
  isCancelled?(): boolean
  /** Milliseconds between progress callbacks (default 100: at most 10 a second). */
  progressIntervalMs?: number
  /** Called at the end with the model holding the final, then the best weights. */
  onCheckpoint?(kind: CheckpointKind, model: TF.LayersModel, epoch: number): Promise<void>
  /** Called once the model is built, before training: its parameter count as tfjs counts it. */
  onModelBuilt?(parameterCount: number): void
  /** The model whenever validation improves (the best so far, saved at once rather than at the end). */
  onBest?(model: TF.LayersModel, epoch: number): Promise<void>
  /** After each completed epoch (its schedule applied): the caller may save a resumable checkpoint. */
  onEpochEnd?(snapshot: FitSnapshot): Promise<void>
  /** Continues a run: loads a checkpoint into the fresh model and optimizer and says where it stopped. */
  resume?(model: TF.LayersModel, optimizer: TF.Optimizer): Promise<ResumePoint>
}

export class CancelledError extends Error {
  constructor() {
    super('Run cancelled')
    this.name = 'CancelledError'
  }
}

export type LossFn = (yTrue: TF.Tensor, yPred: TF.Tensor) => TF.Scalar

/** Batches left out of the ETA's rate (warm-up). */
const ETA_WARMUP_BATCHES = 2

export interface FitTask {
  model: TF.LayersModel
  optimizer: TF.Optimizer
  training: TrainingConfig
  trainCount: number
  /** Input and target tensors of the training windows idx[from..to); the loop disposes them. */
  batch(idx: Int32Array, from: number, to: number): { x: TF.Tensor; y: TF.Tensor }
  loss: LossFn
  /** Validation loss, or null without a validation part. */
  validate(): Promise<number | null>
  /** Extra per-epoch figures (accuracy, a text sample), computed after validation. */
  epochExtras?(epoch: number): Promise<Partial<EpochRecord>>
  /** Whether the best weights are put back at the end (early stopping's restore-best). */
  restoreBest: boolean
}

export interface FitResult {
  records: EpochRecord[]
  stoppedEarly: boolean
  bestEpoch: number | null
  /** The weights the model holds at the end (what the caller then evaluates). */
  evaluatedWith: EvaluatedWith
}

/** Clips gradients to a global norm (Keras `clipnorm` applied to all gradients together). */
function clipByGlobalNorm(tf: Tfjs, grads: TF.NamedTensorMap, clipNorm: number): TF.NamedTensorMap {
  return tf.tidy(() => {
    const names = Object.keys(grads)
    const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n])))))
    const factor = tf.div(clipNorm, tf.maximum(norm, clipNorm))
    const out: TF.NamedTensorMap = {}
    for (const n of names) out[n] = tf.mul(grads[n], factor)
    return out
  })
}

export async function fit(tf: Tfjs, task: FitTask, hooks: TrainHooks = {}): Promise<FitResult> {
  const { model, optimizer, training } = task
  const { epochs, batchSize, seed, earlyStopping, lrSchedule, clipNorm } = training
  const varList = model.trainableWeights.map((w) => w.read() as TF.Variable)
  const from = hooks.resume ? await hooks.resume(model, optimizer) : null
  const s = from?.state
  const rand = s ? seededRandom(s.rngState) : mulberry32(seed)
  const batches = Math.ceil(task.trainCount / batchSize)
  const interval = hooks.progressIntervalMs ?? 100
  const started = Date.now() - (s?.elapsedMs ?? 0)
  const records: EpochRecord[] = [...(s?.history ?? [])]
  let best = { loss: s?.bestLoss ?? Infinity, epoch: s?.bestEpoch ?? 0, weights: from?.bestWeights ?? null }
  let lr = s?.learningRate ?? training.learningRate
  let plateau = { best: s?.plateau.best ?? Infinity, since: s?.plateau.since ?? 0 }
  let stoppedEarly = false
  let lastProgress = 0
  let batchesDone = (s?.epoch ?? 0) * batches
  if (s) setLearningRate(optimizer, lr)
  // The ETA's rate leaves out the first batches this process trains (a resumed run starts mid-way).
  const resumedAt = batchesDone
  let warmAt = started
  const totalBatches = epochs * batches
  hooks.onModelBuilt?.(model.countParams())

  const step = async (idx: Int32Array, from: number, to: number): Promise<number> => {
    const { x, y } = task.batch(idx, from, to)
    try {
      const { value, grads } = tf.variableGrads(() => task.loss(y, model.apply(x, { training: true }) as TF.Tensor), varList)
      const applied = clipNorm ? clipByGlobalNorm(tf, grads, clipNorm) : grads
      optimizer.applyGradients(applied)
      const v = (await value.data())[0]
      tf.dispose([value, grads, applied])
      return v
    } finally {
      tf.dispose([x, y])
    }
  }

  try {
    for (let epoch = (s?.epoch ?? 0) + 1; epoch <= epochs; epoch++) {
      const order = shuffledIndices(task.trainCount, rand)
      let lossSum = 0
      let seen = 0
      for (let b = 0; b < batches; b++) {
        if (hooks.isCancelled?.()) throw new CancelledError()
        const from = b * batchSize
        const to = Math.min(task.trainCount, from + batchSize)
        const batchLoss = await step(order, from, to)
        if (!Number.isFinite(batchLoss)) {
          throw new Error(`The loss became ${batchLoss} in epoch ${epoch}, batch ${b + 1}: lower the learning rate or set clipNorm`)
        }
        lossSum += batchLoss * (to - from)
        seen += to - from
        batchesDone++
        const now = Date.now()
        // The first batches include warm-up (several times slower): the ETA's rate counts from after them.
        if (batchesDone - resumedAt === ETA_WARMUP_BATCHES) warmAt = now
        if (hooks.onProgress && (now - lastProgress >= interval || b === batches - 1)) {
          lastProgress = now
          const trained = batchesDone - resumedAt
          const perBatch = trained > ETA_WARMUP_BATCHES ? (now - warmAt) / (trained - ETA_WARMUP_BATCHES) : null
          hooks.onProgress({
            epoch,
            epochs,
            batch: b + 1,
            batches,
            loss: batchLoss,
            etaMs: perBatch === null ? null : perBatch * (totalBatches - batchesDone)
          })
        }
      }
      const valLoss = await task.validate()
      const extras = (await task.epochExtras?.(epoch)) ?? {}
      const record: EpochRecord = {
        epoch,
        loss: lossSum / seen,
        valLoss,
        elapsedMs: Date.now() - started,
        learningRate: lr,
        accuracy: null,
        valAccuracy: null,
        sample: null,
        samplePrime: null,
        ...extras
      }
      records.push(record)
      if (valLoss !== null && valLoss < best.loss) {
        best.weights?.forEach((w) => w.dispose())
        best = { loss: valLoss, epoch, weights: model.getWeights().map((w) => w.clone()) }
        await hooks.onBest?.(model, epoch)
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
      const finite = (v: number) => (Number.isFinite(v) ? v : null)
      await hooks.onEpochEnd?.({
        state: {
          epoch,
          rngState: rand.state(),
          learningRate: lr,
          plateau: { best: finite(plateau.best), since: plateau.since },
          bestLoss: finite(best.loss),
          bestEpoch: best.epoch,
          elapsedMs: record.elapsedMs,
          history: records
        },
        model,
        optimizer,
        bestWeights: best.weights
      })
    }

    await hooks.onCheckpoint?.('final', model, records.at(-1)?.epoch ?? 0)
    if (best.weights) {
      const finalWeights = model.getWeights().map((w) => w.clone())
      model.setWeights(best.weights)
      // With onBest the best model is on disk already.
      if (!hooks.onBest) await hooks.onCheckpoint?.('best', model, best.epoch)
      if (!task.restoreBest) model.setWeights(finalWeights)
      tf.dispose(finalWeights)
    }
    const lastEpoch = records.at(-1)?.epoch ?? 0
    const restored = best.weights !== null && task.restoreBest
    const evaluatedWith: EvaluatedWith = {
      checkpoint: restored ? 'best' : 'final',
      epoch: restored ? best.epoch : lastEpoch,
      epochsRun: lastEpoch,
      epochsPlanned: epochs,
      stoppedEarly
    }
    return { records, stoppedEarly, bestEpoch: best.weights ? best.epoch : null, evaluatedWith }
  } finally {
    best.weights?.forEach((w) => w.dispose())
  }
}

/** The probe's passes: at least 3 (the first ones run while wasm code is still being optimised), at most 10. */
export const PROBE_PASSES = { min: 3, max: 10, budgetMs: 3000 }

/**
 * Whether the probe's pass times (ms per pass, warm-up first) have settled: the last two within 15 %
 * of each other after the minimum passes, or the time budget spent.
 */
export function probeSettled(passMs: readonly number[], spentMs: number): boolean {
  if (passMs.length >= PROBE_PASSES.max || (passMs.length >= PROBE_PASSES.min && spentMs >= PROBE_PASSES.budgetMs)) return true
  if (passMs.length < PROBE_PASSES.min) return false
  const [a, b] = passMs.slice(-2) as [number, number]
  return Math.abs(a - b) <= 0.15 * Math.max(a, b)
}

/**
 * Steady-state ms per batch from the probe's pass times: the faster of the last two passes (never the
 * first when there are more). Warm-up (wasm tier-up, first-use allocations) makes the early passes
 * several times slower than training runs.
 */
export function steadyMsPerBatch(passMs: readonly number[], batchesPerPass: number): number {
  const warm = passMs.length > 1 ? passMs.slice(1) : passMs
  return Math.min(...warm.slice(-2)) / batchesPerPass
}

/**
 * Milliseconds per training batch of a task: passes over `batches` batches until their times settle
 * (warm-up excluded), with a throw-away copy of the training settings (the caller disposes the model).
 */
export async function probe(
  tf: Tfjs,
  task: Pick<FitTask, 'model' | 'optimizer' | 'loss' | 'batch' | 'training' | 'trainCount'>,
  batches: number
): Promise<{ msPerBatch: number; batchesPerEpoch: number; probeBatches: number }> {
  const { batchSize } = task.training
  const probeBatches = Math.max(1, Math.min(batches, Math.ceil(task.trainCount / batchSize)))
  const started = Date.now()
  const ends: number[] = [0]
  const passMs = () => ends.slice(1).map((e, i) => e - ends[i]!)
  try {
    await fit(
      tf,
      {
        ...task,
        training: { ...task.training, epochs: PROBE_PASSES.max, earlyStopping: null, lrSchedule: null },
        trainCount: Math.min(task.trainCount, probeBatches * batchSize),
        validate: async () => null,
        restoreBest: false
      },
      { onEpoch: (r) => ends.push(r.elapsedMs), isCancelled: () => probeSettled(passMs(), Date.now() - started) }
    )
  } catch (err) {
    if (!(err instanceof CancelledError)) throw err
  }
  return { msPerBatch: steadyMsPerBatch(passMs(), probeBatches), batchesPerEpoch: Math.ceil(task.trainCount / batchSize), probeBatches }
}
