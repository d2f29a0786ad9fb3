import { describe, expect, it } from 'vitest'
import type { RunDetail, RunSummary } from '../../src-shared/domain'
import { ok, tempDir, testCore, useTeardown } from '../helpers/core'

const teardown = useTeardown()

function setup() {
  const t = tempDir()
  const core = testCore(t.dir)
  teardown.push(async () => {
    await core.close().catch(() => {})
    t.cleanup()
  })
  return core
}

type Predict = { steps: { value: number }[]; checkpoint: { kind: string; epoch: number | null; matchesMetrics: boolean } }

describe('predict and sample use the checkpoint the metrics describe', () => {
  it('without early stopping: the final weights made the test metrics, and predict defaults to them', async () => {
    const core = setup()
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 300, noise: 0.3 }))
    const config = {
      window: 10,
      features: ['value'],
      target: 'value',
      model: { cell: 'simple_rnn', layers: [{ units: 4 }] },
      training: { epochs: 4, batchSize: 16, learningRate: 0.05, seed: 1 }
    }
    const run = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.id, config }))
    await core.runs.whenDone(run.id)
    const done = await ok<RunDetail>(core.dispatch('runs.get', { id: run.id }))
    expect(done.metrics!.evaluatedWith).toEqual({ checkpoint: 'final', epoch: 4, epochsRun: 4, epochsPlanned: 4, stoppedEarly: false })
    expect(done.artifacts.map((a) => a.kind).sort()).toEqual(['best', 'final'])
    const byDefault = await ok<Predict>(core.dispatch('runs.predict', { id: run.id, steps: 3 }))
    const final = await ok<Predict>(core.dispatch('runs.predict', { id: run.id, steps: 3, checkpoint: 'final' }))
    const best = await ok<Predict>(core.dispatch('runs.predict', { id: run.id, steps: 3, checkpoint: 'best' }))
    expect(byDefault.checkpoint).toEqual({ kind: 'final', epoch: 4, matchesMetrics: true })
    expect(byDefault.steps).toEqual(final.steps)
    expect(best.checkpoint.kind).toBe('best')
    expect(best.checkpoint.matchesMetrics).toBe(false)
  }, 120_000)

  it('with early stopping that restores the best weights: those, and the epoch they come from', async () => {
    const core = setup()
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateText', {}))
    const config = {
      task: 'text',
      layout: 'many-to-one',
      sequenceLength: 5,
      split: { train: 0.8, val: 0.2 },
      model: { cell: 'gru', layers: [{ units: 4 }] },
      training: { epochs: 3, batchSize: 32, learningRate: 0.01, seed: 2, earlyStopping: { patience: 1, restoreBest: true } },
      sampling: { length: 5 }
    }
    const run = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.id, config }))
    await core.runs.whenDone(run.id)
    const done = await ok<RunDetail>(core.dispatch('runs.get', { id: run.id }))
    const w = done.textMetrics!.evaluatedWith!
    expect(w.checkpoint).toBe('best')
    expect(w.epoch).toBe(done.bestEpoch)
    const s = await ok<{ checkpoint: Predict['checkpoint'] }>(core.dispatch('runs.sample', { id: run.id, length: 5 }))
    expect(s.checkpoint).toEqual({ kind: 'best', epoch: done.bestEpoch, matchesMetrics: true })
  }, 120_000)
})
