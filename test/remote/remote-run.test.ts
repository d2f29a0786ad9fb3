import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunDetail, RunSummary } from '../../src-shared/domain'
import { sineExampleConfig } from '../../src-shared/run-config'
import { ok, tempDir, testCore, useTeardown } from '../helpers/core'
import { startRedis, type RedisHandle } from '../helpers/redis-server'
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
}, 90_000)
afterAll(async () => {
  await worker?.stop()
  await redis?.cleanup()
})

describe('a run on a remote worker', () => {
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
})
