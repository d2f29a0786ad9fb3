// Issue #17 in a real Chromium against `rnn-lab serve`: line charts' x axes end at the data (the dataset
// chart of a 2,518-row stock file at its last plotted row, not 3,000; the forecast overlay at the test part's last
// row), and the compare page's parallel coordinates and forecast overlay export files that read alone:
// title, legend, axis labels, the light theme. The changed charts are shot in both themes at 1024 and
// 1600 px (and checked with axe), and the exported PNGs kept beside them.
import { expect, test, type Download, type Page } from '@playwright/test'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { api, seriousAxeFindings } from './page-checks'
import { startServe } from './serve-process'

const DATA = join(__dirname, '..', '..', 'shared', 'data')
const SHOTS = process.env.SHOTS_DIR ?? join(__dirname, '..', 'test-results', 'screens', 'charts')
mkdirSync(SHOTS, { recursive: true })

interface Run {
  id: string
  name: string
  status: string
  predictions: { index: number[] } | null
}

/** `name` in both themes at 1024 and 1600 px wide, after scrolling `testid` into view; axe's serious findings. */
async function shootAndCheck(page: Page, name: string, testid: string, problems: string[]): Promise<void> {
  for (const width of [1024, 1600]) {
    await page.setViewportSize({ width, height: 900 })
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.waitForTimeout(250)
      await page.getByTestId(testid).evaluate((el) => el.scrollIntoView({ block: 'center' }))
      await page.screenshot({ path: join(SHOTS, `${name}-${width}-${scheme}.png`) })
      for (const finding of await seriousAxeFindings(page)) problems.push(`${name} (${scheme}, ${width}): ${finding}`)
    }
  }
  await page.emulateMedia({ colorScheme: 'light' })
  await page.setViewportSize({ width: 1280, height: 800 })
}

/** Export through a chart's "Export…" dialog; the download's path. */
async function exportAs(page: Page, testid: string, format: 'png' | 'svg'): Promise<{ download: Download; path: string }> {
  await page.getByTestId(testid).locator('summary').click()
  await page.getByTestId(`${testid}-${format}`).check()
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`${testid}-save`).click()])
  const path = await download.path()
  copyFileSync(path, join(SHOTS, `export-${download.suggestedFilename()}`))
  return { download, path }
}

/** The PNG's size, its top-left corner and the first legend swatch (at 2× the SVG's 95, 70), read in the page. */
async function pngPixels(page: Page, path: string) {
  return page.evaluate(async (b64) => {
    const img = new Image()
    img.src = `data:image/png;base64,${b64}`
    await img.decode()
    const c = document.createElement('canvas')
    c.width = img.width
    c.height = img.height
    const ctx = c.getContext('2d')!
    ctx.drawImage(img, 0, 0)
    const at = (x: number, y: number) => Array.from(ctx.getImageData(x, y, 1, 1).data.slice(0, 3))
    return { size: [img.width, img.height], corner: at(4, 4), swatch: at(2 * 95, 2 * 70) }
  }, readFileSync(path).toString('base64'))
}

const hex = (color: string) => [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16))
/** The export's light theme (src-shared/chart-svg EXPORT_THEMES.light; e2e code does not import the app's). */
const light = { background: '#ffffff', text: '#1d1f24', palette: ['#4f5fe0'] }

