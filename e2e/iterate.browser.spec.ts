// Iterating in the workbench, in a real Chromium against `rnn-lab serve` (issue #17): clone a run and change
// its units, start it, compare the two (the config diff shows only the units); compare a text run with
// forecast runs (separate loss axes, no cross deltas); export the loss chart as SVG and PNG and read them;
// download a model from the run page and load it with stock tfjs; delete a dataset that runs use. Each
// changed screen is shot in both themes and checked with axe.
import * as tf from '@tensorflow/tfjs'
import { expect, test, type Page } from '@playwright/test'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { api, seriousAxeFindings } from './page-checks'
import { startServe, type ServeHandle } from './serve-process'

const SHOTS = join(__dirname, '..', 'test-results', 'screens')
mkdirSync(SHOTS, { recursive: true })

interface Run {
  id: string
  name: string
  status: string
  config: { model: { layers: { units: number }[] } }
}

async function waitCompleted(page: Page, serve: ServeHandle, count: number): Promise<Run[]> {
  let runs: Run[] = []
  await expect
    .poll(
      async () => {
        runs = await api<Run[]>(page, serve, 'runs.list', {})
        return runs.filter((r) => r.status === 'completed').length
      },
      { timeout: 90_000, intervals: [500] }
    )
    .toBe(count)
  return runs
}

