// Two real processes on one data folder (the built CLI: npm run build first): a second `rnn-lab`
// command never marks a live run interrupted; a SIGKILLed owner's run does become interrupted.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sineExampleConfig } from '../../src-shared/run-config'
import { ok, tempDir, testCore, useTeardown } from '../helpers/core'
import { jsonLines, runCli, startCli } from '../helpers/cli-process'

const teardown = useTeardown()

/** A data folder with a sine dataset and a config file of `epochs` tiny epochs. */
async function folder(epochs: number) {
  const t = tempDir()
  teardown.push(async () => t.cleanup())
  const core = testCore(t.dir)
  const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 400 }))
  await core.close()
  const config = join(t.dir, 'config.json')
  const base = sineExampleConfig()
  writeFileSync(
    config,
    JSON.stringify({ ...base, model: { cell: 'simple_rnn', layers: [{ units: 8 }] }, training: { ...base.training, epochs } })
  )
  return { dir: t.dir, datasetId: ds.id, config }
}

describe('run ownership across processes', () => {
  it('a second rnn-lab process on the same folder leaves a live run alone: it completes with metrics, exit 0', async () => {
    const f = await folder(40)
    const train = startCli(['train', '--dataset', f.datasetId, '--config', f.config, '--data-dir', f.dir, '--json'])
    teardown.push(async () => void train.child.kill('SIGKILL'))
    await train.waitFor(/"type":"epoch"/)
    const runs = await runCli(['runs', '--data-dir', f.dir, '--json'])
    expect(runs.code).toBe(0)
    expect(JSON.parse(runs.stdout)[0].status).toBe('running')
    expect(await train.exited).toBe(0)
    const record = jsonLines(train.stdout()).find((l) => l.type === 'run')!
    expect(record.status).toBe('completed')
    expect(record.metrics).toBeTruthy()
    expect((record.epochs as unknown[]).length).toBe(40)
  }, 120_000)

  it('the run of a SIGKILLed process becomes interrupted for the next process, with its epochs', async () => {
    const f = await folder(2000)
    const train = startCli(['train', '--dataset', f.datasetId, '--config', f.config, '--data-dir', f.dir, '--json'])
    teardown.push(async () => void train.child.kill('SIGKILL'))
    await train.waitFor(/"type":"epoch","runId":"[^"]+","epoch":2,/)
    train.child.kill('SIGKILL')
    expect(await train.exited).toBe(null)
    const runs = await runCli(['runs', '--data-dir', f.dir, '--json'])
    const [run] = JSON.parse(runs.stdout)
    expect(run.status).toBe('interrupted')
    expect(run.epochsDone).toBeGreaterThanOrEqual(2)
  }, 120_000)
})
