// The new-run view chooses between two forms by the dataset's kind (issue #16): a time series opens the
// forecast form, a text the language-model form; switching the dataset back and forth keeps what was
// typed in each form. A real Chromium against `rnn-lab serve`.
import { expect, test } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { api } from './page-checks'
import { startServe } from './serve-process'

test('the dataset chooses the form; each form keeps its fields across a switch', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-e2e-forms-'))
  const serve = await startServe(dataDir)
  try {
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(serve.url)
    const sine = await api<{ id: string }>(page, serve, 'datasets.generateSine', { length: 300 })
    const text = await api<{ id: string }>(page, serve, 'datasets.generateText', { name: 'Verse' })

    await page.goto(`${serve.origin}/#/runs/new`)
    const form = page.getByTestId('run-configurator')
    await expect(form).toHaveAttribute('data-task', 'forecast')
    await expect(page.getByTestId('run-dataset')).toHaveValue(sine.id)
    await page.getByTestId('run-window').fill('33')
    await page.getByTestId('run-name').fill('forecast draft')

    await page.getByTestId('run-dataset').selectOption(text.id)
    await expect(form).toHaveAttribute('data-task', 'text')
    await expect(page.getByTestId('run-dataset')).toHaveValue(text.id)
    await page.getByTestId('text-sequence-length').fill('17')

    await page.getByTestId('run-dataset').selectOption(sine.id)
    await expect(form).toHaveAttribute('data-task', 'forecast')
    await expect(page.getByTestId('run-window')).toHaveValue('33')
    await expect(page.getByTestId('run-name')).toHaveValue('forecast draft')

    await page.getByTestId('run-dataset').selectOption(text.id)
    await expect(form).toHaveAttribute('data-task', 'text')
    await expect(page.getByTestId('text-sequence-length')).toHaveValue('17')
    expect(errors).toEqual([])
  } finally {
    await serve.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
