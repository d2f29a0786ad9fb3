/** Messages between the worker pool (main thread) and a training worker. */
import type { Artifact, BackendName, BackendReport, EpochRecord, Predictions, RunMetrics, TextMetrics } from '../../src-shared/domain'
import type { ForecastConfig } from '../../src-shared/forecast-config'
import type { TextConfig } from '../../src-shared/text-config'
import type { BatchProgress } from '../engine/fit-loop'
import type { TextData } from '../engine/train-text'

export interface WorkerInit {
  workerIndex: number
  allowNative: boolean
  /** Restrict backend selection (tests, or a forced backend). */
  backends?: BackendName[]
  /** Diagnostics: run a full GC after every epoch (soak test). */
  gcEachEpoch?: boolean
  /** Int32Array over it: how many workers are training now (shared by the whole pool). */
  busyWorkers: SharedArrayBuffer
  /** CPU cores of the machine. */
  cores: number
}

/** Resumable checkpoints of a training job (in `<artifactsDir>/checkpoint`). */
export interface CheckpointPlan {
  /** Least milliseconds between two checkpoints (0: after every epoch). */
  everyMs: number
  /** Continue from this checkpoint folder instead of starting afresh. */
  resumeFrom: string | null
}

/**
 * What a job asks of a worker. Training jobs save models (best/ when it improves, final/ at the end)
 * and, with a plan, resumable checkpoints in `artifactsDir`.
 */
export type JobPayload =
  | {
      type: 'train-forecast'
      config: ForecastConfig
      columns: Record<string, Float64Array>
      artifactsDir: string | null
      checkpoint?: CheckpointPlan
    }
  | { type: 'train-text'; config: TextConfig; text: TextData; artifactsDir: string | null; checkpoint?: CheckpointPlan }
  | {
      type: 'sample'
      config: TextConfig
      text: Pick<TextData, 'vocabulary' | 'tokens'>
      modelDir: string
      prime: string
      temperature: number
      topK: number | null
      length: number
      seed: number
    }
  | { type: 'predict'; config: ForecastConfig; columns: Record<string, Float64Array>; modelDir: string; steps: number }
  | { type: 'probe-forecast'; config: ForecastConfig; columns: Record<string, Float64Array> }
  | { type: 'probe-text'; config: TextConfig; text: TextData }

export type Job = JobPayload & {
  jobId: string
  /** Int32Array view over it: index 0 set to 1 means cancel before the next batch. */
  cancelFlag: SharedArrayBuffer
}

export type JobResult =
  | { kind: 'forecast'; metrics: RunMetrics; predictions: Predictions }
  | { kind: 'text'; metrics: TextMetrics; sample: string }
  | { kind: 'sample'; text: string }
  | { kind: 'predict'; values: number[] }
  | { kind: 'probe'; msPerBatch: number; batchesPerEpoch: number; probeBatches: number; backend: string }

export type FromWorker =
  | { type: 'ready'; report: BackendReport }
  | { type: 'init-failed'; error: string }
  | { type: 'started'; jobId: string; report: BackendReport }
  | { type: 'progress'; jobId: string; progress: BatchProgress }
  /** numTensors: the worker's live tensor count after the epoch (leak checks in the soak test). */
  | { type: 'epoch'; jobId: string; record: EpochRecord; numTensors: number }
  | { type: 'artifact'; jobId: string; artifact: Artifact }
  | { type: 'model'; jobId: string; parameterCount: number }
  | { type: 'completed'; jobId: string; result: JobResult; numTensors: number }
  | { type: 'cancelled'; jobId: string }
  | { type: 'failed'; jobId: string; error: string }
