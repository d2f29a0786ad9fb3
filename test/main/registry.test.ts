import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import type { RunDetail, RunSummary } from '../../src-shared/domain'
import { sineExampleConfig } from '../../src-shared/forecast-config'
import { diffConfigs, setPath } from '../../src-shared/config-paths'
import { expandSweep } from '../../src-shared/sweep'
import { ok, tempDir, testCore, useTeardown } from '../helpers/core'

const teardown = useTeardown()

const config = (units: number, epochs = 2) => ({
  ...sineExampleConfig(),
  model: { cell: 'simple_rnn', layers: [{ units }] },
  training: { ...sineExampleConfig().training, epochs, batchSize: 32 }
})

function setup(workers = 2) {
  const t = tempDir()
  const core = testCore(t.dir, { workers })
  teardown.push(async () => {
    await core.close().catch(() => {})
    t.cleanup()
  })
  return { core, dir: t.dir }
}

describe('config paths and sweeps (pure)', () => {
  it('diffs configs showing only the fields that differ', () => {
    const a = config(8)
    const b = setPath(config(16), 'training.seed', 42)
    expect(diffConfigs([a, b])).toEqual([{ path: 'model.layers[0].units', values: [8, 16] }])
  })

  it('expands a grid with shorthands and seed repeats', () => {
    const points = expandSweep(config(8), { grid: { units: [4, 8], lr: [0.01] }, seeds: [1, 2] })
    expect(points).toHaveLength(4)
    expect(points.map((p) => (p.config as ReturnType<typeof config>).model.layers[0].units)).toEqual([4, 4, 8, 8])
    expect(points.map((p) => (p.config as ReturnType<typeof config>).training.seed)).toEqual([1, 2, 1, 2])
  })

  it('draws a seeded random search', () => {
    const spec = { random: { samples: 5, seed: 3, space: { lr: { min: 1e-4, max: 1e-1, log: true, integer: false } } } }
    const a = expandSweep(config(8), spec).map((p) => (p.config as ReturnType<typeof config>).training.learningRate)
    const b = expandSweep(config(8), spec).map((p) => (p.config as ReturnType<typeof config>).training.learningRate)
    expect(a).toEqual(b)
    expect(a.every((v) => v >= 1e-4 && v <= 0.1)).toBe(true)
  })
})