/** Light and dark screenshots, and axe's serious or critical findings. */
async function shootAndCheck(page: Page, name: string, problems: string[]): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.waitForTimeout(250)
    await page.screenshot({ path: join(SHOTS, `iterate-${name}-${scheme}.png`) })
    for (const finding of await seriousAxeFindings(page)) problems.push(`${name} (${scheme}): ${finding}`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

const sineConfig = (units: number) => ({
  window: 10,
  features: ['value'],
  target: 'value',
  model: { cell: 'simple_rnn', layers: [{ units }] },
  training: { epochs: 2, batchSize: 32, learningRate: 0.01, seed: 7 }
})

test('clone and edit a run, compare what is comparable, export the chart, download the model, delete a dataset', async ({ page }) => {
  test.setTimeout(660_000)
  await page.setViewportSize({ width: 1280, height: 800 })
  const dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-e2e-iterate-'))
  const serve = await startServe(dataDir)
  const problems: string[] = []
  try {
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(serve.url)
    const sine = await api<{ id: string }>(page, serve, 'datasets.generateSine', { length: 300 })
    const first = await api<Run>(page, serve, 'runs.start', { datasetId: sine.id, name: 'Sine RNN', config: sineConfig(8) })
    await waitCompleted(page, serve, 1)

    // Clone and edit from the run page: the form has the run's dataset, config and a "(copy)" name.
    await page.goto(`${serve.origin}/#/runs/${first.id}`)
    await page.getByTestId('clone-run').click()
    await expect(page).toHaveURL(/#\/runs\/new\?from=/)
    await expect(page.getByTestId('clone-source')).toContainText('Sine RNN')
    await expect(page.getByTestId('run-name')).toHaveValue('Sine RNN (copy)')
    await expect(page.getByTestId('run-dataset')).toHaveValue(sine.id)
    await expect(page.getByTestId('run-window')).toHaveValue('10')
    await expect(page.locator('#cfg-units-0')).toHaveValue('8')

    // The JSON editor names a bad field live, and applies a valid edit to the form.
    await page.getByTestId('config-editor').locator('summary').click()
    const json = page.getByTestId('config-json')
    await expect(json).toHaveValue(/"units": 8/)
    const text = await json.inputValue()
    await json.fill(text.replace('"units": 8', '"units": 0'))
    await expect(page.getByTestId('config-json-status')).toContainText('model.layers[0].units')
    await expect(page.getByTestId('config-json-apply')).toBeDisabled()
    await json.fill(text.replace('"units": 8', '"units": 16'))
    await expect(page.getByTestId('config-json-status')).toContainText('Valid config')
    await shootAndCheck(page, 'clone-form', problems)
    await page.getByTestId('config-json-apply').click()
    await expect(page.locator('#cfg-units-0')).toHaveValue('16')
    await page.getByTestId('start-run').click()
    await expect(page).toHaveURL(/#\/runs\/run_/)
    const runs = await waitCompleted(page, serve, 2)
    const copy = runs.find((r) => r.name === 'Sine RNN (copy)')!
    expect(copy.config.model.layers[0]!.units).toBe(16)

    // The runs list offers Clone and edit on each row.
    await page.getByTestId('nav-runs').click()
    await expect(page.getByTestId('clone-run-row')).toHaveCount(2)
    await shootAndCheck(page, 'runs', problems)

    // Compare the two: the config diff shows only the units; the loss export carries title, legend and units.
    await page.goto(`${serve.origin}/#/compare?ids=${first.id},${copy.id}&baseline=${first.id}`)
    await expect(page.getByTestId('compare-row')).toHaveCount(2)
    await expect(page.getByTestId('config-diff-row')).toHaveCount(1)
    await expect(page.getByTestId('config-diff-row').first()).toHaveAttribute('data-path', 'model.layers[0].units')
    await expect(page.getByTestId('loss-panel')).toHaveCount(1)
    await page.getByTestId('export-loss').locator('summary').click()
    await page.getByTestId('export-loss-svg').check()
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-loss-save').click()])
    expect(svgDownload.suggestedFilename()).toBe('rnn-lab-compare-loss.svg')
    const svg = readFileSync(await svgDownload.path(), 'utf8')
    expect(svg).toContain('Loss curves of 2 runs')
    expect(svg).toContain('>Sine RNN · train</text>')
    expect(svg).toContain('>Sine RNN (copy) · val</text>')
    expect(svg).toContain('>MSE (min–max-scaled value)</text>')
    expect(svg).toContain('>Epoch</text>')
    expect(svg).toContain('fill="#ffffff"')
    await page.getByTestId('export-loss').locator('summary').click()
    await page.getByTestId('export-loss-png').check()
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-loss-save').click()])
    const png = readFileSync(await pngDownload.path())
    // Read the PNG back in the page: light background, and the legend's first swatch in the light palette's first colour.
    const pixels = await page.evaluate(async (b64) => {
      const img = new Image()
      img.src = `data:image/png;base64,${b64}`
      await img.decode()
      const c = document.createElement('canvas')
      c.width = img.width
      c.height = img.height
      const ctx = c.getContext('2d')!
      ctx.drawImage(img, 0, 0)
      const at = (x: number, y: number) => Array.from(ctx.getImageData(x, y, 1, 1).data.slice(0, 3))
      return { size: [img.width, img.height], corner: at(4, 4), swatch: at(2 * 95, 2 * (74 - 4)) }
    }, png.toString('base64'))
    expect(pixels.size).toEqual([1920, 1080])
    expect(pixels.corner).toEqual([255, 255, 255])
    expect(pixels.swatch).toEqual([0x4f, 0x5f, 0xe0])
    await page.getByTestId('compare-chart').scrollIntoViewIfNeeded()
    await shootAndCheck(page, 'compare-same', problems)

    // A language model beside the forecasts: separate loss panels with their units, no loss deltas across.
    const verse = await api<{ id: string }>(page, serve, 'datasets.generateText', {})
    const textRun = await api<Run>(page, serve, 'runs.start', {
      datasetId: verse.id,
      name: 'Verse LSTM',
      config: {
        task: 'text',
        sequenceLength: 10,
        model: { cell: 'lstm', layers: [{ units: 8 }] },
        training: { epochs: 1, batchSize: 32, learningRate: 0.01, seed: 1 },
        sampling: { length: 20 }
      }
    })
    await waitCompleted(page, serve, 3)
    await page.goto(`${serve.origin}/#/compare?ids=${textRun.id},${first.id},${copy.id}&baseline=${textRun.id}`)
    await expect(page.getByTestId('compare-row')).toHaveCount(3)
    await expect(page.getByTestId('loss-panel')).toHaveCount(2)
    await expect(page.getByTestId('loss-panel').nth(0)).toHaveAttribute('data-loss-axis', 'Cross-entropy (nats/character)')
    await expect(page.getByTestId('loss-panel').nth(1)).toHaveAttribute('data-loss-axis', 'MSE (min–max-scaled value)')
    await expect(page.getByTestId('loss-panels-note')).toBeVisible()
    const forecastRow = page.locator(`[data-testid="compare-row"][data-run-id="${first.id}"]`)
    await expect(forecastRow.locator('td[data-key="bestValLoss"]')).not.toContainText('%')
    await expect(forecastRow.locator('td[data-key="bestValLoss"]')).toContainText('n/c')
    await page.getByTestId('loss-panels-note').scrollIntoViewIfNeeded()
    await shootAndCheck(page, 'compare-mixed', problems)

    // Download the model from the run page (serve) and load it with stock tfjs.
    await page.goto(`${serve.origin}/#/runs/${copy.id}`)
    await expect(page.getByTestId('run-downloads')).toBeVisible()
    const [modelJson] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-keras-model-final').click()])
    const [weights] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-keras-weights-final').click()])
    expect(modelJson.suggestedFilename()).toBe('sine-rnn-copy-final-keras.json')
    const model = JSON.parse(readFileSync(await modelJson.path(), 'utf8'))
    expect(model.weightsManifest[0].paths).toEqual([weights.suggestedFilename()])
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: model.modelTopology,
        weightSpecs: model.weightsManifest[0].weights,
        weightData: new Uint8Array(readFileSync(await weights.path())).buffer
      })
    )
    expect((loaded.predict(tf.zeros([1, 10, 1])) as tf.Tensor).shape).toEqual([1, 1])
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-predictions').click()])
    expect(readFileSync(await csv.path(), 'utf8').split('\n')[0]).toBe('index,actual,predicted,persistence')
    await page.getByTestId('run-downloads').scrollIntoViewIfNeeded()
    await shootAndCheck(page, 'run-downloads', problems)

    // Deleting the sine dataset names its two runs; keeping them leaves their records.
    await page.goto(`${serve.origin}/#/datasets/${sine.id}`)
    await page.getByTestId('delete-dataset').click()
    await expect(page.getByTestId('delete-dataset-runs')).toContainText('2 runs use it')
    await expect(page.getByTestId('delete-dataset-panel')).toContainText('Sine RNN (copy)')
    await shootAndCheck(page, 'delete-dataset', problems)
    await page.getByTestId('delete-dataset-keep-runs').click()
    await expect(page).toHaveURL(/#\/datasets$/)
    expect((await api<Run[]>(page, serve, 'runs.list', {})).length).toBe(3)

    // The loss chart draws the first epoch's batch losses while they stream (it was empty until epoch 1 ended).
    const slow = await api<Run>(page, serve, 'runs.start', {
      datasetId: verse.id,
      name: 'Slow first epoch',
      config: {
        task: 'text',
        // Long enough an epoch (≈ 600 batches of a 2 × LSTM(384)) that it is still running when checked,
        // with the native kernels on a quiet machine too; the run is cancelled afterwards.
        sequenceLength: 40,
        stride: 1,
        model: { cell: 'lstm', layers: [{ units: 384 }, { units: 384 }] },
        training: { epochs: 1, batchSize: 1, learningRate: 0.01, seed: 1 },
        sampling: { length: 10 }
      }
    })
    await page.goto(`${serve.origin}/#/runs/${slow.id}`)
    await expect
      .poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-batch-points')), { timeout: 60_000 })
      .toBeGreaterThan(1)
    expect((await api<{ epochs: unknown[] }>(page, serve, 'runs.get', { id: slow.id })).epochs).toHaveLength(0)
    await shootAndCheck(page, 'first-epoch', problems)
    await api(page, serve, 'runs.cancel', { id: slow.id }).catch(() => {})

    expect(errors).toEqual([])
    expect(problems).toEqual([])
  } finally {
    await serve.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
