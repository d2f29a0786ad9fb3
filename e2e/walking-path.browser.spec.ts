// The foundation's walking path in a real Chromium against a real `rnn-lab serve`: generate a sine
// wave, configure a SimpleRNN, train it in a worker, watch the loss curve, and find the run again after
// a reload and after restarting the server.
import { expect, test, type Page } from '@playwright/test'
import Database from 'better-sqlite3'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServe, type ServeHandle } from './serve-process'

const SHOTS = join(__dirname, '..', 'test-results', 'screens')
mkdirSync(SHOTS, { recursive: true })

/** Fails the test on any request that leaves the machine (the app must work offline). */
function guardNetwork(page: Page): string[] {
  const foreign: string[] = []
  page.on('request', (req) => {
    const u = new URL(req.url())
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && !['data:', 'blob:'].includes(u.protocol)) foreign.push(req.url())
  })
  return foreign
}

test('sine → SimpleRNN → live loss curve → run kept after reload and restart', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-e2e-'))
  let serve: ServeHandle | null = await startServe(dataDir)
  try {
    const foreign = guardNetwork(page)
    const consoleErrors: string[] = []
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()))
    page.on('pageerror', (e) => consoleErrors.push(e.message))

    await page.goto(serve.url)
    await page.getByTestId('nav-datasets').click()
    await page.screenshot({ path: join(SHOTS, 'datasets-empty.png') })
    await page.getByTestId('generate-sine').click()
    await expect(page.getByTestId('dataset-row')).toHaveCount(1)
    await page.screenshot({ path: join(SHOTS, 'datasets.png') })

    await page.getByTestId('nav-runs').click()
    await page.getByTestId('new-run').click()
    await page.getByTestId('use-sine-example').click()
    await expect(page.getByTestId('run-cell')).toHaveValue('simple_rnn')
    await page.getByTestId('run-epochs').fill('6')
    await expect(page.getByTestId('model-total-params')).toHaveText(/1,?121/) // SimpleRNN(32) 1,088 + Dense 33
    await page.screenshot({ path: join(SHOTS, 'new-run.png') })
    await page.getByTestId('start-run').click()

    // Live: the epoch table and the chart fill while the worker trains.
    await expect(page.getByTestId('loss-chart')).toBeVisible()
    await expect(page.getByTestId('epoch-table').locator('tbody tr').first()).toBeVisible({ timeout: 60_000 })
    await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 90_000 })
    await expect(page.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(6)
    await expect(page.getByTestId('metrics-card')).toBeVisible()
    await expect(page.getByTestId('run-backend')).toContainText('wasm')
    await page.screenshot({ path: join(SHOTS, 'run.png') })
    const runUrl = page.url()
    const runTitle = await page.getByTestId('run-title').textContent()

    // A reload keeps the page (hash routing) and the run.
    await page.reload()
    await expect(page.getByTestId('run-status')).toHaveText('completed')
    await expect(page.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(6)

    // The run is in SQLite with every epoch. (While the server is down the page's WebSocket
    // reconnect attempts log errors: those are expected, so the console is checked before.)
    expect(consoleErrors).toEqual([])
    await serve.stop()
    serve = null
    const db = new Database(join(dataDir, 'rnn-lab.sqlite'), { readonly: true })
    const row = db.prepare(`SELECT r.status, COUNT(e.epoch) AS epochs FROM runs r JOIN run_epochs e ON e.run_id = r.id GROUP BY r.id`).get()
    db.close()
    expect(row).toEqual({ status: 'completed', epochs: 6 })

    // Restart the server: a new token, the same data folder, the run is still listed.
    serve = await startServe(dataDir)
    await page.goto(serve.url)
    consoleErrors.length = 0
    await page.getByTestId('nav-runs').click()
    await expect(page.getByTestId('run-row')).toHaveCount(1)
    await expect(page.getByTestId('run-row')).toContainText('completed')
    await page.screenshot({ path: join(SHOTS, 'runs-after-restart.png') })
    await page.getByTestId('run-row').getByRole('link').first().click()
    await expect(page.getByTestId('run-title')).toHaveText(runTitle!)
    expect(new URL(page.url()).hash).toBe(new URL(runUrl).hash)

    expect(foreign).toEqual([])
    expect(consoleErrors).toEqual([])
  } finally {
    await serve?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})

test('the browser sees 401 without the token and a named field error with a bad request', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-e2e-'))
  const serve = await startServe(dataDir)
  try {
    const noToken = await page.request.get(`${serve.origin}/`)
    expect(noToken.status()).toBe(401)
    const bad = await page.request.post(`${serve.origin}/api/runs.start`, {
      headers: { authorization: `Bearer ${serve.token}` },
      data: { datasetId: 'x', config: { window: 'twenty' } }
    })
    expect(bad.status()).toBe(400)
    const body = await bad.json()
    expect(body.error.code).toBe('VALIDATION')
    expect(body.error.message).toContain('config.window')
  } finally {
    await serve.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