test('the dataset chart of a 2,518-row stock file ends at its last row (2,517), not at 3,000', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-e2e-axes-'))
  const serve = await startServe(dataDir)
  try {
    const problems: string[] = []
    await page.goto(serve.url)
    await page.getByTestId('nav-datasets').click()
    await page.getByTestId('import-file').setInputFiles(join(DATA, 'stocks', 'nasdaq-MSFT.csv'))
    await expect(page.getByTestId('import-preview')).toBeVisible()
    await page.getByTestId('import-confirm').click()
    await expect(page).toHaveURL(/#\/datasets\/ds_/)
    // The chart plots the preview (min–max decimated to about 2,000 points, always with the first and the last row).
    const id = new URL(page.url()).hash.match(/datasets\/(ds_[^/?]+)/)![1]
    const detail = await api<{ rows: number; preview: { index: number[] } }>(page, serve, 'datasets.get', { id })
    expect(detail.rows).toBe(2518)
    const last = detail.preview.index[detail.preview.index.length - 1]
    expect(last).toBe(2517)
    const chart = page.getByTestId('dataset-chart')
    await expect(chart).toHaveAttribute('data-x-max', String(last))
    await expect(chart).toHaveAttribute('data-x-min', '0')
    await shootAndCheck(page, 'dataset-chart', 'dataset-chart', problems)
    expect(problems).toEqual([])
  } finally {
    await serve.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})

test('compare: the forecast overlay ends at the last test row; parallel coordinates and overlay export with title, legend, axes, light theme', async ({
  page
}) => {
  test.setTimeout(240_000)
  const dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-e2e-exports-'))
  const serve = await startServe(dataDir)
  try {
    const problems: string[] = []
    await page.goto(serve.url)
    const dataset = await api<{ id: string }>(page, serve, 'datasets.generateStock', { days: 400 })
    for (const units of [8, 16]) {
      await api(page, serve, 'runs.start', {
        datasetId: dataset.id,
        name: `LSTM ${units}`,
        config: {
          window: 20,
          features: ['Close'],
          target: 'Close',
          model: { cell: 'lstm', layers: [{ units }] },
          training: { epochs: 3, batchSize: 32, learningRate: 0.001, seed: 42 }
        }
      })
    }
    let runs: Run[] = []
    await expect
      .poll(
        async () => {
          runs = await api<Run[]>(page, serve, 'runs.list', {})
          return runs.filter((r) => r.status === 'completed').length
        },
        { timeout: 120_000, intervals: [500] }
      )
      .toBe(2)
    const byName = Object.fromEntries(runs.map((r) => [r.name, r]))
    const first = await api<Run>(page, serve, 'runs.get', { id: byName['LSTM 8'].id })

    // The run page's loss chart: epochs 1–3, the axis ends at the last epoch.
    await page.goto(`${serve.origin}/#/runs/${first.id}`)
    await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-x-max', '3')
    await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-x-min', '1')
    await shootAndCheck(page, 'run-loss-chart', 'loss-chart', problems)

    await page.goto(`${serve.origin}/#/compare?ids=${byName['LSTM 8'].id},${byName['LSTM 16'].id}`)
    await expect(page.getByTestId('compare-row')).toHaveCount(2)
    await expect(page.getByTestId('compare-chart')).toHaveAttribute('data-x-max', '3')
    const lastRow = Math.max(...first.predictions!.index)
    await expect(page.getByTestId('forecast-overlay-chart')).toHaveAttribute('data-x-max', String(lastRow))
    await shootAndCheck(page, 'compare-loss', 'compare-chart', problems)
    await shootAndCheck(page, 'compare-parallel', 'parallel-coords', problems)
    await shootAndCheck(page, 'compare-forecast', 'forecast-overlay-chart', problems)

    // Parallel coordinates: the SVG has a title, the runs as a legend and the axes' labels, on white.
    const pcSvg = await exportAs(page, 'export-parallel', 'svg')
    expect(pcSvg.download.suggestedFilename()).toBe('rnn-lab-parallel-coordinates.svg')
    const pc = readFileSync(pcSvg.path, 'utf8')
    expect(pc).toContain('>Parallel coordinates of 2 runs</text>')
    expect(pc).toContain('>LSTM 8</text>')
    expect(pc).toContain('>LSTM 16</text>')
    expect(pc).toContain('layers[0].units</text>')
    expect(pc).toContain('Test RMSE</text>')
    expect(pc).toContain(`fill="${light.background}"`)
    const pcPng = await exportAs(page, 'export-parallel', 'png')
    expect(pcPng.download.suggestedFilename()).toBe('rnn-lab-parallel-coordinates.png')
    const pcPixels = await pngPixels(page, pcPng.path)
    expect(pcPixels.size).toEqual([1920, 1080])
    expect(pcPixels.corner).toEqual(hex(light.background))
    expect(pcPixels.swatch).toEqual(hex(light.palette[0]))

    // The forecast overlay: title, legend (actual, persistence, the runs), axis titles, on white.
    const fSvg = await exportAs(page, 'export-forecast', 'svg')
    expect(fSvg.download.suggestedFilename()).toBe('rnn-lab-forecast-overlay.svg')
    const f = readFileSync(fSvg.path, 'utf8')
    expect(f).toContain('Forecasts on the test part')
    for (const entry of ['Actual', 'Persistence', 'LSTM 8', 'LSTM 16']) expect(f).toContain(`>${entry}</text>`)
    expect(f).toMatch(/>(Date|Step)<\/text>/)
    expect(f).toContain('>Close</text>')
    expect(f).toContain(`fill="${light.background}"`)
    const fPng = await exportAs(page, 'export-forecast', 'png')
    const fPixels = await pngPixels(page, fPng.path)
    expect(fPixels.size).toEqual([1920, 1080])
    expect(fPixels.corner).toEqual(hex(light.background))
    // The first legend entry is "Actual", drawn in the theme's text colour.
    expect(fPixels.swatch).toEqual(hex(light.text))
    expect(problems).toEqual([])
  } finally {
    await serve.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
