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
import { EtaClock } from './eta-clock'
import { nativeTrainStep, type BatchArrays } from './fused'
import { nextLearningRate, type Plateau } from './lr-schedule'
import { CancelledError, type FitSnapshot, type TrainHooks } from './train-hooks'

export { CancelledError, type BatchProgress, type CheckpointKind, type FitSnapshot, type FitState, type TrainHooks } from './train-hooks'

export type LossFn = (yTrue: TF.Tensor, yPred: TF.Tensor) => TF.Scalar

export interface FitTask {
  model: TF.LayersModel
  optimizer: TF.Optimizer
  training: TrainingConfig
  trainCount: number
  /** Input and target tensors of the training windows idx[from..to); the loop disposes them. */
  batch(idx: Int32Array, from: number, to: number): { x: TF.Tensor; y: TF.Tensor }
  /** The same batch as plain arrays, for the native training step (no tensors made); optional. */
  batchArrays?(idx: Int32Array, from: number, to: number): BatchArrays
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

/** Where the loop stands: fresh, or restored from a resumable checkpoint. */
interface LoopState {
  rand: ReturnType<typeof mulberry32>
  records: EpochRecord[]
  best: { loss: number; epoch: number; weights: TF.Tensor[] | null }
  lr: number
  plateau: Plateau
  /** The last completed epoch. */
  epoch: number
  started: number
  batchesDone: number
}

export async function fit(tf: Tfjs, task: FitTask, hooks: TrainHooks = {}): Promise<FitResult> {
  const { model, optimizer, training } = task
  const batches = Math.ceil(task.trainCount / training.batchSize)
  const state = await startOrResume(task, hooks, batches)
  const eta = new EtaClock(state.started, state.batchesDone, training.epochs * batches, hooks.progressIntervalMs ?? 100)
  const trainer = batchTrainer(tf, task)
  hooks.onModelBuilt?.(model.countParams())
  let stoppedEarly = false
  try {
    for (let epoch = state.epoch + 1; epoch <= training.epochs; epoch++) {
      const loss = await trainEpoch(task, hooks, state, eta, trainer.step, epoch, batches)
      trainer.sync()
      const record = await epochRecord(task, state, epoch, loss)
      state.records.push(record)
      await keepBest(model, hooks, state, record)
      hooks.onEpoch?.(record)
      const { earlyStopping } = training
      if (earlyStopping && record.valLoss !== null && epoch - state.best.epoch >= earlyStopping.patience) {
        stoppedEarly = true
        break
      }
      const next = nextLearningRate(training.lrSchedule, epoch, state.lr, state.plateau, record.valLoss)
      state.lr = next.lr
      state.plateau = next.plateau
      setLearningRate(optimizer, state.lr)
      state.epoch = epoch
      await hooks.onEpochEnd?.(snapshot(task, state, record))
    }
    return await finish(tf, task, hooks, state, stoppedEarly)
  } finally {
    trainer.sync()
    state.best.weights?.forEach((w) => w.dispose())
  }
}

/** A fresh loop from the seed, or the state a resumable checkpoint saved (its learning rate applied). */
async function startOrResume(task: FitTask, hooks: TrainHooks, batches: number): Promise<LoopState> {
  const { training, model, optimizer } = task
  const from = hooks.resume ? await hooks.resume(model, optimizer) : null
  const s = from?.state
  if (s) setLearningRate(optimizer, s.learningRate)
  return {
    rand: s ? seededRandom(s.rngState) : mulberry32(training.seed),
    records: [...(s?.history ?? [])],
    best: { loss: s?.bestLoss ?? Infinity, epoch: s?.bestEpoch ?? 0, weights: from?.bestWeights ?? null },
    lr: s?.learningRate ?? training.learningRate,
    plateau: { best: s?.plateau.best ?? Infinity, since: s?.plateau.since ?? 0 },
    epoch: s?.epoch ?? 0,
    started: Date.now() - (s?.elapsedMs ?? 0),
    batchesDone: (s?.epoch ?? 0) * batches
  }
}

type BatchStep = (idx: Int32Array, from: number, to: number) => Promise<number>

/**
 * One optimizer step on the windows idx[from..to) (returns the batch loss), and `sync`, called at every
 * epoch's end: the whole step runs in native code when the model and optimizer allow
 * (./fused/native-train-step.ts), which hands the weights and the optimizer's state back to tfjs at sync.
 */
function batchTrainer(tf: Tfjs, task: FitTask): { step: BatchStep; sync: () => void } {
  const { model, optimizer } = task
  const clipNorm = task.training.clipNorm ?? null
  const varList = model.trainableWeights.map((w) => w.read() as TF.Variable)
  const native = nativeTrainStep({ model, optimizer, loss: task.loss, varList, clipNorm })
  const tfjsStep = gradientStep(tf, task, varList)
  if (!native) return { step: tfjsStep, sync: () => {} }
  const step: BatchStep = async (idx, from, to) => {
    if (task.batchArrays) return native.step(task.batchArrays(idx, from, to))
    const { x, y } = task.batch(idx, from, to)
    try {
      return native.stepTensors(x, y)
    } finally {
      tf.dispose([x, y])
    }
  }
  return { step, sync: () => native.sync() }
}

/** The tfjs step: the loss, gradients (clipped), update. */
function gradientStep(tf: Tfjs, task: FitTask, varList: TF.Variable[]): BatchStep {
  const { model, optimizer } = task
  const { clipNorm } = task.training
  return async (idx, from, to) => {
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

/** The batches of one epoch in a seeded order, with cancellation and throttled progress; returns the mean training loss. */
async function trainEpoch(
  task: FitTask,
  hooks: TrainHooks,
  state: LoopState,
  eta: EtaClock,
  step: BatchStep,
  epoch: number,
  batches: number
): Promise<number> {
  const { batchSize, epochs } = task.training
  const order = shuffledIndices(task.trainCount, state.rand)
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
    state.batchesDone++
    const etaMs = eta.batchDone(state.batchesDone, b === batches - 1)
    if (hooks.onProgress && etaMs !== undefined) hooks.onProgress({ epoch, epochs, batch: b + 1, batches, loss: batchLoss, etaMs })
  }
  return lossSum / seen
}

/** The epoch's record: training loss, validation, the task's extras (accuracy, a sample). */
async function epochRecord(task: FitTask, state: LoopState, epoch: number, loss: number): Promise<EpochRecord> {
  const valLoss = await task.validate()
  const extras = (await task.epochExtras?.(epoch)) ?? {}
  return {
    epoch,
    loss,
    valLoss,
    elapsedMs: Date.now() - state.started,
    learningRate: state.lr,
    accuracy: null,
    valAccuracy: null,
    sample: null,
    samplePrime: null,
    ...extras
  }
}

/** A better validation loss keeps a copy of the weights aside (and tells onBest). */
async function keepBest(model: TF.LayersModel, hooks: TrainHooks, state: LoopState, record: EpochRecord): Promise<void> {
  if (record.valLoss === null || record.valLoss >= state.best.loss) return
  state.best.weights?.forEach((w) => w.dispose())
  state.best = { loss: record.valLoss, epoch: record.epoch, weights: model.getWeights().map((w) => w.clone()) }
  await hooks.onBest?.(model, record.epoch)
}

/** What a resumable checkpoint saves after an epoch (its schedule applied; Infinity stored as null). */
function snapshot(task: FitTask, state: LoopState, record: EpochRecord): FitSnapshot {
  const finite = (v: number) => (Number.isFinite(v) ? v : null)
  return {
    state: {
      epoch: record.epoch,
      rngState: state.rand.state(),
      learningRate: state.lr,
      plateau: { best: finite(state.plateau.best), since: state.plateau.since },
      bestLoss: finite(state.best.loss),
      bestEpoch: state.best.epoch,
      elapsedMs: record.elapsedMs,
      history: state.records
    },
    model: task.model,
    optimizer: task.optimizer,
    bestWeights: state.best.weights
  }
}

/** The final and best checkpoints, the weights the caller evaluates (best when restored), and which ones those are. */
async function finish(tf: Tfjs, task: FitTask, hooks: TrainHooks, state: LoopState, stoppedEarly: boolean): Promise<FitResult> {
  const { model } = task
  const { best, records } = state
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
    epochsPlanned: task.training.epochs,
    stoppedEarly
  }
  return { records, stoppedEarly, bestEpoch: best.weights ? best.epoch : null, evaluatedWith }
}
