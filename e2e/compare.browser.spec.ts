// The run registry and the compare dashboard in a real Chromium against `rnn-lab serve`: three LSTM runs
// on a synthetic stock (trained through the API), tagged and filtered on the Runs page, then compared:
// overlaid curves, sorting by test RMSE, a pinned baseline with deltas, the config diff, saved views,
// and the CSV and PNG exports.
import { expect, test, type Page } from '@playwright/test'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { api } from './page-checks'
import { startServe } from './serve-process'

const SHOTS = join(__dirname, '..', 'test-results', 'screens')
mkdirSync(SHOTS, { recursive: true })

interface RunRow {
  id: string
  name: string
  status: string
  config: { model: { layers: { units: number }[] } }
  metrics: { test: { rmse: number } } | null
}

function stockConfig(units: number) {
  return {
    window: 20,
    features: ['Close'],
    target: 'Close',
    model: { cell: 'lstm', layers: [{ units }] },
    training: { epochs: 3, batchSize: 32, learningRate: 0.001, earlyStopping: { patience: 5 }, seed: 42 }
  }
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' })
  await page.screenshot({ path: join(SHOTS, `${name}.png`) })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: join(SHOTS, `${name}-dark.png`) })
  await page.emulateMedia({ colorScheme: 'light' })
}

