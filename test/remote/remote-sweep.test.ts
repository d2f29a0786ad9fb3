/**
 * The whole path on real processes: an owner (this process: a core on a real SQLite file) and two
 * `rnn-lab worker` processes on a real Redis on loopback. A 6-trial sweep spreads over both workers;
 * one worker is SIGKILLed mid-trial and its trial completes on the other; Redis is restarted (its
 * append-only file on, same port) mid-sweep; the registry ends with 6 completed runs, contiguous
 * epochs, each naming its worker, with the same per-epoch losses as the same trials run locally.
 */
import { afterAll, describe, expect, it } from 'vitest'
import type { RunDetail, RunSummary } from '../../src-shared/domain'
import { sineExampleConfig } from '../../src-shared/forecast-config'
import type { AppCore } from '../../src-main/services/app-core'
import { ok, tempDir } from '../helpers/core'
import { startRedis, type RedisHandle } from '../helpers/redis-server'
import { ownerCore, startWorker, type WorkerProcess } from '../helpers/remote-workers'

// Enough epochs that a trial lasts a few seconds with the native training step (a worker is killed mid-trial).
const EPOCHS = 400
const base = {
  ...sineExampleConfig(),
  model: { cell: 'simple_rnn', layers: [{ units: 8 }] },
  training: { ...sineExampleConfig().training, epochs: EPOCHS, batchSize: 16 }
}
const spec = { seeds: [1, 2, 3, 4, 5, 6] }

const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {})
})

/** Polls until `check` holds (bounded: about `seconds`). */
async function until(what: string, seconds: number, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < seconds * 5; i++) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`timed out waiting for ${what}`)
}

const list = (core: AppCore, sweepId: string) => ok<RunSummary[]>(core.dispatch('runs.list', { sweepId }))

describe('a sweep on two remote workers', () => {
  it('survives a killed worker and a Redis restart, and records each trial once, as a local sweep would', async () => {
    const redis: RedisHandle = await startRedis()
    cleanups.push(() => redis.cleanup())
    const lock = ['--workers', '1', '--lock-ms', '2000']
    const [a, b]: WorkerProcess[] = await Promise.all([
      startWorker(redis.url, [...lock, '--name', 'w-a']),
      startWorker(redis.url, [...lock, '--name', 'w-b'])
    ])
    cleanups.push(
      () => a.stop(),
      () => b.stop()
    )
    const t = tempDir()
    const owner = ownerCore(t.dir, redis.url)
    cleanups.push(async () => {
      await owner.close()
      t.cleanup()
    })
    const ds = await ok<{ id: string }>(owner.dispatch('datasets.generateSine', { length: 300 }))
    const started = Date.now()
    const remote = await ok<{ sweep: { id: string } }>(
      owner.dispatch('sweeps.create', { datasetId: ds.id, base, spec, target: 'remote', name: 'remote' })
    )
    const sweepId = remote.sweep.id

    // Kill w-a in the middle of a trial, once it has finished one (so both workers have trained some).
    await until('w-a to be mid-trial after a finished one', 90, async () => {
      const runs = await list(owner, sweepId)
      const onA = runs.filter((r) => r.trainedOn?.workerId === 'w-a')
      return onA.some((r) => r.status === 'completed') && onA.some((r) => r.status === 'running' && r.epochsDone >= 1)
    })
    const victim = (await list(owner, sweepId)).find((r) => r.trainedOn?.workerId === 'w-a' && r.status === 'running')!
    await a.stop('SIGKILL')

    // Redis goes away and comes back (same port, its append-only file) while w-b trains.
    await until('w-b to train the lost trial', 60, async () =>
      (await list(owner, sweepId)).some((r) => r.id === victim.id && r.attempt > 1)
    )
    await redis.stop()
    await new Promise((r) => setTimeout(r, 500))
    await redis.restart()

    await until('the sweep to finish', 150, async () =>
      (await list(owner, sweepId)).every((r) => r.status !== 'queued' && r.status !== 'running')
    )
    const seconds = (Date.now() - started) / 1000

    const runs = await Promise.all((await list(owner, sweepId)).map((r) => ok<RunDetail>(owner.dispatch('runs.get', { id: r.id }))))
    expect(runs.map((r) => [r.status, r.error])).toEqual(runs.map(() => ['completed', null]))
    for (const r of runs) expect(r.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1))
    expect(new Set(runs.map((r) => r.trainedOn?.workerId))).toEqual(new Set(['w-a', 'w-b']))
    const lost = runs.find((r) => r.id === victim.id)!
    expect(lost.trainedOn?.workerId).toBe('w-b')
    expect(lost.attempt).toBeGreaterThan(1)
    expect(lost.attemptNote).toMatch(/restarted from scratch on worker w-b after worker w-a was lost/)

    // The same trials on this machine's pool: identical per-epoch losses (same seeds, same backend).
    const local = await ok<{ sweep: { id: string } }>(owner.dispatch('sweeps.create', { datasetId: ds.id, base, spec, target: 'local' }))
    await owner.runs.drain()
    const localRuns = await Promise.all(
      (await list(owner, local.sweep.id)).map((r) => ok<RunDetail>(owner.dispatch('runs.get', { id: r.id })))
    )
    const losses = (rs: RunDetail[]) => Object.fromEntries(rs.map((r) => [r.config.training.seed, r.epochs.map((e) => e.loss)]))
    expect(losses(runs)).toEqual(losses(localRuns))
    console.log(`6-trial remote sweep with a killed worker and a Redis restart: ${seconds.toFixed(1)} s`)
  }, 360_000)
})