describe('the run registry (real SQLite, real training)', () => {
  it('filters and sorts by metric and config field, tags, notes, renames; compares with a config diff', async () => {
    const { core } = setup()
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 300 }))
    const runs: RunSummary[] = []
    for (const units of [4, 8, 16])
      runs.push(await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.id, config: config(units) })))
    await core.runs.drain()
    await ok(core.dispatch('runs.update', { id: runs[0].id, tags: ['small', 'baseline'], notes: 'first try', name: 'tiny' }))
    const tagged = await ok<RunSummary[]>(core.dispatch('runs.list', { tag: 'small' }))
    expect(tagged.map((r) => r.name)).toEqual(['tiny'])
    expect(tagged[0]).toMatchObject({ tags: ['baseline', 'small'], notes: 'first try' })

    const byRmse = await ok<RunSummary[]>(core.dispatch('runs.list', { sort: { field: 'metrics.test.rmse', direction: 'asc' } }))
    const rmses = byRmse.map((r) => r.metrics!.test.rmse)
    expect([...rmses].sort((a, b) => a - b)).toEqual(rmses)
    const big = await ok<RunSummary[]>(
      core.dispatch('runs.list', { where: [{ field: 'config.model.layers[0].units', op: 'ge', value: 8 }] })
    )
    expect(big).toHaveLength(2)
    expect(byRmse.every((r) => r.epochsDone === 2 && r.bestValLoss !== null)).toBe(true)

    const bad = await core.dispatch('runs.list', { sort: { field: 'drop table runs' } })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('sort.field') } })

    const cmp = await ok<{ runs: RunDetail[]; configDiff: { path: string }[] }>(
      core.dispatch('runs.compare', { ids: runs.map((r) => r.id) })
    )
    expect(cmp.configDiff.map((d) => d.path)).toEqual(['model.layers[0].units'])
    expect(cmp.runs).toHaveLength(3)
    const partial = await ok<{ runs: RunDetail[]; missing: string[] }>(core.dispatch('runs.compare', { ids: [runs[0].id, 'run_gone'] }))
    expect(partial.runs.map((r) => r.id)).toEqual([runs[0].id])
    expect(partial.missing).toEqual(['run_gone'])
  })

  it('re-runs with identical per-epoch losses, and refuses when the dataset is gone', async () => {
    const { core } = setup(1)
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 300 }))
    const first = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.id, config: config(6, 3) }))
    await core.runs.whenDone(first.id)
    const again = await ok<RunSummary>(core.dispatch('runs.rerun', { id: first.id }))
    await core.runs.whenDone(again.id)
    const [a, b] = await Promise.all([first.id, again.id].map((id) => ok<RunDetail>(core.dispatch('runs.get', { id }))))
    expect(b.epochs.map((e) => e.loss)).toEqual(a.epochs.map((e) => e.loss))
    expect(b.datasetHash).toBe(a.datasetHash)
    await ok(core.dispatch('datasets.delete', { id: ds.id }))
    expect(await core.dispatch('runs.rerun', { id: first.id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('no longer here') }
    })
  })

  it('deleting a dataset keeps its runs (records, no re-run) or deletes them too when asked', async () => {
    const { core } = setup(1)
    const [a, b] = await Promise.all([300, 301].map((length) => ok<{ id: string }>(core.dispatch('datasets.generateSine', { length }))))
    const runA = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: a.id, config: config(4, 1) }))
    const runB = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: b.id, config: config(4, 1) }))
    expect(await core.dispatch('datasets.delete', { id: b.id, runs: 'delete' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    await Promise.all([runA.id, runB.id].map((id) => core.runs.whenDone(id)))

    expect(await ok(core.dispatch('datasets.delete', { id: a.id }))).toEqual({ deleted: true, runsKept: 1, runsDeleted: 0 })
    expect(await ok<RunDetail>(core.dispatch('runs.get', { id: runA.id }))).toMatchObject({ datasetId: null, status: 'completed' })
    expect(await ok(core.dispatch('datasets.delete', { id: b.id, runs: 'delete' }))).toEqual({ deleted: true, runsKept: 0, runsDeleted: 1 })
    expect(await core.dispatch('runs.get', { id: runB.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('exports a run bundle and imports it into another installation', async () => {
    const { core, dir } = setup(1)
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 300 }))
    const run = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.id, config: config(5) }))
    await core.runs.whenDone(run.id)
    await ok(core.dispatch('runs.update', { id: run.id, tags: ['exported'] }))
    const out = join(dir, 'bundle')
    const exp = await ok<{ files: string[] }>(core.dispatch('runs.export', { id: run.id, folder: core.grants.register(out, 'write') }))
    expect(exp.files).toEqual(
      expect.arrayContaining([
        'run.json',
        'predictions.csv',
        'model/best/model.json',
        'model/final/weights.bin',
        'keras/best/model.json',
        'keras/final/weights.bin'
      ])
    )

    const other = setup(1).core
    const bundle = other.grants.register(out, 'read')
    const imported = await ok<RunSummary>(other.dispatch('runs.import', { bundle }))
    expect(imported).toMatchObject({ id: run.id, status: 'completed', tags: ['exported'], datasetId: null })
    const detail = await ok<RunDetail>(other.dispatch('runs.get', { id: run.id }))
    expect(detail.epochs).toHaveLength(2)
    expect(detail.artifacts.map((a) => a.kind).sort()).toEqual(['best', 'final'])
    // The same bundle again: its id is taken, so it comes in under a new id that remembers the old one.
    const again = await ok<RunSummary>(other.dispatch('runs.import', { bundle }))
    expect(again).toMatchObject({ importedFrom: run.id, status: 'completed' })
    expect(again.id).not.toBe(run.id)
  })

  it('runs a grid sweep across the pool as one group', async () => {
    const { core } = setup(2)
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 300 }))
    const r = await ok<{ sweep: { id: string }; runs: RunSummary[] }>(
      core.dispatch('sweeps.create', { datasetId: ds.id, base: config(4, 1), spec: { grid: { units: [4, 8], window: [10, 20] } } })
    )
    expect(r.runs).toHaveLength(4)
    await core.runs.drain()
    const group = await ok<RunSummary[]>(core.dispatch('runs.list', { sweepId: r.sweep.id }))
    expect(group.map((g) => g.status)).toEqual(['completed', 'completed', 'completed', 'completed'])
    const sweeps = await ok<{ runs: number; completed: number }[]>(core.dispatch('sweeps.list', {}))
    expect(sweeps[0]).toMatchObject({ runs: 4, completed: 4 })
    const invalid = await core.dispatch('sweeps.create', { datasetId: ds.id, base: config(4, 1), spec: { grid: { units: [0] } } })
    expect(invalid).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('model.layers[0].units') } })
  })
})
