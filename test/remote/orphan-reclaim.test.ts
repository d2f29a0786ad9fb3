/**
 * Ownership meets the queue: a run sent to remote workers is owned by the core that sent it, but may
 * outlive that process. Its results wait in Redis, so the orphan reclaim never marks it interrupted;
 * a local run of the same gone owner is. (No Redis needed: nothing here opens a queue.)
 */
import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import type { RunSummary } from '../../src-shared/domain'
import { sineExampleConfig } from '../../src-shared/forecast-config'
import { PlacementRepo } from '../../src-main/store/placement-repo'
import { ok, tempDir, testCore, useTeardown } from '../helpers/core'

/** A process that has ended (no such pid on this host). */
const GONE = { pid: 4_194_000, started: 'linux:1', host: hostname(), instance: 'gone-instance' }

describe('orphan reclaim and remote runs', () => {
  const teardown = useTeardown()

  it('leaves a queued remote run of an owner that is gone alone, and interrupts its local run', async () => {
    const t = tempDir()
    teardown.push(async () => t.cleanup())
    let core = testCore(t.dir)
    const ds = await ok<{ id: string; hash: string }>(core.dispatch('datasets.generateSine', { length: 200 }))
    const base = { datasetId: ds.id, datasetHash: ds.hash, config: sineExampleConfig(), appVersion: 'test', parameterCount: 1 }
    core.runsRepo.insert({ ...base, id: 'run_remote', name: 'remote', owner: GONE })
    core.runsRepo.insert({ ...base, id: 'run_local', name: 'local', owner: GONE })
    new PlacementRepo(core.db).markRemote('run_remote', 'train')

    expect(core.ownership.reclaimOrphans()).toEqual(['run_local'])
    expect(core.runsRepo.get('run_remote')?.status).toBe('queued')
    expect(core.runsRepo.get('run_local')?.status).toBe('interrupted')
    await core.close()

    // The next core (no queue configured here) does not interrupt it either: it waits for the queue.
    core = testCore(t.dir)
    teardown.push(() => core.close())
    expect(core.interruptedAtStart).toBe(0)
    const runs = await ok<RunSummary[]>(core.dispatch('runs.list', {}))
    expect(Object.fromEntries(runs.map((r) => [r.id, [r.status, r.remoteQueue]]))).toEqual({
      run_remote: ['queued', 'train'],
      run_local: ['interrupted', null]
    })
  })
})
