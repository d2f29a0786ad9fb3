// Honest forecasting on real closes (yahoo-IBM.csv) in Chromium against `rnn-lab serve`: the range
// warning before training with its one-click fix, bidirectional refused for many-to-many, the test-part
// chart with 80/95 % bands and dates, the step selector, the forecast ahead on business days with its
// bands and the checkpoint it came from, the series with its split boundaries. Screenshots in both themes.
import { expect, test, type Page } from '@playwright/test'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { startServe, type ServeHandle } from './serve-process'

const SHOTS = join(__dirname, '..', 'test-results', 'screens')
mkdirSync(SHOTS, { recursive: true })
const IBM = resolve(__dirname, '..', '..', 'shared', 'data', 'stocks', 'yahoo-IBM.csv')

let serve: ServeHandle
let dataDir: string

async function api<T>(page: Page, op: string, data: unknown): Promise<T> {
  const res = await page.request.post(`${serve.origin}/api/${op}`, { headers: { authorization: `Bearer ${serve.token}` }, data })
  const body = await res.json()
  if (!body.ok) throw new Error(`${op}: ${body.error.message}`)
  return body.result as T
}

/** The file as a browser sends it: bytes POSTed to serve's upload path, then imported by upload id. */
async function uploadCsv(page: Page, file: string): Promise<{ kind: 'upload'; uploadId: string }> {
  const res = await page.request.post(`${serve.origin}/upload?name=${encodeURIComponent(basename(file))}`, {
    headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/octet-stream' },
    data: readFileSync(file)
  })
  const body = await res.json()
  if (!body.ok) throw new Error(`upload: ${body.error.message}`)
  return { kind: 'upload', uploadId: body.result.uploadId }
}

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-forecasting-'))
  serve = await startServe(dataDir)
})

test.afterAll(async () => {
  await serve?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

test('IBM closes: range warning, intervals with measured coverage, dates, step selector, business-day forecast', async ({ page }) => {
  test.setTimeout(240_000)
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(serve.url)
  const { dataset } = await api<{ dataset: { id: string } }>(page, 'datasets.importCsv', { source: await uploadCsv(page, IBM) })

  // Before training: levels of IBM's close leave the training range; log returns offered first.
  await page.goto(`${serve.origin}/#/runs/new?dataset=${dataset.id}`)
  await page.reload()
  await page.getByTestId('run-feature-Close').check()
  for (const c of ['Open', 'High', 'Low', 'Adj Close', 'Volume']) await page.getByTestId(`run-feature-${c}`).uncheck()
  await page.getByTestId('run-target').selectOption('Close')
  const warning = page.getByTestId('range-warning')
  await expect(warning).toContainText('100 % of the test values (above the training maximum 134.1, up to 194.6)')
  await page.screenshot({ path: join(SHOTS, 'forecasting-range-warning.png'), fullPage: false })
  await page.getByTestId('range-fix-transform').click()
  await expect(page.getByTestId('run-transform')).toHaveValue('logReturns')
  await expect(warning).toHaveCount(0)

  // Bidirectional is refused for many-to-many, with the reason.
  await page.getByTestId('run-bidirectional').check()
  await page.getByTestId('layout-many-to-many').click()
  await expect(page.getByTestId('run-bidirectional')).toBeDisabled()
  await expect(page.getByTestId('run-bidirectional')).not.toBeChecked()
  await expect(page.getByTestId('run-bidirectional-why')).toContainText('a backward direction has already read it')

  // A log-return LSTM with a 3-step horizon, trained through the API (tiny).
  const run = await api<{ id: string }>(page, 'runs.start', {
    datasetId: dataset.id,
    config: {
      window: 20,
      horizon: 3,
      features: ['Close'],
      target: 'Close',
      transform: 'logReturns',
      model: { cell: 'lstm', layers: [{ units: 8 }] },
      training: { epochs: 3, learningRate: 0.005, seed: 1 }
    }
  })
  await expect
    .poll(async () => (await api<{ status: string }>(page, 'runs.get', { id: run.id })).status, { timeout: 120_000 })
    .toBe('completed')
  const detail = await api<{ metrics: { test: { coverage80: number; coverage95: number }; intervals: unknown } }>(page, 'runs.get', {
    id: run.id
  })
  expect(detail.metrics.intervals).not.toBeNull()

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.goto(`${serve.origin}/#/runs/${run.id}`)
    await page.reload()
    await expect(page.getByTestId('metrics-card')).toBeVisible()
    // Measured coverage beside the nominal levels; persistence's directional accuracy is n/a.
    await expect(page.getByTestId('metric-coverage-80').locator('[data-column="model"]')).toHaveText(
      `${(detail.metrics.test.coverage80 * 100).toFixed(2)}%`
    )
    await expect(page.getByTestId('metric-directional-accuracy').locator('[data-column="persistence"]')).toContainText('n/a')
    await expect(page.getByTestId('evaluated-with')).toContainText('final weights (epoch 3)')
    await expect(page.getByTestId('per-step-table').locator('tbody tr')).toHaveCount(3)
    // Dates on the time axis: the chart's data table is labelled by date.
    await page.getByTestId('forecast-chart-data').locator('summary').click()
    await expect(page.getByTestId('forecast-chart-data')).toContainText('2011-')
    await page.getByTestId('forecast-step').selectOption('2')
    await expect(page.getByTestId('interval-coverage')).toContainText('at step 2')
    await page.getByTestId('predict-steps').fill('7')
    await page.getByTestId('predict-run').click()
    const table = page.getByTestId('predict-table')
    await expect(table.locator('tbody tr')).toHaveCount(7)
    // IBM's last row is Friday 2011-12-30: business days follow (weekends skipped).
    await expect(table.locator('tbody tr').nth(0)).toContainText('2012-01-02')
    await expect(table.locator('tbody tr').nth(5)).toContainText('2012-01-09')
    await expect(table.locator('tbody tr').nth(3)).toContainText('—') // beyond the horizon: no interval
    await expect(page.getByTestId('predict-checkpoint')).toContainText('final')
    await expect(page.getByTestId('predict-checkpoint')).toContainText('business days')
    await page.waitForTimeout(300)
    await page.getByTestId('forecast-chart').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SHOTS, `forecasting-intervals-${scheme}.png`) })
    await page.getByTestId('split-series').scrollIntoViewIfNeeded()
    await page.waitForTimeout(200)
    await page.screenshot({ path: join(SHOTS, `forecasting-splits-${scheme}.png`) })
  }
  expect(errors).toEqual([])
})
