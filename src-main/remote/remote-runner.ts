/**
 * The owner's queue (the core's RemotePort on BullMQ): adds a training job per run (job id = run id,
 * so adding twice is a no-op), stores its dataset once per content hash, follows its result stream,
 * watches the job's state for a final failure, cancels, and reports the queue and its workers.
 */
import { Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import { redactQueueUrl, WorkerHeartbeat, type RemoteJobData } from '../../src-shared/remote'
import { writeVocabulary } from '../engine/vocabulary-file'
import type { FollowedRun, RemoteEnd, RemoteMessage, RemotePort, TrainPayload } from '../services/remote-port'
import { uploadDataset } from './dataset-transfer'
import { HEARTBEAT_TTL_S, keys, PREFIX, QUEUE, type QueueName } from './keys'
import { openRedis, unreachable } from './redis-connection'
import { ResultStreams } from './result-streams'

export interface RunnerOptions {
  /** Attempts per run (a retry after a failure, a hand-over after a lost worker); default 3. */
  attempts?: number
  /** How often job states are checked for a final failure, in ms. */
  watchMs?: number
}

export class RemoteRunner implements RemotePort {
  readonly url: string
  private readonly redis: Redis
  private readonly reader: Redis
  private readonly queues: Record<QueueName, Queue>
  private readonly streams: ResultStreams
  private lastError: string | null = null
  private readonly watch: NodeJS.Timeout

  constructor(
    private readonly rawUrl: string,
    private readonly options: RunnerOptions = {}
  ) {
    this.url = redactQueueUrl(rawUrl)
    this.redis = openRedis(rawUrl)
    this.reader = openRedis(rawUrl)
    const onError = (err: unknown) => (this.lastError = unreachable(rawUrl, err).message)
    this.redis.on('error', onError)
    this.redis.on('ready', () => (this.lastError = null))
    this.queues = {
      [QUEUE.any]: new Queue(QUEUE.any, { connection: this.redis, prefix: PREFIX }),
      [QUEUE.gpu]: new Queue(QUEUE.gpu, { connection: this.redis, prefix: PREFIX })
    }
    for (const q of Object.values(this.queues)) q.on('error', onError)
    this.streams = new ResultStreams(this.reader, onError)
    this.watch = setInterval(() => void this.watchJobs().catch(onError), options.watchMs ?? 1000)
  }

  unavailable(): string | null {
    // While the first connection is being made, commands wait for it; after an error, they are refused.
    if (this.redis.status === 'ready') return null
    return this.lastError
  }

  queueFor(gpu: boolean): QueueName {
    return gpu ? QUEUE.gpu : QUEUE.any
  }

  async submit(run: FollowedRun, payload: TrainPayload, gpu: boolean, listener: (m: RemoteMessage) => void): Promise<RemoteEnd> {
    const content =
      payload.type === 'train-forecast'
        ? { kind: 'series' as const, columns: payload.columns }
        : { kind: 'text' as const, text: payload.text }
    if (payload.type === 'train-text') writeVocabulary(run.artifactsDir, payload.text)
    const data: RemoteJobData = {
      v: 1,
      runId: run.runId,
      datasetHash: await uploadDataset(this.redis, content),
      config: payload.config,
      gpu
    }
    const attempts = this.options.attempts ?? 3
    await this.queue(run.queue).add('train', data, {
      jobId: run.runId,
      attempts,
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 7 * 24 * 3600 }
    })
    return this.follow(run, listener)
  }

  follow(run: FollowedRun, listener: (m: RemoteMessage) => void): Promise<RemoteEnd> {
    return this.streams.follow(run, listener)
  }

  async cancel(runId: string, queue: string): Promise<void> {
    await this.redis.set(keys.cancel(runId), '1', 'EX', 7 * 24 * 3600)
    const job = await this.queue(queue).getJob(runId)
    const state = await job?.getState()
    if (job && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) {
      // Not taken yet: it leaves the queue (removal fails harmlessly if a worker took it meanwhile).
      const removed = await job.remove().then(
        () => true,
        () => false
      )
      if (removed) this.streams.end(runId, { type: 'cancelled', jobId: runId })
    }
  }

  async acknowledge(runId: string): Promise<void> {
    await this.redis.del(keys.runStream(runId), keys.cancel(runId))
  }

  /** A job that failed for good (its attempts used) ends its run with the last reason; so does a lost one. */
  private async watchJobs(): Promise<void> {
    if (this.redis.status !== 'ready') return
    for (const run of this.streams.followed()) {
      const job = await this.queue(run.queue).getJob(run.runId)
      if (!job) {
        // Neither the job nor its results: Redis lost them (flushed, or restarted without persistence).
        if (!(await this.redis.exists(keys.runStream(run.runId))))
          this.streams.end(run.runId, {
            type: 'failed',
            jobId: run.runId,
            error: `The queue at ${this.url} no longer has this run's job or results`
          })
        continue
      }
      const state = await job.getState()
      if (state === 'failed') {
        const reason = job.failedReason || 'the job failed'
        this.streams.end(run.runId, {
          type: 'failed',
          jobId: run.runId,
          error: `Failed on the queue after ${job.attemptsMade} attempt(s): ${reason}`
        })
      }
    }
  }

  async status() {
    const base = { url: this.url, workers: [] as WorkerHeartbeat[], waiting: 0, active: 0 }
    const error = this.unavailable()
    if (error || this.redis.status !== 'ready') return { ...base, connected: false, error }
    const counts = await Promise.all(Object.values(this.queues).map((q) => q.getJobCounts('waiting', 'prioritized', 'delayed', 'active')))
    return {
      ...base,
      connected: true,
      error: null,
      workers: await this.workers(),
      waiting: counts.reduce((n, c) => n + (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0), 0),
      active: counts.reduce((n, c) => n + (c.active ?? 0), 0)
    }
  }

  /** Workers whose heartbeat has not expired (each lives HEARTBEAT_TTL_S seconds). */
  private async workers(): Promise<WorkerHeartbeat[]> {
    const found: string[] = []
    let cursor = '0'
    for (let i = 0; i < 100; i++) {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', keys.workerPattern, 'COUNT', 200)
      found.push(...batch)
      cursor = next
      if (cursor === '0') break
    }
    if (found.length === 0) return []
    const values = await this.redis.mget(...found)
    const seenSince = Date.now() - HEARTBEAT_TTL_S * 1000
    return values
      .map((v) => WorkerHeartbeat.safeParse(safeJson(v)))
      .flatMap((r) => (r.success && Date.parse(r.data.seenAt) >= seenSince ? [r.data] : []))
      .sort((a, b) => a.host.localeCompare(b.host) || a.id.localeCompare(b.id))
  }

  private queue(name: string): Queue {
    return this.queues[name as QueueName] ?? this.queues[QUEUE.any]
  }

  async close(): Promise<void> {
    clearInterval(this.watch)
    await this.streams.close()
    await Promise.all(Object.values(this.queues).map((q) => q.close().catch(() => {})))
    this.reader.disconnect()
    this.redis.disconnect()
  }
}

function safeJson(v: string | null): unknown {
  try {
    return v ? JSON.parse(v) : null
  } catch {
    return null
  }
}
