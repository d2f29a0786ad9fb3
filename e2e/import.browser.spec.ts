// Importing files through the Datasets page in a real Chromium against `rnn-lab serve`: the preview
// before anything is stored, the dataset page after, a newest-first file reversed, a text with its
// vocabulary, and a broken CSV refused with its line named and nothing stored.
import { expect, test, type Page } from '@playwright/test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServe, type ServeHandle } from './serve-process'

const SHOTS = join(__dirname, '..', 'test-results', 'screens')
const DATA = join(__dirname, '..', '..', 'shared', 'data')
mkdirSync(SHOTS, { recursive: true })

test.describe.configure({ mode: 'serial' })

let dataDir: string
let serve: ServeHandle

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-e2e-import-'))
  serve = await startServe(dataDir)
})

test.afterAll(async () => {
  await serve?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

function watchConsole(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  page.on('pageerror', (e) => errors.push(e.message))
  return errors
}

async function openDatasets(page: Page): Promise<void> {
  await page.goto(serve.url)
  await page.getByTestId('nav-datasets').click()
  await expect(page.getByTestId('import-file')).toBeAttached()
}

async function shootBothThemes(page: Page, name: string): Promise<void> {
  // Buttons fade their background over 120 ms: let a theme switch settle before each shot.
  await page.emulateMedia({ colorScheme: 'light' })
  await page.waitForTimeout(250)
  await page.screenshot({ path: join(SHOTS, `${name}.png`) })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.waitForTimeout(250)
  await page.screenshot({ path: join(SHOTS, `${name}-dark.png`) })
  await page.emulateMedia({ colorScheme: 'light' })
}

test('a Yahoo CSV: preview with the Date column as time (YYYY-MM-DD), then the dataset page', async ({ page }) => {
  const errors = watchConsole(page)
  await openDatasets(page)
  await page.getByTestId('import-file').setInputFiles(join(DATA, 'stocks', 'yahoo-AAPL.csv'))

  const preview = page.getByTestId('import-preview')
  await expect(preview).toBeVisible()
  await expect(page.getByTestId('import-kind')).toHaveValue('csv')
  const date = page.getByTestId('preview-column-Date')
  await expect(date.getByTestId('preview-type')).toHaveText('time')
  await expect(date.getByTestId('preview-role')).toHaveValue('time')
  await expect(date.getByTestId('preview-date-format')).toHaveText('YYYY-MM-DD')
  await expect(page.getByTestId('preview-column-Close').getByTestId('preview-type')).toHaveText('number')
  await expect(page.getByTestId('import-date-format')).toHaveValue('YYYY-MM-DD')
  await expect(page.getByTestId('import-missing')).toHaveValue('interpolate')
  await expect(page.getByTestId('import-rows').locator('tbody tr').first()).toContainText('2007-01-03')
  await shootBothThemes(page, 'import-preview')

  await page.getByTestId('import-confirm').click()
  await expect(page).toHaveURL(/#\/datasets\/ds_/)
  await expect(page.getByTestId('dataset-title')).toHaveText('yahoo-AAPL')
  await expect(page.getByTestId('import-notice')).toContainText('rows')
  await expect(page.getByTestId('dataset-chart')).toBeVisible()
  await expect(page.getByTestId('dataset-time-range')).toContainText('2007-01-03')
  await shootBothThemes(page, 'import-dataset')
  expect(errors).toEqual([])
})

test('a Nasdaq CSV (MM/DD/YYYY, newest first) is reversed into ascending order', async ({ page }) => {
  await openDatasets(page)
  await page.getByTestId('import-file').setInputFiles(join(DATA, 'stocks', 'nasdaq-MSFT.csv'))
  await expect(page.getByTestId('import-preview')).toBeVisible()
  await expect(page.getByTestId('preview-column-Date').getByTestId('preview-date-format')).toHaveText('MM/DD/YYYY')
  await page.getByTestId('import-confirm').click()
  await expect(page).toHaveURL(/#\/datasets\/ds_/)
  const notice = page.getByTestId('import-notice')
  await expect(notice).toContainText(/reversed/i)
  await expect(notice).toContainText(/ascending/i)
  await expect(page.getByTestId('dataset-time-range')).toHaveText('2012-01-17 → 2022-01-14')
  await page.screenshot({ path: join(SHOTS, 'import-msft.png') })
})

test('a text file is previewed as text and imported with its vocabulary (65 characters)', async ({ page }) => {
  await openDatasets(page)
  await page.getByTestId('import-file').setInputFiles(join(DATA, 'text', 'tinyshakespeare.txt'))
  await expect(page.getByTestId('import-preview')).toHaveAttribute('data-kind', 'text')
  await expect(page.getByTestId('import-kind')).toHaveValue('text')
  await expect(page.getByTestId('import-text-sample')).toContainText('First Citizen:')
  await shootBothThemes(page, 'import-text-preview')
  await page.getByTestId('import-confirm').click()
  await expect(page).toHaveURL(/#\/datasets\/ds_/)
  await expect(page.getByTestId('dataset-vocab-size')).toHaveText('65')
  await expect(page.getByTestId('top-tokens')).toContainText('␣')
  await expect(page.getByTestId('text-sample')).toContainText('First Citizen:')
  await shootBothThemes(page, 'import-text')
})

test('ambiguous day/month dates: the import asks which order before it can be confirmed', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lab-ambiguous-'))
  const file = join(dir, 'readings.csv')
  const rows = Array.from({ length: 12 }, (_, i) => `0${(i % 9) + 1}/0${((i * 5) % 9) + 1}/2020,${i * 1.5}`)
  writeFileSync(file, `when,reading\n${rows.join('\n')}\n`)
  try {
    await openDatasets(page)
    await page.getByTestId('import-file').setInputFiles(file)
    await expect(page.getByTestId('import-preview')).toBeVisible()
    const question = page.getByTestId('import-date-question')
    await expect(question).toBeVisible()
    await expect(question).toContainText(/Is \d\d\/\d\d\/2020 the/)
    await expect(page.getByTestId('import-confirm')).toBeDisabled()
    await shootBothThemes(page, 'import-ambiguous')
    await page.getByTestId('date-day-first').click()
    await expect(page.getByTestId('import-date-format')).toHaveValue('DD/MM/YYYY')
    await expect(question).toHaveCount(0)
    await expect(page.getByTestId('import-confirm')).toBeEnabled()
    await page.getByTestId('import-cancel').click()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a ragged CSV is refused with its line named, and nothing is stored', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lab-bad-'))
  const bad = join(dir, 'ragged.csv')
  writeFileSync(bad, 'date,value\n2020-01-01,1\n2020-01-02,2,99\n2020-01-03,3\n')
  try {
    await openDatasets(page)
    const before = await page.getByTestId('dataset-row').count()
    expect(before).toBe(3)
    await page.getByTestId('import-file').setInputFiles(bad)
    await expect(page.getByTestId('import-preview')).toBeVisible()
    await page.getByTestId('import-confirm').click()
    const alert = page.getByTestId('import-error')
    await expect(alert).toBeVisible()
    await expect(alert).toHaveAttribute('role', 'alert')
    await expect(alert).toContainText('line 3')
    await expect(alert).toContainText('ragged.csv')
    await expect(alert).not.toContainText('up_')
    await shootBothThemes(page, 'import-error')
    // The app stays usable: cancel, and the list is unchanged.
    await page.getByTestId('import-cancel').click()
    await expect(page.getByTestId('import-dropzone')).toBeVisible()
    await page.reload()
    await expect(page.getByTestId('dataset-row')).toHaveCount(before)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
