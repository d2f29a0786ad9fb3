/** Names in Redis: BullMQ's prefix and queues, and this app's own keys (all under one prefix). */
export const PREFIX = 'rnnlab'

/** Runs for any worker, and runs that asked for a GPU (only workers with one take those). */
export const QUEUE = { any: 'train', gpu: 'train-gpu' } as const
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE]

export const keys = {
  /** A dataset blob under its sha256 (set once, read by every worker that lacks it). */
  dataset: (sha256: string) => `${PREFIX}:dataset:${sha256}`,
  /** The durable stream of a run's results: epochs, progress, models, its end. */
  runStream: (runId: string) => `${PREFIX}:run:${runId}:stream`,
  /** Set by the owner to cancel a run; workers poll it while training. */
  cancel: (runId: string) => `${PREFIX}:run:${runId}:cancel`,
  /** A worker's heartbeat (JSON, with a time-to-live). */
  worker: (id: string) => `${PREFIX}:worker:${id}`,
  workerPattern: `${PREFIX}:worker:*`
}

/** Seconds a heartbeat lives; workers refresh it every third of that. */
export const HEARTBEAT_TTL_S = 15
