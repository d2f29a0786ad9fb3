// The course examples one click away (Runs page), and "Forecast ahead" on a finished forecast run.
import { expect, test } from '@playwright/test'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServe } from './serve-process'

const SHOTS = join(__dirname, '..', 'test-results', 'screens')
mkdirSync(SHOTS, { recursive: true })

test('examples card → sine example run → forecast ahead appended to the chart', async ({ page }) => {
  test.setTimeout(150_000) // training (up to 60 s on a busy machine), forecast ahead, then zoom and pan
  const dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-e2e-examples-'))
  const serve = await startServe(dataDir)
  try {
    const errors: string[] = []
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    page.on('pageerror', (e) => errors.push(e.message))

    await page.goto(serve.url)
    await page.getByTestId('nav-datasets').click()
    await expect(page.getByTestId('datasets-empty')).toBeVisible()
    await expect(page.getByTestId('example-char-lm-many-to-one')).toBeVisible()
    await page.getByTestId('nav-runs').click()
    await expect(page.getByTestId('runs-empty')).toBeVisible()
    await expect(page.getByTestId('examples-card')).toContainText('Sine wave')
    await page.emulateMedia({ colorScheme: 'light' })
    await page.screenshot({ path: join(SHOTS, 'runs-examples.png') })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: join(SHOTS, 'runs-examples-dark.png') })
    await page.emulateMedia({ colorScheme: 'light' })

    await page.getByTestId('example-sine-simple-rnn').click()
    await expect(page).toHaveURL(/#\/runs\/run_/)
    await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 60_000 })
    await expect(page.getByTestId('forecast-chart')).toBeVisible()
    await page.getByTestId('predict-steps').fill('25')
    await page.getByTestId('predict-run').click()
    await expect(page.getByTestId('predict-table').locator('tbody tr')).toHaveCount(25)
    await page.getByTestId('forecast-chart').evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await page.screenshot({ path: join(SHOTS, 'forecast-ahead.png') })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: join(SHOTS, 'forecast-ahead-dark.png') })

    // The forecast chart zooms with the wheel, pans by dragging and by keys, and resets.
    const forecast = page.getByTestId('forecast-chart')
    const range = page.getByTestId('forecast-chart-range')
    const reset = page.getByTestId('forecast-reset-zoom')
    await expect(reset).toBeDisabled()
    const box = (await forecast.locator('canvas').boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -100)
    await expect(reset).toBeEnabled()
    await expect(range).toContainText('Step')
    const zoomedRange = (await range.textContent()) ?? ''
    await page.mouse.down()
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2, { steps: 8 })
    await page.mouse.up()
    await expect(range).not.toHaveText(zoomedRange)
    await forecast.press('ArrowRight')
    await forecast.press('0')
    await expect(reset).toBeDisabled()
    await forecast.press('+')
    await expect(reset).toBeEnabled()
    await reset.click()
    await expect(reset).toBeDisabled()

    // With runs present, the examples stay on the Runs page below the list.
    await page.getByTestId('nav-runs').click()
    await expect(page.getByTestId('run-row')).toHaveCount(1)
    await expect(page.getByTestId('examples-card')).toBeVisible()
    expect(errors).toEqual([])
  } finally {
    await serve.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
