/**
 * A worker machine (`rnn-lab worker --queue URL`): takes training jobs from the queue with BullMQ and
 * trains them on a local worker pool of N threads, the same pool a local run uses. It heartbeats into
 * Redis (host, backend, threads, busy, GPU) with a time-to-live, polls the owner's cancel flags while
 * training, and takes GPU jobs too when it has a GPU. A worker that dies stops renewing its job's lock:
 * BullMQ's stalled-job check hands the job to another worker.
 */
import { randomBytes } from 'node:crypto'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'bullmq'
import type { Redis } from 'ioredis'
import type { BackendName } from '../../src-shared/domain'
import { redactQueueUrl, type WorkerHeartbeat } from '../../src-shared/remote'
import { WorkerPool } from '../workers/worker-pool'
import { HEARTBEAT_TTL_S, keys, PREFIX, QUEUE } from './keys'
import { checkReachable, openRedis } from './redis-connection'
import { runTrainJob } from './train-job'

export interface RemoteWorkerOptions {
  url: string
  threads: number
  /** The built train worker (or a test bootstrap), as for the local pool. */
  script: string | URL
  execArgv?: string[]
  backends?: BackendName[]
  /** Take jobs that ask for a GPU (also on when the first thread selected tensorflow-gpu). */
  gpu?: boolean
  /** Where fetched datasets are cached by hash. */
  cacheDir?: string
  /** BullMQ lock duration in ms: a lost worker's job moves on after about this long (default 30 s). */
  lockMs?: number
  name?: string
  log?: (line: string) => void
}

export class RemoteWorker {
  readonly id: string
  readonly host = hostname()
  private readonly redis: Redis
  private readonly pool: WorkerPool
  private readonly workers: Worker[] = []
  private readonly running = new Map<string, string>()
  private readonly timers: NodeJS.Timeout[] = []
  private backend = 'starting'
  private gpu = false
  private readonly startedAt = new Date().toISOString()

  constructor(private readonly options: RemoteWorkerOptions) {
    this.id = options.name ?? `${this.host}-${process.pid}-${randomBytes(2).toString('hex')}`
    this.redis = openRedis(options.url)
    this.pool = new WorkerPool({ size: options.threads, script: options.script, execArgv: options.execArgv, backends: options.backends })
  }

  async start(): Promise<void> {
    await checkReachable(this.options.url)
    const reports = await this.pool.reports()
    this.backend = reports[0]?.selected ?? 'unknown'
    this.gpu = Boolean(this.options.gpu) || this.backend === 'tensorflow-gpu'
    const lockDuration = this.options.lockMs ?? 30_000
    const queues = this.gpu ? [QUEUE.gpu, QUEUE.any] : [QUEUE.any]
    for (const name of queues) {
      const worker = new Worker(name, (job) => this.process(job), {
        connection: openRedis(this.options.url),
        prefix: PREFIX,
        concurrency: this.options.threads,
        lockDuration,
        stalledInterval: Math.max(500, Math.floor(lockDuration / 2)),
        maxStalledCount: 2
      })
      worker.on('error', (err) => this.log(`queue error: ${err.message}`))
      worker.on('failed', (job, err) => this.log(`run ${job?.id ?? '?'} failed here: ${err.message}`))
      this.workers.push(worker)
    }
    await this.heartbeat()
    this.timers.push(setInterval(() => void this.heartbeat().catch(() => {}), (HEARTBEAT_TTL_S * 1000) / 3))
    this.timers.push(setInterval(() => void this.pollCancels().catch(() => {}), 250))
    this.log(
      `Worker ${this.id} on ${redactQueueUrl(this.options.url)}: ${this.options.threads} thread(s), backend ${this.backend}` +
        `${this.gpu ? ', GPU' : ''}; queues ${queues.join(', ')}`
    )
  }

  private async process(job: Parameters<typeof runTrainJob>[0]) {
    this.log(`run ${job.id} attempt ${job.attemptsStarted}: training`)
    const outcome = await runTrainJob(job, {
      redis: this.redis,
      pool: this.pool,
      host: this.host,
      workerId: this.id,
      cacheDir: this.options.cacheDir ?? join(tmpdir(), 'rnn-lab-datasets'),
      workDir: join(tmpdir(), `rnn-lab-worker-${process.pid}`),
      track: (runId, poolJobId) => (poolJobId ? this.running.set(runId, poolJobId) : this.running.delete(runId))
    })
    this.log(`run ${job.id}: ${outcome.status}`)
    return outcome
  }

  private async pollCancels(): Promise<void> {
    const runIds = [...this.running.keys()]
    if (runIds.length === 0) return
    const flags = await this.redis.mget(...runIds.map(keys.cancel))
    runIds.forEach((id, i) => {
      if (flags[i]) this.pool.cancel(this.running.get(id)!)
    })
  }

  private async heartbeat(): Promise<void> {
    const beat: WorkerHeartbeat = {
      id: this.id,
      host: this.host,
      backend: this.backend,
      threads: this.options.threads,
      busy: this.running.size,
      gpu: this.gpu,
      startedAt: this.startedAt,
      seenAt: new Date().toISOString()
    }
    await this.redis.set(keys.worker(this.id), JSON.stringify(beat), 'EX', HEARTBEAT_TTL_S)
  }

  private log(line: string): void {
    ;(this.options.log ?? console.log)(line)
  }

  /** Stops taking jobs; jobs still training are left to stall and move to another worker. */
  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t)
    await Promise.all(this.workers.map((w) => w.close(true).catch(() => {})))
    await this.redis.del(keys.worker(this.id)).catch(() => {})
    await this.pool.close()
    this.redis.disconnect()
  }
}
