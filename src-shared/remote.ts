/**
 * Remote training through a queue (BullMQ on Redis): the job a worker machine receives, the entries it
 * streams back to the owner, its heartbeat, and the queue's status as the UI shows it. Everything that
 * crosses Redis is validated by these schemas on arrival, in both directions: a job is hostile until
 * `RemoteJobData` accepts it, an entry until `RemoteEntry` does.
 */
import { z } from 'zod'
import { BackendReport, EpochRecord, Predictions, RunMetrics, TextMetrics } from './domain'
import { RunConfig } from './run-config'

/** A run id as the core makes them (`run_<time>_<hex>`): safe as a Redis key part and a folder name. */
export const RunId = z.string().regex(/^run_[a-z0-9]{1,16}_[a-f0-9]{8}$/)
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/)

/** What a training job carries: the run's id, its config (with its seed) and the dataset's content hash. */
export const RemoteJobData = z.strictObject({
  v: z.literal(1),
  runId: RunId,
  /** sha256 of the dataset blob stored in Redis (fetched once per hash, verified on arrival). */
  datasetHash: Sha256,
  config: RunConfig,
  gpu: z.boolean()
})
export type RemoteJobData = z.infer<typeof RemoteJobData>

const FileName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/)
  .refine((n) => !n.includes('..'), 'no ".."')

const Progress = z.object({
  epoch: z.number().int(),
  epochs: z.number().int(),
  batch: z.number().int(),
  batches: z.number().int(),
  loss: z.number().nullable(),
  etaMs: z.number().nullable()
})

export const RemoteResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('forecast'), metrics: RunMetrics, predictions: Predictions }),
  z.object({ kind: z.literal('text'), metrics: TextMetrics, sample: z.string() })
])

/** One entry of a run's result stream; `attempt` counts from 1 (a retry or a hand-over adds one). */
export const RemoteEntry = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('attempt'),
    attempt: z.number().int().min(1),
    host: z.string().max(255),
    workerId: z.string().max(200),
    /** Why this attempt exists when it is not the first (e.g. restarted after a worker was lost). */
    note: z.string().max(1000).nullable()
  }),
  z.object({ type: z.literal('started'), attempt: z.number().int().min(1), report: BackendReport }),
  z.object({ type: z.literal('progress'), attempt: z.number().int().min(1), progress: Progress }),
  z.object({ type: z.literal('epoch'), attempt: z.number().int().min(1), record: EpochRecord }),
  z.object({ type: z.literal('model'), attempt: z.number().int().min(1), parameterCount: z.number().int() }),
  z.object({
    type: z.literal('artifact'),
    attempt: z.number().int().min(1),
    /** A saved model (a worker keeps no resumable checkpoints: a hand-over restarts the attempt). */
    kind: z.enum(['best', 'final']),
    epoch: z.number().int().nullable(),
    /** The saved model's files (model.json, weights), base64. */
    files: z.array(z.object({ name: FileName, base64: z.string() })).max(20)
  }),
  z.object({ type: z.literal('completed'), attempt: z.number().int().min(1), result: RemoteResult }),
  z.object({ type: z.literal('cancelled'), attempt: z.number().int().min(1) }),
  z.object({ type: z.literal('failed'), attempt: z.number().int().min(1), error: z.string().max(10_000) })
])
export type RemoteEntry = z.infer<typeof RemoteEntry>

/** What a worker process writes into Redis every few seconds (with a time-to-live). */
export const WorkerHeartbeat = z.object({
  id: z.string().max(200),
  host: z.string().max(255),
  backend: z.string().max(50),
  threads: z.number().int(),
  busy: z.number().int(),
  gpu: z.boolean(),
  startedAt: z.string(),
  seenAt: z.string()
})
export type WorkerHeartbeat = z.infer<typeof WorkerHeartbeat>

export const RemoteStatus = z.object({
  /** The queue URL with its password replaced by ***; null when no queue is configured. */
  url: z.string().nullable(),
  /** Where the URL came from: the command line (--queue) or the saved setting. */
  source: z.enum(['command-line', 'settings']).nullable(),
  connected: z.boolean(),
  error: z.string().nullable(),
  workers: z.array(WorkerHeartbeat),
  waiting: z.number().int(),
  active: z.number().int(),
  /** New runs from the UI go to the queue (a saved preference). */
  sendRuns: z.boolean()
})
export type RemoteStatus = z.infer<typeof RemoteStatus>

/** Where a run trains: the local worker pool, or the queue (any worker, or one with a GPU). */
export const RunTarget = z.enum(['local', 'remote', 'remote-gpu'])
export type RunTarget = z.infer<typeof RunTarget>

/** The URL with any password replaced by ***, safe for logs, errors and the UI. */
export function redactQueueUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return url.replace(/:\/\/[^@/]*@/, '://***@')
  }
}

/** A queue URL: redis:// or rediss:// (TLS), with an optional user, password and database number. */
export const QueueUrl = z
  .string()
  .max(2000)
  .refine((s) => {
    try {
      const u = new URL(s)
      return (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname !== '' && /^(\/\d{0,2})?$/.test(u.pathname)
    } catch {
      return false
    }
  }, 'a queue URL is redis://[user:password@]host:port[/db] or rediss://… for TLS')
