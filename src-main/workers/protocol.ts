/** Messages between the worker pool (main thread) and a training worker. */
import type { Artifact, BackendName, BackendReport, EpochRecord, Predictions, RunMetrics } from '../../src-shared/domain'
import type { RunConfig } from '../../src-shared/run-config'
import type { BatchProgress } from '../engine/train-forecast'

export interface WorkerInit {
  workerIndex: number
  allowNative: boolean
  /** Restrict backend selection (tests, or a forced backend). */
  backends?: BackendName[]
}

export interface TrainJob {
  type: 'train'
  jobId: string
  config: RunConfig
  columns: Record<string, Float64Array>
  /** Folder for this run's checkpoints (best/ and final/ in TF.js layers format). */
  artifactsDir: string | null
  /** Int32Array view over it: index 0 set to 1 means cancel before the next batch. */
  cancelFlag: SharedArrayBuffer
}

export type ToWorker = TrainJob

export type FromWorker =
  | { type: 'ready'; report: BackendReport }
  | { type: 'init-failed'; error: string }
  | { type: 'started'; jobId: string; report: BackendReport }
  | { type: 'progress'; jobId: string; progress: BatchProgress }
  | { type: 'epoch'; jobId: string; record: EpochRecord }
  | { type: 'artifact'; jobId: string; artifact: Artifact }
  | { type: 'completed'; jobId: string; metrics: RunMetrics; predictions: Predictions; numTensors: number }
  | { type: 'cancelled'; jobId: string }
  | { type: 'failed'; jobId: string; error: string }
