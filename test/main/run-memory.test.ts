import { describe, expect, it } from 'vitest'
import { WorkerPool } from '../../src-main/workers/worker-pool'
import { ForecastConfig, sineExampleConfig } from '../../src-shared/forecast-config'
import { generateSine } from '../../src-shared/sine'
import { ok, tempDir, testCore, useTeardown, WORKER_BOOTSTRAP } from '../helpers/core'

const teardown = useTeardown()
const MB = 2 ** 20

const quickConfig = () => ({
  ...sineExampleConfig(),
  model: { cell: 'simple_rnn' as const, layers: [{ units: 4 }] },
  training: { ...sineExampleConfig().training, epochs: 1, batchSize: 32 }
})

function setup(freeMemory?: () => number) {
  const t = tempDir()
  const core = testCore(t.dir, { freeMemory })
  teardown.push(async () => {
    await core.close()
    t.cleanup()
  })
  return core
}

describe('the series reaches the worker without a copy', () => {
  it('the columns move with the job (the sender keeps detached buffers) and the run trains on them', async () => {
    const pool = new WorkerPool({ size: 1, script: WORKER_BOOTSTRAP, backends: ['wasm'] })
    teardown.push(() => pool.close())
    const columns = { value: generateSine({ length: 400, frequency: 0.03, amplitude: 1, noise: 0, seed: 2 }) }
    const end = pool.run(
      'job_transfer',
      { type: 'train-forecast', config: ForecastConfig.parse(quickConfig()), columns, artifactsDir: null },
      () => {},
      [columns.value.buffer as ArrayBuffer]
    )
    const result = await end
    expect(result.type).toBe('completed')
    expect(columns.value.byteLength).toBe(0) // moved, not copied
  })
})

describe('the memory a run needs', () => {
  it('runs.estimate says it beside the free memory; a forecast run that would not fit is refused before it is stored', async () => {
    const core = setup(() => 64 * MB)
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 600 }))
    const est = await ok<{ memory: { bytes: number; freeBytes: number; fits: boolean; parts: Record<string, number> } }>(
      core.dispatch('runs.estimate', { datasetId: ds.id, config: quickConfig() })
    )
    expect(est.memory.freeBytes).toBe(64 * MB)
    expect(est.memory.bytes).toBeGreaterThan(64 * MB) // the worker runtime alone is more
    expect(est.memory.fits).toBe(false)
    expect(Object.values(est.memory.parts).reduce((a, b) => a + b, 0)).toBe(est.memory.bytes)
    const refused = await core.dispatch('runs.start', { datasetId: ds.id, config: quickConfig() })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringMatching(/^config: this run needs ~\d+ MB of memory, 64 MB free/) }
    })
    expect(await ok<unknown[]>(core.dispatch('runs.list', {}))).toHaveLength(0)
  })

  it('a run that fits starts as before', async () => {
    const core = setup(() => 64 * 2 ** 30)
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 600 }))
    const run = await ok<{ id: string }>(core.dispatch('runs.start', { datasetId: ds.id, config: quickConfig() }))
    await core.runs.whenDone(run.id)
    expect(core.runs.get(run.id).status).toBe('completed')
  })
})
