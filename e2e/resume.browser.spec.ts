// Resume in a real Chromium against `rnn-lab serve`: a run whose serve process was SIGKILLed shows as
// interrupted with "Resume from epoch k"; clicking it continues the run to completed, epochs 1..n.
import { expect, test } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServe, type ServeHandle } from './serve-process'

async function api<T>(s: ServeHandle, op: string, body: unknown): Promise<T> {
  const res = await fetch(`${s.origin}/api/${op}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  const env = (await res.json()) as { ok: boolean; result: T; error?: { message: string } }
  if (!env.ok) throw new Error(`${op}: ${env.error?.message}`)
  return env.result
}

const EPOCHS = 600

test('a killed serve leaves the run interrupted; Resume continues it to completed with contiguous epochs', async ({ page }) => {
  test.setTimeout(150_000)
  process.env.RNN_LAB_CHECKPOINT_SECONDS = '0' // inherited by the serve processes
  const dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-e2e-resume-'))
  let serve = await startServe(dataDir)
  try {
    const ds = await api<{ id: string }>(serve, 'datasets.generateSine', { length: 400 })
    const config = {
      window: 20,
      features: ['value'],
      target: 'value',
      model: { cell: 'simple_rnn', layers: [{ units: 8 }] },
      // Long enough to be killed mid-run: the native training step takes a few ms an epoch here.
      training: { epochs: EPOCHS, batchSize: 16, seed: 7 }
    }
    const run = await api<{ id: string }>(serve, 'runs.start', { datasetId: ds.id, config })
    await expect
      .poll(async () => (await api<{ epochsDone: number }>(serve, 'runs.get', { id: run.id })).epochsDone, {
        timeout: 60_000,
        intervals: [100]
      })
      .toBeGreaterThanOrEqual(3)
    await serve.stop('SIGKILL')

    serve = await startServe(dataDir)
    await page.goto(`${serve.url}#/runs/${run.id}`)
    await expect(page.getByTestId('run-status')).toHaveText('interrupted')
    await expect(page.getByTestId('resume-run')).toHaveText(/Resume from epoch \d+/)
    await page.getByTestId('resume-run').click()
    await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 90_000 })
    const done = await api<{ epochs: { epoch: number }[]; metrics: unknown }>(serve, 'runs.get', { id: run.id })
    expect(done.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1))
    expect(done.metrics).toBeTruthy()
  } finally {
    await serve.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
