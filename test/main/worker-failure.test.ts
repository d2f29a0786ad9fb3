import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunDetail, RunSummary } from '../../src-shared/domain'
import { sineExampleConfig } from '../../src-shared/forecast-config'
import { ok, tempDir, testCore, useTeardown } from '../helpers/core'

const teardown = useTeardown()

describe('worker failures', () => {
  it('a run whose training throws fails with the reason; the other run continues; the pool replaces the worker', async () => {
    const t = tempDir()
    const core = testCore(t.dir, { workers: 2 })
    teardown.push(async () => {
      await core.close()
      t.cleanup()
    })
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 400 }))
    const healthy = { ...sineExampleConfig(), training: { ...sineExampleConfig().training, epochs: 8 } }
    // SGD at learning rate 10 without clipping diverges: the engine stops with a clear message.
    const diverging = {
      ...sineExampleConfig(),
      training: { ...sineExampleConfig().training, epochs: 50, optimizer: 'sgd', learningRate: 10 }
    }
    const good = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.id, config: healthy }))
    const bad = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.id, config: diverging }))
    await core.runs.drain()
    const [g, b] = await Promise.all([good, bad].map((r) => ok<RunDetail>(core.dispatch('runs.get', { id: r.id }))))
    expect(b.status).toBe('failed')
    expect(b.error).toMatch(/The loss became (NaN|Infinity)|lower the learning rate/)
    expect(g.status).toBe('completed')
    expect(g.epochs).toHaveLength(8)
    // The failed worker was recycled; the pool trains again with a fresh one.
    const after = await ok<RunSummary>(
      core.dispatch('runs.start', { datasetId: ds.id, config: { ...healthy, training: { ...healthy.training, epochs: 2 } } })
    )
    const after2 = await ok<RunSummary>(
      core.dispatch('runs.start', { datasetId: ds.id, config: { ...healthy, training: { ...healthy.training, epochs: 2, seed: 9 } } })
    )
    await core.runs.drain()
    for (const r of [after, after2]) expect((await ok<RunDetail>(core.dispatch('runs.get', { id: r.id }))).status).toBe('completed')
  })

  it('a model too large for memory fails with an out-of-memory reason and the app goes on', async () => {
    const t = tempDir()
    const core = testCore(t.dir, { workers: 1 })
    teardown.push(async () => {
      await core.close()
      t.cleanup()
    })
    // 10,000 words over a vocabulary of 500, imported at word level.
    const words = Array.from({ length: 10_000 }, (_, i) => `w${(i * 7919) % 500}`).join(' ')
    writeFileSync(join(t.dir, 'words.txt'), words)
    const ds = await ok<{ dataset: { id: string } }>(
      core.dispatch('datasets.importText', {
        source: { kind: 'grant', grant: core.grants.register(join(t.dir, 'words.txt'), 'read') },
        options: { vocabulary: 'word' }
      })
    )
    // One-hot batches of 4,096 sequences × 2,000 steps × 500 words: 16 GB of input, far beyond memory.
    const huge = {
      task: 'text',
      vocabulary: 'word',
      sequenceLength: 2000,
      stride: 1,
      model: { cell: 'lstm', layers: [{ units: 8 }] },
      training: { epochs: 1, batchSize: 4096 }
    }
    const run = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.dataset.id, config: huge }))
    await core.runs.whenDone(run.id)
    const d = await ok<RunDetail>(core.dispatch('runs.get', { id: run.id }))
    expect(d.status).toBe('failed')
    expect(d.error).toMatch(/memory|allocat/i)
    const sine = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 300 }))
    const next = await ok<RunSummary>(
      core.dispatch('runs.start', {
        datasetId: sine.id,
        config: { ...sineExampleConfig(), training: { ...sineExampleConfig().training, epochs: 1 } }
      })
    )
    await core.runs.whenDone(next.id)
    expect((await ok<RunDetail>(core.dispatch('runs.get', { id: next.id }))).status).toBe('completed')
  }, 120_000)
})
