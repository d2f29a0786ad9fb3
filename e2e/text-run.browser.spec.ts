// A character language model end to end in a real Chromium against `rnn-lab serve`: import a short
// text through the UI, open "New run on this dataset" (the text form), train 3 epochs, see the samples
// per epoch and the metrics beside the unigram baseline, then generate text from a prime.
import { expect, test } from '@playwright/test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServe } from './serve-process'

const SHOTS = join(__dirname, '..', 'test-results', 'screens')
mkdirSync(SHOTS, { recursive: true })

const VERSE = `A kettle sang on the kitchen stove,
the cat sat still by the window cove.
The rain came down on the garden wall,
and the clock said nothing at all.

`

test('text import → language-model run (3 epochs) → samples, metrics, generate from a prime', async ({ page }) => {
  test.setTimeout(90_000)
  const dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-e2e-text-'))
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lab-verse-'))
  const file = join(dir, 'kettle-verse.txt')
  writeFileSync(file, VERSE.repeat(Math.ceil(1500 / VERSE.length)))
  const serve = await startServe(dataDir)
  try {
    const errors: string[] = []
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    page.on('pageerror', (e) => errors.push(e.message))

    await page.goto(serve.url)
    await page.getByTestId('nav-datasets').click()
    await page.getByTestId('import-file').setInputFiles(file)
    await expect(page.getByTestId('import-preview')).toHaveAttribute('data-kind', 'text')
    await page.getByTestId('import-confirm').click()
    await expect(page).toHaveURL(/#\/datasets\/ds_/)
    await expect(page.getByTestId('dataset-vocab-size')).not.toHaveText('—')

    await page.getByTestId('new-run-on-dataset').click()
    const form = page.getByTestId('run-configurator')
    await expect(form).toHaveAttribute('data-task', 'text')
    await expect(page.getByTestId('text-vocabulary')).toHaveValue('Characters')
    await expect(page.getByTestId('run-loss')).toHaveCount(0)
    await expect(page.getByTestId('layout-encoder-decoder')).toHaveCount(0)
    await expect(page.getByTestId('model-total-params')).toBeVisible()
    await page.getByTestId('run-epochs').fill('3')
    await page.getByTestId('text-sequence-length').fill('20')
    await page.screenshot({ path: join(SHOTS, 'text-new-run.png') })
    await page.getByTestId('text-temperature').evaluate((el) => el.scrollIntoView({ block: 'center' }))
    await page.screenshot({ path: join(SHOTS, 'text-new-run-sampling.png') })
    await page.getByTestId('start-run').click()

    await expect(page).toHaveURL(/#\/runs\/run_/)
    await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 60_000 })
    await expect(page.getByTestId('epoch-samples').locator('li')).toHaveCount(3)
    await expect(page.getByTestId('epoch-samples').locator('li').first()).toHaveAttribute('data-epoch', '3')
    await expect(page.getByTestId('text-metrics')).toBeVisible()
    await expect(page.getByTestId('beats-unigram')).toHaveText(/beat unigram|Beats unigram/)
    await expect(page.getByTestId('epoch-table')).toContainText('%')

    await page.getByTestId('sample-prime').fill('The rain')
    await page.getByTestId('sample-length').fill('60')
    await page.getByTestId('sample-generate').click()
    await expect(page.getByTestId('sample-output')).toBeVisible({ timeout: 30_000 })
    const out = await page.getByTestId('sample-output').textContent()
    expect(out?.startsWith('The rain')).toBe(true)
    // The app scrolls inside <main>: one 1280×800 shot per part of the page, in both themes.
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      const suffix = scheme === 'dark' ? '-dark' : ''
      await page.locator('main').evaluate((m) => m.scrollTo(0, 0))
      await page.screenshot({ path: join(SHOTS, `text-run${suffix}.png`) })
      await page.getByTestId('text-metrics').evaluate((el) => el.scrollIntoView({ block: 'start' }))
      await page.screenshot({ path: join(SHOTS, `text-run-metrics${suffix}.png`) })
      await page.getByTestId('sample-box').evaluate((el) => el.scrollIntoView({ block: 'start' }))
      await page.screenshot({ path: join(SHOTS, `text-run-sample${suffix}.png`) })
    }
    expect(errors).toEqual([])
  } finally {
    await serve.stop()
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(dir, { recursive: true, force: true })
  }
})