test('registry + compare: three LSTM runs → tags and filters → sort, baseline, config diff, CSV/PNG export, saved view', async ({
  page
}) => {
  test.setTimeout(120_000)
  await page.setViewportSize({ width: 1280, height: 800 })
  const dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-e2e-compare-'))
  const serve = await startServe(dataDir)
  try {
    const errors: string[] = []
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(serve.url)

    // Three runs that differ only in units, trained through the API.
    const dataset = await api<{ id: string }>(page, serve, 'datasets.generateStock', { days: 400 })
    for (const units of [8, 16, 32]) {
      await api(page, serve, 'runs.start', { datasetId: dataset.id, name: `LSTM ${units}`, config: stockConfig(units) })
    }
    let runs: RunRow[] = []
    await expect
      .poll(
        async () => {
          runs = await api<RunRow[]>(page, serve, 'runs.list', {})
          return runs.map((r) => r.status).join(',')
        },
        { timeout: 75_000, intervals: [500] }
      )
      .toBe('completed,completed,completed')
    const byName = Object.fromEntries(runs.map((r) => [r.name, r]))

    // Runs page: tag a run on its page (Registry card), then filter by the tag and sort by test RMSE.
    await page.getByTestId('nav-runs').click()
    await expect(page.getByTestId('run-row')).toHaveCount(3)
    await page.locator(`[data-testid="run-row"][data-run-id="${byName['LSTM 16'].id}"] a`).first().click()
    await expect(page.getByTestId('run-meta')).toBeVisible()
    await page.getByTestId('tag-input').fill('keep')
    await page.getByTestId('add-tag').click()
    await expect(page.getByTestId('tag-chip')).toHaveCount(1)
    await expect(page.getByTestId('tag-chip')).toContainText('keep')
    await page.getByTestId('run-notes').fill('Middle size; the reference for the others.')
    await page.getByTestId('save-notes').click()
    await expect(page.getByTestId('save-notes')).toBeDisabled()
    await page.getByTestId('run-meta').scrollIntoViewIfNeeded()
    await shoot(page, 'compare-run-meta')

    await page.getByTestId('nav-runs').click()
    await expect(page.getByTestId('run-row')).toHaveCount(3)
    await expect(page.locator(`[data-testid="run-row"][data-run-id="${byName['LSTM 16'].id}"]`).getByTestId('run-tag')).toHaveText('keep')
    await page.getByTestId('runs-filter-tag').selectOption('keep')
    await expect(page.getByTestId('run-row')).toHaveCount(1)
    await page.getByTestId('runs-filter-tag').selectOption('')
    await page.getByTestId('runs-sort').selectOption('metrics.test.rmse')
    const ascending = [...runs].sort((a, b) => a.metrics!.test.rmse - b.metrics!.test.rmse)
    await expect(page.getByTestId('run-row')).toHaveCount(3)
    await expect
      .poll(() => page.getByTestId('run-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id'))))
      .toEqual(ascending.map((r) => r.id))
    await shoot(page, 'compare-runs-sorted')

    // Select the three and open Compare.
    for (const box of await page.getByTestId('run-select').all()) await box.check()
    await page.getByTestId('compare-selected').click()
    await expect(page).toHaveURL(/#\/compare\?ids=/)
    await expect(page.getByTestId('compare-row')).toHaveCount(3)
    await expect(page.getByTestId('legend-item')).toHaveCount(3)
    await page.getByTestId('compare-chart-data').locator('summary').click()
    // The table is built when opened: wait for its header before reading it.
    await expect(page.getByTestId('compare-chart-data').locator('thead th')).toHaveCount(7)
    const dataHeader = await page.getByTestId('compare-chart-data').locator('thead th').allTextContents()
    for (const name of ['LSTM 8', 'LSTM 16', 'LSTM 32']) {
      expect(dataHeader).toContain(`${name} · train`)
      expect(dataHeader).toContain(`${name} · val`)
    }
    expect(dataHeader).toHaveLength(7)
    await page.getByTestId('compare-chart-data').locator('summary').click()

    // Sort by test RMSE: ascending, then the header says so.
    await page.getByTestId('sort-rmse').click()
    await expect(page.getByTestId('sort-rmse').locator('xpath=..')).toHaveAttribute('aria-sort', 'ascending')
    const order = await page.getByTestId('compare-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id')))
    expect(order).toEqual(ascending.map((r) => r.id))

    // Pin LSTM 16 as the baseline: the others show their change against it.
    const base = byName['LSTM 16']
    const baseRow = page.locator(`[data-testid="compare-row"][data-run-id="${base.id}"]`)
    await baseRow.getByTestId('pin-baseline').check()
    await expect(baseRow.getByTestId('baseline-badge')).toBeVisible()
    await expect(page).toHaveURL(new RegExp(`baseline=${base.id}`))
    const other = page.locator(`[data-testid="compare-row"][data-run-id="${byName['LSTM 8'].id}"] td[data-key="rmse"]`)
    await expect(other).toContainText('%')
    await expect(baseRow.locator('td[data-key="rmse"]')).not.toContainText('%')

    // The config diff lists only the units.
    const diffRows = page.getByTestId('config-diff').getByTestId('config-diff-row')
    await expect(diffRows).toHaveCount(1)
    await expect(diffRows.first()).toHaveAttribute('data-path', 'model.layers[0].units')
    await expect(diffRows.first()).toContainText('8')
    await expect(page.getByTestId('parallel-coords')).toBeVisible()
    await expect(page.getByTestId('forecast-overlay')).toBeVisible()

    await page.getByTestId('compare-chart').scrollIntoViewIfNeeded()
    await page.locator('main').evaluate((m) => m.scrollTo(0, 0))
    await shoot(page, 'compare')
    await page.getByTestId('compare-table').evaluate((el) => el.closest('section')!.scrollIntoView({ block: 'start' }))
    await shoot(page, 'compare-table')
    await page.getByTestId('parallel-coords').evaluate((el) => el.closest('section')!.scrollIntoView({ block: 'start' }))
    await shoot(page, 'compare-parallel')
    await page.getByTestId('forecast-overlay').evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await shoot(page, 'compare-forecast')

    // CSV export: header, three rows in the shown (RMSE) order, the RMSE values and the deltas.
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])
    expect(csvDownload.suggestedFilename()).toBe('rnn-lab-compare.csv')
    const csv = readFileSync(await csvDownload.path(), 'utf8')
      .trim()
      .split(/\r?\n/)
    const header = csv[0].split(',')
    expect(header).toContain('Test RMSE')
    expect(header).toContain('Test RMSE Δ% vs baseline')
    expect(csv).toHaveLength(4)
    const rmseCol = header.indexOf('Test RMSE')
    const rows = csv.slice(1).map((l) => l.split(','))
    expect(rows.map((r) => r[0])).toEqual(ascending.map((r) => r.id))
    expect(rows.map((r) => Number(r[rmseCol]))).toEqual(ascending.map((r) => r.metrics!.test.rmse))
    expect(rows.find((r) => r[0] === base.id)![header.indexOf('Baseline')]).toBe('yes')

    // PNG exports of the loss chart and the parallel coordinates.
    await page.getByTestId('export-loss').locator('summary').click()
    const [lossPng] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-loss-save').click()])
    expect(lossPng.suggestedFilename()).toBe('rnn-lab-compare-loss.png')
    expect(
      readFileSync(await lossPng.path())
        .subarray(1, 4)
        .toString()
    ).toBe('PNG')
    await page.getByTestId('export-parallel').locator('summary').click()
    const [pcPng] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-parallel-save').click()])
    expect(
      readFileSync(await pcPng.path())
        .subarray(1, 4)
        .toString()
    ).toBe('PNG')

    // Smoothing, wall-time axis and grouping change the chart.
    await page.getByTestId('ema-slider').fill('0.6')
    await expect(page.getByTestId('ema-value')).toHaveText('0.60')
    await page.getByTestId('x-mode-time').check({ force: true })
    await page.getByTestId('compare-chart-data').locator('summary').click()
    await expect(page.getByTestId('compare-chart-data').locator('thead th').first()).toHaveText('Wall time (s)')
    await page.getByTestId('compare-chart-data').locator('summary').click()
    await page.getByTestId('group-by').selectOption('model.layers[0].units')
    await expect(page.getByTestId('legend-item')).toHaveText([/units = 8\b/, /units = 16\b/, /units = 32\b/])

    // Save the view, change a setting, reopen it.
    await page.getByTestId('view-name').fill('LSTM units')
    await page.getByTestId('save-view').click()
    await expect(page.getByTestId('saved-view')).toHaveCount(1)
    await page.getByTestId('group-by').selectOption({ index: 0 })
    await page.getByTestId('x-mode-epoch').check({ force: true })
    await page.getByTestId('open-view').click()
    await expect(page.getByTestId('group-by')).toHaveValue('model.layers[0].units')
    await expect(page.getByTestId('x-mode-time')).toBeChecked()
    await expect(page.getByTestId('ema-value')).toHaveText('0.60')
    await page.getByTestId('compare-chart').scrollIntoViewIfNeeded()
    await page.locator('main').evaluate((m) => m.scrollTo(0, 0))
    await shoot(page, 'compare-grouped')

    // A run deleted since the link was made is named; the others are still compared.
    await page.goto(`${serve.origin}/#/compare?ids=${base.id},run_deleted`)
    await expect(page.getByTestId('compare-missing')).toContainText('run_deleted')
    await expect(page.getByTestId('compare-row')).toHaveCount(1)

    // A sweep from a run's page (units 8, 12), opened in Compare; the Runs page offers it as a filter.
    await page.goto(`${serve.origin}/#/runs/${base.id}`)
    await page.getByTestId('sweep-from-run').click()
    await page.getByTestId('sweep-name').fill('units sweep')
    await page.getByTestId('sweep-field-units').fill('8, 12')
    await expect(page.getByTestId('create-sweep')).toHaveText('Start 2 runs')
    await page.getByTestId('new-sweep').scrollIntoViewIfNeeded()
    await shoot(page, 'compare-new-sweep')
    await page.getByTestId('create-sweep').click()
    await expect(page).toHaveURL(/#\/compare\?sweep=sw_/)
    await expect(page.getByTestId('compare-sweep-name')).toHaveText('units sweep')
    await expect(page.getByTestId('compare-row')).toHaveCount(2)
    const sweepId = new URL(page.url()).hash.match(/sweep=([^&]+)/)![1]
    await expect
      .poll(async () => (await api<RunRow[]>(page, serve, 'runs.list', { status: 'completed' })).length, { timeout: 60_000 })
      .toBe(5)
    await expect(page.getByTestId('config-diff-row')).toHaveCount(1)
    await page.getByTestId('nav-runs').click()
    await page.getByTestId('runs-filter-sweep').selectOption(sweepId)
    await expect(page.getByTestId('run-row')).toHaveCount(2)
    await expect(page.getByTestId('compare-sweep')).toBeVisible()
    await page.getByTestId('runs-filter-clear').click()
    await expect(page.getByTestId('run-row')).toHaveCount(5)

    expect(errors).toEqual([])
  } finally {
    await serve.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
