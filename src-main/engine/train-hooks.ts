/**
 * What a training loop tells its caller and asks of it: progress, epochs, checkpoints, cancellation and
 * resuming (the worker supplies these hooks; fit-loop.ts calls them).
 */
import type * as TF from '@tensorflow/tfjs'
import type { EpochRecord } from '../../src-shared/domain'

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
