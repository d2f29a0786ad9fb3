import { describe, expect, it } from 'vitest'
import type { AnyEvent } from '../../src-shared/contract'
import type { RunDetail, RunSummary } from '../../src-shared/domain'
import { sineExampleConfig } from '../../src-shared/forecast-config'
import type { AppCore } from '../../src-main/services/app-core'
import { ok, tempDir, testCore, useTeardown } from '../helpers/core'

const teardown = useTeardown()

function setup(workers = 1) {
  const t = tempDir()
  const core = testCore(t.dir, { workers })
  teardown.push(async () => {
    await core.close().catch(() => {})
    t.cleanup()
  })
  return { core, dir: t.dir }
}

const quickConfig = (epochs: number) => ({
  ...sineExampleConfig(),
  model: { cell: 'simple_rnn', layers: [{ units: 8 }] },
  training: { ...sineExampleConfig().training, epochs, batchSize: 16 }
})

function collect(core: AppCore): AnyEvent[] {
  const events: AnyEvent[] = []
  core.events.subscribe((e) => events.push(e))
  return events
}

describe('the core with real SQLite and real training workers', () => {
  it('walks the sine path: generate → train in a worker → epochs, metrics and events stored', async () => {
    const { core } = setup()
    const events = collect(core)
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 400 }))
    const run = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.id, config: quickConfig(5) }))
    expect(run.status).toBe('queued')
    await core.runs.whenDone(run.id)
    const detail = await ok<RunDetail>(core.dispatch('runs.get', { id: run.id }))
    expect(detail.error).toBeNull()
    expect(detail.status).toBe('completed')
    expect(detail.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5])
    expect(detail.backend).toBe('wasm')
    expect(detail.backendAttempts.map((a) => a.status)).toEqual(['skipped', 'skipped', 'used', 'skipped'])
    expect(detail.metrics?.baselines.persistence.rmse).toBeGreaterThan(0)
    expect(detail.predictions?.actual.length).toBe(detail.metrics?.testWindows)
    expect(detail.parameterCount).toBe(8 * (1 + 8 + 1) + 9)
    expect(detail.datasetHash).toMatch(/^[0-9a-f]{64}$/)
    const names = events.map((e) => e.name)
    expect(names.filter((n) => n === 'run.epoch')).toHaveLength(5)
    expect(names).toContain('run.progress')
    expect(names.at(-1)).toBe('run.finished')
    const statuses = events.filter((e) => e.name === 'run.status').map((e) => (e.payload as { run: RunSummary }).run.status)
    expect(statuses).toEqual(['queued', 'running', 'completed'])
  })

  it('keeps runs across a restart, and a run left running becomes interrupted with its epochs', async () => {
    const t = tempDir()
    teardown.push(async () => t.cleanup())
    let core = testCore(t.dir)
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 400 }))
    const done = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.id, config: quickConfig(2) }))
    await core.runs.whenDone(done.id)
    const long = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.id, config: quickConfig(500) }))
    await new Promise<void>((resolve) => core.events.subscribe((e) => e.name === 'run.epoch' && e.payload.runId === long.id && resolve()))
    await core.close() // like a crash: the worker dies mid-run

    core = testCore(t.dir)
    teardown.push(() => core.close())
    expect(core.interruptedAtStart).toBe(1)
    const runs = await ok<RunSummary[]>(core.dispatch('runs.list', {}))
    const byId = new Map(runs.map((r) => [r.id, r]))
    expect(byId.get(done.id)?.status).toBe('completed')
    expect(byId.get(long.id)?.status).toBe('interrupted')
    expect(byId.get(long.id)?.epochsDone).toBeGreaterThanOrEqual(1)
  })

  it('cancels a running run within one batch and a queued one at once', async () => {
    const { core } = setup(1)
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 400 }))
    const a = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.id, config: quickConfig(1000) }))
    const b = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.id, config: quickConfig(5) }))
    await new Promise<void>((resolve) => core.events.subscribe((e) => e.name === 'run.progress' && e.payload.runId === a.id && resolve()))
    await ok(core.dispatch('runs.cancel', { id: b.id }))
    await ok(core.dispatch('runs.cancel', { id: a.id }))
    await core.runs.drain()
    const ra = await ok<RunDetail>(core.dispatch('runs.get', { id: a.id }))
    const rb = await ok<RunDetail>(core.dispatch('runs.get', { id: b.id }))
    expect(ra.status).toBe('cancelled')
    expect(ra.epochs.length).toBeLessThan(1000)
    expect(rb.status).toBe('cancelled')
    expect(rb.epochs).toHaveLength(0)
    const again = await core.dispatch('runs.cancel', { id: a.id })
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
  })

  it('answers bad requests with errors that name the field', async () => {
    const { core } = setup()
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 100 }))
    const wrongType = await core.dispatch('runs.start', { datasetId: ds.id, config: { ...quickConfig(2), window: 'twenty' } })
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    if (!wrongType.ok) expect(wrongType.error.message).toMatch(/config\.window: Invalid input: expected number/)
    const tooLong = await core.dispatch('runs.start', { datasetId: ds.id, config: { ...quickConfig(2), window: 90 } })
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/^config\.window/) } })
    const badColumn = await core.dispatch('runs.start', { datasetId: ds.id, config: { ...quickConfig(2), target: 'Close' } })
    expect(badColumn).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/^config\.target/) } })
    expect(await core.dispatch('runs.get', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await core.dispatch('datasets.explode', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_OPERATION', message: 'Unknown operation "datasets.explode"' }
    })
    expect(await ok<RunSummary[]>(core.dispatch('runs.list', {}))).toHaveLength(0)
  })

  it('gives back the stored dataset when the same sine is generated again (same content hash)', async () => {
    const { core } = setup()
    const a = await ok<{ id: string; hash: string }>(core.dispatch('datasets.generateSine', { length: 100, seed: 1 }))
    const b = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 100, seed: 1 }))
    const c = await ok<{ id: string; hash: string }>(core.dispatch('datasets.generateSine', { length: 100, seed: 1, noise: 0.1 }))
    expect(b.id).toBe(a.id)
    expect(c.hash).not.toBe(a.hash)
    const detail = await ok<{ preview: { columns: { values: number[] }[] } }>(core.dispatch('datasets.get', { id: a.id }))
    expect(detail.preview.columns[0].values).toHaveLength(100)
  })
})

