// Two real processes on one data folder (the built CLI: npm run build first): a second `rnn-lab`
// command never marks a live run interrupted; a SIGKILLed owner's run does become interrupted.
import { describe, expect, it } from 'vitest'
import { useTeardown } from '../helpers/core'
import { cliFolder, jsonLines, runCli, startCli } from '../helpers/cli-process'

const teardown = useTeardown()

const folder = (epochs: number) => cliFolder(epochs, teardown)

describe('run ownership across processes', () => {
  it('a second rnn-lab process on the same folder leaves a live run alone: it completes with metrics, exit 0', async () => {
    // Long enough that the run is still training when the second process looks (≈ 5 ms an epoch with
    // the native step, ≈ 10× that on the WebAssembly kernels).
    const f = await folder(3000)
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
    expect((record.epochs as unknown[]).length).toBe(3000)
  }, 240_000)

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
