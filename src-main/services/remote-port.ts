/**
 * The port through which the core sends runs to other machines (implemented by src-main/remote/ on
 * BullMQ and Redis). The core knows only this: submit a training job, follow a run's results, cancel,
 * acknowledge a recorded end, and the queue's status.
 */
import type { RemoteStatus } from '../../src-shared/remote'
import type { JobPayload } from '../workers/protocol'
import type { JobEnd, JobListener } from '../workers/worker-pool'

/** What a remote run reports: the local messages, each tagged with its attempt, and each new attempt. */
export type RemoteMessage =
  | (Parameters<JobListener>[0] & { attempt: number })
  | { type: 'attempt'; attempt: number; host: string; workerId: string; note: string | null }

/** A remote run's end; 'detached' when the core closes first (the run goes on, its results wait in Redis). */
export type RemoteEnd = JobEnd | { type: 'detached'; jobId: string }

export interface FollowedRun {
  runId: string
  queue: string
  /** The owner's run folder: saved models arrive here. */
  artifactsDir: string
  /** The attempt already recorded; entries of older attempts are ignored. */
  attempt: number
}

export type TrainPayload = Extract<JobPayload, { type: 'train-forecast' | 'train-text' }>

export interface RemotePort {
  /** The queue URL with its password replaced by ***. */
  readonly url: string
  /** Null while Redis answers; else the reason it does not (the URL redacted). */
  unavailable(): string | null
  /** The queue a run goes to (any worker, or one with a GPU). */
  queueFor(gpu: boolean): string
  submit(run: FollowedRun, payload: TrainPayload, gpu: boolean, listener: (m: RemoteMessage) => void): Promise<RemoteEnd>
  follow(run: FollowedRun, listener: (m: RemoteMessage) => void): Promise<RemoteEnd>
  cancel(runId: string, queue: string): Promise<void>
  /** The end is recorded: the run's stream and keys may go. */
  acknowledge(runId: string): Promise<void>
  status(): Promise<Omit<RemoteStatus, 'source' | 'sendRuns'>>
  close(): Promise<void>
}