describe('language models and saved models through the core', () => {
  it('trains a character LM on the original verse, then samples from its saved model', async () => {
    const { core } = setup()
    const ds = await ok<{ id: string; kind: string; rows: number }>(core.dispatch('datasets.generateText', {}))
    expect(ds.kind).toBe('text')
    const run = await ok<RunSummary>(
      core.dispatch('runs.start', {
        datasetId: ds.id,
        config: {
          task: 'text',
          layout: 'many-to-many',
          sequenceLength: 12,
          split: { train: 0.8, val: 0.2 },
          model: { cell: 'gru', layers: [{ units: 16 }] },
          training: { epochs: 2, learningRate: 0.01 },
          sampling: { length: 30, prime: 'The' }
        }
      })
    )
    await core.runs.whenDone(run.id)
    const detail = await ok<RunDetail>(core.dispatch('runs.get', { id: run.id }))
    expect(detail.error).toBeNull()
    expect(detail.status).toBe('completed')
    expect(detail.textMetrics?.evaluatedOn).toBe('val')
    expect(detail.textMetrics?.vocabularySize).toBeGreaterThan(20)
    expect(detail.epochs[1].sample).toBeTruthy()
    expect(detail.finalSample?.startsWith('The')).toBe(true)
    expect(detail.artifacts.map((a) => a.kind).sort()).toEqual(['best', 'final'])
    const s = await ok<{ text: string }>(core.dispatch('runs.sample', { id: run.id, prime: 'The little', length: 20, temperature: 0.8 }))
    expect(s.text.startsWith('The little')).toBe(true)
    expect(Array.from(s.text).length).toBe(Array.from('The little').length + 20)
    // A forecast config on a text dataset is refused with the field named.
    const wrong = await core.dispatch('runs.start', { datasetId: ds.id, config: quickConfig(1) })
    expect(wrong).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/^datasetId:/) } })
  })

  it('forecasts beyond the data with the saved model of a finished run', async () => {
    const { core } = setup()
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateStock', { days: 300 }))
    const run = await ok<RunSummary>(
      core.dispatch('runs.start', {
        datasetId: ds.id,
        config: { ...quickConfig(2), window: 10, features: ['Close'], target: 'Close' }
      })
    )
    await core.runs.whenDone(run.id)
    const r = await ok<{ steps: { step: number; time: string | null; value: number }[] }>(
      core.dispatch('runs.predict', { id: run.id, steps: 4 })
    )
    expect(r.steps.map((s) => s.step)).toEqual([1, 2, 3, 4])
    expect(r.steps.every((s) => Number.isFinite(s.value) && s.time !== null)).toBe(true)
    const multi = await ok<RunSummary>(
      core.dispatch('runs.start', {
        datasetId: ds.id,
        config: { ...quickConfig(1), window: 10, features: ['Close', 'Volume'], target: 'Close' }
      })
    )
    await core.runs.whenDone(multi.id)
    expect(await core.dispatch('runs.predict', { id: multi.id, steps: 3 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringMatching(/^steps: this model forecasts at most 1 step/) }
    })
  })
})

