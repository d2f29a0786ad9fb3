import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkReachable } from '../../src-main/remote'
import type { RunDetail, RunSummary } from '../../src-shared/domain'
import { sineExampleConfig } from '../../src-shared/forecast-config'
import { ok, tempDir, useTeardown } from '../helpers/core'
import { freePort, startRedis, type RedisHandle } from '../helpers/redis-server'
import { ownerCore, startWorker, type WorkerProcess } from '../helpers/remote-workers'

const config = (epochs: number, seed = 42) => ({
  ...sineExampleConfig(),
  model: { cell: 'simple_rnn', layers: [{ units: 8 }] },
  training: { ...sineExampleConfig().training, epochs, batchSize: 16, seed }
})

let redis: RedisHandle
let worker: WorkerProcess
beforeAll(async () => {
  redis = await startRedis({ password: 's3cret-pw' })
  worker = await startWorker(redis.url, ['--workers', '1', '--lock-ms', '2000', '--name', 'w-one'])
}, 200_000)
afterAll(async () => {
  await worker?.stop()
  await redis?.cleanup()
})

describe('a run on a remote worker', { timeout: 200_000 }, () => {
  const teardown = useTeardown()

  it('trains on the worker and records the same epochs as a local run, naming the worker', async () => {
    const t = tempDir()
    const owner = ownerCore(t.dir, redis.url)
    teardown.push(async () => {
      await owner.close()
      t.cleanup()
    })
    const ds = await ok<{ id: string }>(owner.dispatch('datasets.generateSine', { length: 300 }))
    const remote = await ok<RunSummary>(owner.dispatch('runs.start', { datasetId: ds.id, config: config(3), target: 'remote' }))
    const local = await ok<RunSummary>(owner.dispatch('runs.start', { datasetId: ds.id, config: config(3) }))
    await owner.runs.whenDone(remote.id)
    await owner.runs.whenDone(local.id)
    const r = await ok<RunDetail>(owner.dispatch('runs.get', { id: remote.id }))
    const l = await ok<RunDetail>(owner.dispatch('runs.get', { id: local.id }))
    expect(r.error).toBeNull()
    expect(r.status).toBe('completed')
    expect(r.trainedOn).toEqual({ host: expect.any(String), workerId: 'w-one' })
    expect(r.remoteQueue).toBe('train')
    expect(r.backend).toBe('wasm')
    expect(r.epochs.map((e) => e.loss)).toEqual(l.epochs.map((e) => e.loss))
    expect(r.metrics?.test.rmse).toBe(l.metrics?.test.rmse)
    expect(r.artifacts.map((a) => a.kind).sort()).toEqual(['best', 'final'])
    expect(r.artifacts.every((a) => a.path.startsWith(t.dir))).toBe(true)
    const byWorker = await ok<RunSummary[]>(owner.dispatch('runs.list', { worker: 'w-one' }))
    expect(byWorker.map((x) => x.id)).toEqual([remote.id])
    const predicted = await ok<{ steps: unknown[] }>(owner.dispatch('runs.predict', { id: remote.id, steps: 2 }))
    expect(predicted.steps).toHaveLength(2)
  })

  it('trains a language model remotely: samples per epoch, metrics, vocabulary and models at the owner', async () => {
    const t = tempDir()
    const owner = ownerCore(t.dir, redis.url)
    teardown.push(async () => {
      await owner.close()
      t.cleanup()
    })
    const ds = await ok<{ id: string }>(owner.dispatch('datasets.generateText', {}))
    const text = {
      task: 'text',
      layout: 'many-to-many',
      sequenceLength: 16,
      input: 'embedding',
      embeddingDim: 8,
      model: { cell: 'gru', layers: [{ units: 16 }] },
      training: { epochs: 2, learningRate: 0.01, seed: 1 }
    }
    const run = await ok<RunSummary>(owner.dispatch('runs.start', { datasetId: ds.id, config: text, target: 'remote' }))
    await owner.runs.whenDone(run.id)
    const done = await ok<RunDetail>(owner.dispatch('runs.get', { id: run.id }))
    expect([done.status, done.error]).toEqual(['completed', null])
    expect(done.epochs.map((e) => typeof e.sample)).toEqual(['string', 'string'])
    expect(done.textMetrics?.vocabularySize).toBeGreaterThan(10)
    const sampled = await ok<{ text: string }>(owner.dispatch('runs.sample', { id: run.id, length: 5, prime: 'The ' }))
    expect(sampled.text.length).toBeGreaterThan(4)
  })

  it('cancels a remote run within a batch or so, keeping its epochs', async () => {
    const t = tempDir()
    const owner = ownerCore(t.dir, redis.url)
    teardown.push(async () => {
      await owner.close()
      t.cleanup()
    })
    const ds = await ok<{ id: string }>(owner.dispatch('datasets.generateSine', { length: 300 }))
    const run = await ok<RunSummary>(owner.dispatch('runs.start', { datasetId: ds.id, config: config(300), target: 'remote' }))
    await until('a first epoch', 60, () => (owner.runsRepo.get(run.id)?.epochsDone ?? 0) >= 1)
    const asked = Date.now()
    await ok(owner.dispatch('runs.cancel', { id: run.id }))
    await owner.runs.whenDone(run.id)
    const done = await ok<RunDetail>(owner.dispatch('runs.get', { id: run.id }))
    expect(done.status).toBe('cancelled')
    expect(Date.now() - asked).toBeLessThan(5000)
    expect(done.epochs.length).toBeLessThan(300)
    expect(done.epochs.map((e) => e.epoch)).toEqual(done.epochs.map((_, i) => i + 1))
  })

  it('picks up, when the owner comes back, the results that arrived while it was away', async () => {
    const t = tempDir()
    teardown.push(async () => t.cleanup())
    let owner = ownerCore(t.dir, redis.url)
    const ds = await ok<{ id: string }>(owner.dispatch('datasets.generateSine', { length: 300 }))
    const run = await ok<RunSummary>(owner.dispatch('runs.start', { datasetId: ds.id, config: config(6), target: 'remote' }))
    await until('a first epoch', 60, () => (owner.runsRepo.get(run.id)?.epochsDone ?? 0) >= 1)
    await owner.close()
    const queue = new Queue('train', { connection: { url: redis.url }, prefix: 'rnnlab' })
    await until('the job to complete while the owner is away', 60, async () => (await queue.getJob(run.id))?.isCompleted() ?? false)
    await queue.close()
    owner = ownerCore(t.dir, redis.url)
    teardown.push(() => owner.close())
    expect(owner.interruptedAtStart).toBe(0)
    await owner.runs.whenDone(run.id)
    const done = await ok<RunDetail>(owner.dispatch('runs.get', { id: run.id }))
    expect([done.status, done.error]).toEqual(['completed', null])
    expect(done.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6])
    expect(done.artifacts).toHaveLength(2)
    const r = new Redis(redis.url)
    expect(await r.exists(`rnnlab:run:${run.id}:stream`)).toBe(0)
    r.disconnect()
  })

  it('sends a run that asks for a GPU only to a worker that announces one', async () => {
    const t = tempDir()
    const owner = ownerCore(t.dir, redis.url)
    teardown.push(async () => {
      await owner.close()
      t.cleanup()
    })
    const ds = await ok<{ id: string }>(owner.dispatch('datasets.generateSine', { length: 300 }))
    const run = await ok<RunSummary>(owner.dispatch('runs.start', { datasetId: ds.id, config: config(2), target: 'remote-gpu' }))
    expect(run.remoteQueue).toBe('train-gpu')
    await new Promise((r) => setTimeout(r, 2000))
    expect(owner.runsRepo.get(run.id)?.status).toBe('queued')
    expect((await owner.remote.status()).waiting).toBe(1)
    const gpu = await startWorker(redis.url, ['--gpu', '--name', 'w-gpu'])
    teardown.push(() => gpu.stop())
    expect((await owner.remote.status()).workers.find((w) => w.id === 'w-gpu')?.gpu).toBe(true)
    await owner.runs.whenDone(run.id)
    const done = owner.runsRepo.get(run.id)!
    expect([done.status, done.trainedOn?.workerId]).toEqual(['completed', 'w-gpu'])
  })

  it('refuses hostile jobs: a job off the schema fails at once, a dataset with another hash is refused', async () => {
    const queue = new Queue('train', { connection: { url: redis.url }, prefix: 'rnnlab' })
    teardown.push(() => queue.close())
    const hash = 'a'.repeat(64)
    await queue.add(
      'train',
      { v: 1, runId: '../../etc/passwd', datasetHash: hash, config: config(1), gpu: false },
      { jobId: 'evil-1', attempts: 3 }
    )
    await queue.add(
      'train',
      { v: 1, runId: 'run_abc_0123abcd', datasetHash: hash, config: { ...config(1), code: 'process.exit()' }, gpu: false },
      { jobId: 'run_abc_0123abcd', attempts: 3 }
    )
    const r = new Redis(redis.url)
    await r.set(`rnnlab:dataset:${hash}`, 'not the data that hashes to aaaa…')
    r.disconnect()
    await queue.add(
      'train',
      { v: 1, runId: 'run_abd_0123abcd', datasetHash: hash, config: config(1), gpu: false },
      { jobId: 'run_abd_0123abcd', attempts: 1 }
    )
    for (const id of ['evil-1', 'run_abc_0123abcd', 'run_abd_0123abcd']) {
      await until(`job ${id} to fail`, 30, async () => (await queue.getJob(id))?.isFailed() ?? false)
    }
    const [evil, extra, badData] = await Promise.all(['evil-1', 'run_abc_0123abcd', 'run_abd_0123abcd'].map((id) => queue.getJob(id)))
    expect(evil!.failedReason).toMatch(/Refused a job that does not match the schema: runId/)
    expect(evil!.attemptsMade).toBe(1)
    expect(extra!.failedReason).toMatch(/Refused a job that does not match the schema: config/)
    expect(badData!.failedReason).toMatch(/arrived with another hash: refused/)
  })

  it('names the queue (password hidden) when Redis is unreachable, and local runs go on', async () => {
    const url = `redis://:hunter2@127.0.0.1:${await freePort()}`
    await expect(checkReachable(url, 1000)).rejects.toThrow(/^Cannot reach the Redis queue at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/)
    await expect(checkReachable(url, 1000)).rejects.not.toThrow(/hunter2/)
    const t = tempDir()
    const owner = ownerCore(t.dir, url)
    teardown.push(async () => {
      await owner.close()
      t.cleanup()
    })
    const ds = await ok<{ id: string }>(owner.dispatch('datasets.generateSine', { length: 300 }))
    await until('the connection error', 20, async () => (await owner.remote.status()).error !== null)
    const status = await owner.remote.status()
    expect(status.url).toMatch(/^redis:\/\/:\*\*\*@127\.0\.0\.1/)
    expect(JSON.stringify(status)).not.toContain('hunter2')
    const refused = await owner.dispatch('runs.start', { datasetId: ds.id, config: config(2), target: 'remote' })
    expect(refused.ok).toBe(false)
    expect(JSON.stringify(refused)).toMatch(/Cannot reach the Redis queue at redis:\/\/:\*\*\*@/)
    expect(JSON.stringify(refused)).not.toContain('hunter2')
    const local = await ok<RunSummary>(owner.dispatch('runs.start', { datasetId: ds.id, config: config(2) }))
    await owner.runs.whenDone(local.id)
    expect(owner.runsRepo.get(local.id)?.status).toBe('completed')
    expect(owner.runsRepo.get(local.id)?.trainedOn?.workerId).toBe('local')
  })
})

async function until(what: string, seconds: number, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < seconds * 5; i++) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`timed out waiting for ${what}`)
}
