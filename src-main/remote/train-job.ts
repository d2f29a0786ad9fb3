/**
 * One training job on a worker machine. The job is hostile until the shared schema accepts it; then
 * its dataset is fetched by hash (verified), and the validated config trains on the local worker pool
 * (the same engine and worker code as a local run). Everything the pool reports goes to the run's
 * result stream, tagged with the attempt; models go as files. Nothing else from the job is used: its
 * run id names a stream and a scratch folder only after the schema checked its form.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { UnrecoverableError, type Job } from 'bullmq'
import type { Redis } from 'ioredis'
import { RemoteJobData, type RemoteEntry } from '../../src-shared/remote'
import { formatPath } from '../../src-shared/validation'
import type { JobPayload } from '../workers/protocol'
import type { WorkerPool } from '../workers/worker-pool'
import { packModelDir } from './artifact-transfer'
import { fetchDataset } from './dataset-transfer'
import { keys } from './keys'
import { seedAttempt } from './resume-seam'

export interface TrainJobContext {
  redis: Redis
  pool: WorkerPool
  host: string
  workerId: string
  cacheDir: string
  workDir: string
  /** Called with the pool's job id while it trains, so cancellation can reach it. */
  track(runId: string, poolJobId: string | null): void
}

export type TrainJobOutcome = { status: 'completed' | 'cancelled' }

export function validateJob(data: unknown): RemoteJobData {
  const parsed = RemoteJobData.safeParse(data)
  if (parsed.success) return parsed.data
  const why = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${formatPath(i.path)}: ${i.message}`)
    .join('; ')
  // Never retried: the same job would be refused again.
  throw new UnrecoverableError(`Refused a job that does not match the schema: ${why}`)
}

export async function runTrainJob(job: Job, ctx: TrainJobContext): Promise<TrainJobOutcome> {
  const data = validateJob(job.data)
  if (job.id !== data.runId) throw new UnrecoverableError('Refused a job whose id is not its run id')
  const attempt = Math.max(1, job.attemptsStarted)
  const append = (entry: RemoteEntry) => ctx.redis.xadd(keys.runStream(data.runId), '*', 'e', JSON.stringify(entry))
  if (await ctx.redis.exists(keys.cancel(data.runId))) {
    await append({ type: 'cancelled', attempt })
    return { status: 'cancelled' }
  }
  const dir = join(ctx.workDir, `${data.runId}-${attempt}`)
  const seed = seedAttempt(
    await payloadFor(data, ctx, dir),
    attempt,
    { workerId: await lastWorker(ctx.redis, data.runId), checkpoint: null },
    ctx.workerId
  )
  await append({ type: 'attempt', attempt, host: ctx.host, workerId: ctx.workerId, note: seed.note })
  const poolJobId = `${data.runId}#${attempt}`
  ctx.track(data.runId, poolJobId)
  let writes = Promise.resolve()
  const send = (entry: RemoteEntry) => (writes = writes.then(() => append(entry).then(() => undefined)))
  try {
    mkdirSync(dir, { recursive: true })
    const end = await ctx.pool.run(poolJobId, seed.payload, (m) => {
      if (m.type === 'started') send({ type: 'started', attempt, report: m.report })
      else if (m.type === 'progress') send({ type: 'progress', attempt, progress: m.progress })
      else if (m.type === 'epoch') send({ type: 'epoch', attempt, record: m.record })
      else if (m.type === 'model') send({ type: 'model', attempt, parameterCount: m.parameterCount })
      else if (m.type === 'artifact' && m.artifact.kind !== 'checkpoint') {
        const files = packModelDir(m.artifact.path)
        send({ type: 'artifact', attempt, kind: m.artifact.kind, epoch: m.artifact.epoch, files })
      }
    })
    await writes
    if (end.type === 'completed') {
      if (end.result.kind !== 'forecast' && end.result.kind !== 'text') throw new Error(`unexpected result ${end.result.kind}`)
      await append({ type: 'completed', attempt, result: end.result })
      return { status: 'completed' }
    }
    if (end.type === 'cancelled') {
      await append({ type: 'cancelled', attempt })
      return { status: 'cancelled' }
    }
    await append({ type: 'failed', attempt, error: end.error })
    throw new Error(end.error)
  } finally {
    ctx.track(data.runId, null)
    rmSync(dir, { recursive: true, force: true })
  }
}

async function payloadFor(data: RemoteJobData, ctx: TrainJobContext, dir: string): Promise<JobPayload> {
  const content = await fetchDataset(ctx.redis, data.datasetHash, ctx.cacheDir)
  const { config } = data
  if (config.task === 'text') {
    if (content.kind !== 'text') throw new UnrecoverableError('A language-model job came with a time series')
    return { type: 'train-text', config, text: content.text, artifactsDir: dir }
  }
  if (content.kind !== 'series') throw new UnrecoverableError('A forecast job came with a text')
  return { type: 'train-forecast', config, columns: content.columns, artifactsDir: dir }
}

/** The worker of the run's latest attempt, from its stream (for the note of a hand-over). */
async function lastWorker(redis: Redis, runId: string): Promise<string | null> {
  const entries = (await redis.xrevrange(keys.runStream(runId), '+', '-', 'COUNT', 500)) as [string, string[]][]
  for (const [, fields] of entries) {
    const raw = fields[1] ?? ''
    if (!raw.includes('"attempt"')) continue
    try {
      const e = JSON.parse(raw) as { type?: string; workerId?: unknown }
      if (e.type === 'attempt' && typeof e.workerId === 'string') return e.workerId.slice(0, 200)
    } catch {
      // not ours to interpret
    }
  }
  return null
}