describe('estimating seconds per epoch', () => {
  it('probes a few batches in a worker and stores nothing', async () => {
    const { core } = setup()
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 1000 }))
    const est = await ok<{ secondsPerEpoch: number; batchesPerEpoch: number; msPerBatch: number; backend: string }>(
      core.dispatch('runs.estimate', { datasetId: ds.id, config: quickConfig(20) })
    )
    expect(est.batchesPerEpoch).toBe(Math.ceil((700 - 20) / 16))
    expect(est.msPerBatch).toBeGreaterThan(0)
    expect(est.secondsPerEpoch).toBeCloseTo((est.msPerBatch * est.batchesPerEpoch) / 1000, 10)
    expect(est.backend).toBe('wasm')
    expect(await ok<unknown[]>(core.dispatch('runs.list', {}))).toHaveLength(0)
    const bad = await core.dispatch('runs.estimate', { datasetId: ds.id, config: { ...quickConfig(2), window: 900 } })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/^config\.window/) } })
  })
})

describe('settings', () => {
  it('keeps the worker count for the next start; the command line wins', async () => {
    const t = tempDir()
    teardown.push(async () => t.cleanup())
    const first = testCore(t.dir, { workers: 1 })
    const saved = await ok<{ workers: number | null; workersFromCommandLine: boolean }>(first.dispatch('settings.set', { workers: 2 }))
    expect(saved).toMatchObject({ workers: 2, workersFromCommandLine: true })
    expect(await first.dispatch('settings.set', { workers: 0 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    await first.close()
    const { AppCore } = await import('../../src-main/services/app-core')
    const { WORKER_BOOTSTRAP } = await import('../helpers/core')
    const second = new AppCore({
      dataDir: t.dir,
      workerScript: WORKER_BOOTSTRAP,
      workerExecArgv: [],
      backends: ['wasm'],
      transport: 'http'
    })
    teardown.push(() => second.close())
    expect(second.pool.size).toBe(2)
    expect(await ok(second.dispatch('settings.get', {}))).toMatchObject({ workers: 2, runningWorkers: 2, workersFromCommandLine: false })
  })
})
