// Checkpoints and resume: a run stopped mid-way continues from its last checkpoint (weights, optimizer
// state, epoch, batch-order RNG, schedules) into the same record, with the same per-epoch losses as
// a run never stopped.
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunDetail, RunSummary } from '../../src-shared/domain'
import { sineExampleConfig } from '../../src-shared/forecast-config'
import type { AppCore } from '../../src-main/services/app-core'
import { ok, tempDir, testCore, useTeardown } from '../helpers/core'
import { cliFolder, jsonLines, runCli, startCli } from '../helpers/cli-process'

const teardown = useTeardown()

const config = (epochs: number) => ({
  ...sineExampleConfig(),
  model: { cell: 'lstm', layers: [{ units: 8 }] },
  training: {
    ...sineExampleConfig().training,
    epochs,
    batchSize: 16,
    optimizer: 'adam',
    lrSchedule: { type: 'plateau', factor: 0.5, patience: 1, minLearningRate: 0.0001 }
  }
})

const epochReached = (core: AppCore, runId: string, epoch: number) =>
  new Promise<void>((resolve) =>
    core.events.subscribe((e) => e.name === 'runs.epoch' && e.payload.runId === runId && e.payload.record.epoch >= epoch && resolve())
  )

describe('checkpoints and resume', () => {
  it('resumes an interrupted run into the same record with the same per-epoch losses as an uninterrupted run', async () => {
    const t = tempDir()
    teardown.push(async () => t.cleanup())
    let core = testCore(t.dir, { checkpointSeconds: 0 })
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 400 }))
    const run = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.id, config: config(10) }))
    await epochReached(core, run.id, 5)
    await core.close() // the worker dies mid-run, like a crash

    core = testCore(t.dir, { checkpointSeconds: 0 })
    teardown.push(() => core.close())
    const stopped = await ok<RunDetail>(core.dispatch('runs.get', { id: run.id }))
    expect(stopped.status).toBe('interrupted')
    const checkpoint = stopped.artifacts.find((a) => a.kind === 'checkpoint')!
    expect(checkpoint.epoch).toBeGreaterThanOrEqual(4)
    expect(stopped.artifacts.find((a) => a.kind === 'best')).toBeTruthy()

    const resumed = await ok<RunSummary>(core.dispatch('runs.resume', { id: run.id }))
    expect(resumed.status).toBe('queued')
    await core.runs.whenDone(run.id)
    const done = await ok<RunDetail>(core.dispatch('runs.get', { id: run.id }))
    expect(done.status).toBe('completed')
    expect(done.metrics).toBeTruthy()
    expect(done.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(readdirSync(core.runs.artifactsDir(run.id)).filter((n) => n.includes('.tmp-'))).toEqual([])

    const fresh = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.id, config: config(10) }))
    await core.runs.whenDone(fresh.id)
    const reference = await ok<RunDetail>(core.dispatch('runs.get', { id: fresh.id }))
    const figures = (r: RunDetail) => r.epochs.map((e) => [e.loss, e.valLoss, e.learningRate])
    expect(figures(done)).toEqual(figures(reference))
    expect(done.metrics!.test.rmse).toBe(reference.metrics!.test.rmse)
  }, 240_000)

  it('a run killed between the two renames of a checkpoint save resumes from its last recorded checkpoint', async () => {
    const t = tempDir()
    teardown.push(async () => t.cleanup())
    let core = testCore(t.dir, { checkpointSeconds: 0 })
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 400 }))
    const run = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.id, config: config(8) }))
    await epochReached(core, run.id, 4)
    await core.close()
    // What a SIGKILL inside writeDirAtomically leaves (the e2e resume test hit it once the native step
    // made epochs take milliseconds): the previous checkpoint moved aside, the next one complete in its
    // temp folder, no `checkpoint` folder.
    const dir = core.runs.artifactsDir(run.id)
    renameSync(join(dir, 'checkpoint'), join(dir, 'checkpoint.old-99999-7'))
    mkdirSync(join(dir, 'checkpoint.tmp-99999-8'))

    core = testCore(t.dir, { checkpointSeconds: 0 })
    teardown.push(() => core.close())
    expect((await ok<RunDetail>(core.dispatch('runs.get', { id: run.id }))).status).toBe('interrupted')
    await ok<RunSummary>(core.dispatch('runs.resume', { id: run.id }))
    await core.runs.whenDone(run.id)
    const done = await ok<RunDetail>(core.dispatch('runs.get', { id: run.id }))
    expect(done.status).toBe('completed')
    expect(done.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(readdirSync(dir).filter((n) => n.includes('.old-') || n.includes('.tmp-'))).toEqual([])
  })

  it('refuses to resume a run that is not interrupted or has no checkpoint', async () => {
    const t = tempDir()
    teardown.push(async () => t.cleanup())
    const core = testCore(t.dir)
    teardown.push(() => core.close())
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 400 }))
    const run = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.id, config: config(2) }))
    await core.runs.whenDone(run.id)
    const res = await core.dispatch('runs.resume', { id: run.id })
    expect(res).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/completed; only interrupted/) } })
    expect(existsSync(join(core.runs.artifactsDir(run.id), 'checkpoint'))).toBe(false)
  }, 120_000)

  it('rnn-lab resume continues a SIGKILLed run in a new process: contiguous epochs, the losses of an uninterrupted run, exit 0', async () => {
    const f = await cliFolder(24, teardown)
    const env = { RNN_LAB_CHECKPOINT_SECONDS: '0' }
    const train = startCli(['train', '--dataset', f.datasetId, '--config', f.config, '--data-dir', f.dir, '--json'], env)
    teardown.push(async () => void train.child.kill('SIGKILL'))
    const runId = JSON.parse(await train.waitFor(/"type":"started"/)).runId as string
    await train.waitFor(/"type":"epoch","runId":"[^"]+","epoch":6,/)
    train.child.kill('SIGKILL')
    await train.exited

    const resumed = await runCli(['resume', runId, '--data-dir', f.dir, '--json'], env)
    expect(resumed.stderr).toBe('')
    expect(resumed.code).toBe(0)
    const lines = jsonLines(resumed.stdout)
    expect(lines[0]).toMatchObject({ type: 'resumed', runId })
    const record = lines.find((l) => l.type === 'run') as unknown as RunDetail
    expect(record.status).toBe('completed')
    expect(record.metrics).toBeTruthy()
    expect(record.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1))

    const reference = await runCli(['train', '--dataset', f.datasetId, '--config', f.config, '--data-dir', f.dir, '--json'])
    const ref = jsonLines(reference.stdout).find((l) => l.type === 'run') as unknown as RunDetail
    const losses = (r: RunDetail) => r.epochs.map((e) => [e.loss, e.valLoss])
    expect(losses(record)).toEqual(losses(ref))
  }, 300_000)
})
