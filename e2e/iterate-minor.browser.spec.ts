// Issue #17's minor findings, as a new user meets them, in a real Chromium against `rnn-lab serve`:
// the import preview (exact row count, first rows as parsed, newest-first notice before import), an
// import error scrolled into view and focused, the examples still reachable once data exists, tables
// at 1024 px (key columns in view, sticky names, a scroll cue), no cut labels ("Descendin"), full text
// samples with their prime marked, real Remove-layer buttons, readable import options, text sizes in
// characters, the token-less page of `serve`, and "1 epoch". Changed screens are shot in both themes at
// 1024 and 1600 px (SHOTS_DIR, default test-results/screens) and checked with axe.
import { expect, test, type Page } from '@playwright/test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { seriousAxeFindings } from './page-checks'
import { startServe, type ServeHandle } from './serve-process'

const SHOTS = process.env.SHOTS_DIR ?? join(__dirname, '..', 'test-results', 'screens')
const DATA = join(__dirname, '..', '..', 'shared', 'data')
mkdirSync(SHOTS, { recursive: true })

test.describe.configure({ mode: 'serial' })

interface Run {
  id: string
  status: string
}

let dataDir: string
let serve: ServeHandle
const problems: string[] = []
/** The runs the table test starts, for the tests after it. */
let runIds = { a: '', b: '', t: '' }

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-e2e-minor-'))
  serve = await startServe(dataDir)
})

test.afterAll(async () => {
  await serve?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

async function api<T>(page: Page, op: string, data: unknown): Promise<T> {
  const res = await page.request.post(`${serve.origin}/api/${op}`, { headers: { authorization: `Bearer ${serve.token}` }, data })
  const body = (await res.json()) as { ok: boolean; result: T; error?: unknown }
  if (!body.ok) throw new Error(`${op} failed: ${JSON.stringify(body.error)}`)
  return body.result
}

/** Light and dark shots at 1024 and 1600 px of what `target` shows, and axe's serious or critical findings. */
async function shoot(page: Page, name: string, target?: () => Promise<void>): Promise<void> {
  for (const width of [1024, 1600]) {
    await page.setViewportSize({ width, height: 900 })
    await target?.()
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.waitForTimeout(250)
      await page.screenshot({ path: join(SHOTS, `minor-${name}-${width}-${scheme}.png`) })
      for (const finding of await seriousAxeFindings(page)) problems.push(`${name} ${width} (${scheme}): ${finding}`)
    }
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

/** Selects whose chosen option does not fit (its text, plus the arrow and padding, is wider than the box). */
async function cutSelects(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const ctx = document.createElement('canvas').getContext('2d')!
    return [...document.querySelectorAll('select')]
      .filter((s) => s.offsetParent !== null)
      .filter((s) => {
        const css = getComputedStyle(s)
        ctx.font = `${css.fontWeight} ${css.fontSize} ${css.fontFamily}`
        const text = s.selectedOptions[0]?.text ?? ''
        return ctx.measureText(text).width + parseFloat(css.paddingLeft) + parseFloat(css.paddingRight) + 20 > s.clientWidth
      })
      .map((s) => `${s.id || s.getAttribute('aria-label') || s.name}: "${s.selectedOptions[0]?.text}" in ${s.clientWidth}px`)
  })
}

async function openDatasets(page: Page): Promise<void> {
  await page.goto(serve.url)
  await page.getByTestId('nav-datasets').click()
  await expect(page.getByTestId('import-panel')).toBeVisible()
}

test('import preview: the exact row count, first rows as parsed, and the newest-first notice before import', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 900 })
  await openDatasets(page)
  await page.getByTestId('import-file').setInputFiles(join(DATA, 'stocks', 'nasdaq-MSFT.csv'))
  await expect(page.getByTestId('import-preview')).toBeVisible()
  // 2,518 data rows in the file: counted, not estimated ("~2,459").
  await expect(page.getByTestId('import-row-count')).toHaveText('2,518 rows')
  // The file's first row reads 01/14/2022: the preview shows what the import will store.
  const firstRow = page.getByTestId('import-rows').locator('tbody tr').first()
  await expect(firstRow.locator('td').first()).toHaveText('2022-01-14')
  await expect(firstRow).not.toContainText('01/14/2022')
  // Newest first: said before Import is pressed, not only after.
  await expect(page.getByTestId('import-order-notice')).toContainText(/newest/i)
  await expect(page.getByTestId('import-order-notice')).toContainText(/revers/i)
  expect(await cutSelects(page)).toEqual([])
  await shoot(page, 'import-preview', () => page.getByTestId('import-order-notice').scrollIntoViewIfNeeded())
  await page.getByTestId('import-confirm').click()
  await expect(page).toHaveURL(/#\/datasets\/ds_/)
})

test('dataset page: import options as a readable list, never raw JSON', async ({ page }) => {
  await page.goto(serve.url)
  await page.getByTestId('nav-datasets').click()
  await page.getByRole('link', { name: 'nasdaq-MSFT' }).click()
  const options = page.getByTestId('dataset-import-options')
  await expect(options).toBeVisible()
  await expect(options.locator('dt')).toContainText(['Delimiter', 'Header row', 'Decimal separator', 'Date column', 'Date format'])
  await expect(options).toContainText('Date')
  // What the importer sniffed is named, not only "detected".
  await expect(options).toContainText('comma (,), detected')
  await expect(options).toContainText('MM/DD/YYYY, detected')
  await expect(page.getByTestId('dataset-about')).toContainText('Missing values')
  await expect(page.locator('body')).not.toContainText('{"missing"')
  await shoot(page, 'dataset-msft', () => options.scrollIntoViewIfNeeded())
})

test('a text dataset is sized in characters and vocabulary, never rows', async ({ page }) => {
  test.setTimeout(180_000)
  await openDatasets(page)
  await page.getByTestId('import-file').setInputFiles(join(DATA, 'text', 'tinyshakespeare.txt'))
  await expect(page.getByTestId('import-preview')).toHaveAttribute('data-kind', 'text')
  await page.getByTestId('import-confirm').click()
  await expect(page).toHaveURL(/#\/datasets\/ds_/)
  await expect(page.getByTestId('dataset-size')).toHaveText('1,115,394 characters')
  await expect(page.locator('.subtitle')).toContainText('65-character vocabulary')
  await expect(page.locator('.subtitle')).not.toContainText('rows')
  await shoot(page, 'dataset-text')
  await page.getByTestId('nav-datasets').click()
  const textRow = page.locator('[data-testid="dataset-row"]', { hasText: 'tinyshakespeare' })
  await expect(textRow.getByTestId('dataset-row-size')).toHaveText('1,115,394 characters')
  await expect(textRow).toContainText('65-character vocabulary')
  await expect(page.getByTestId('datasets-table').locator('thead')).not.toContainText('Rows')
})

test('the examples stay reachable on Datasets once datasets exist', async ({ page }) => {
  await openDatasets(page)
  await expect(page.getByTestId('dataset-row')).not.toHaveCount(0)
  const card = page.getByTestId('examples-card')
  await expect(card).toBeVisible()
  const toggle = page.getByTestId('examples-toggle')
  await expect(toggle).toHaveAttribute('aria-expanded', 'false')
  await toggle.click()
  await expect(toggle).toHaveAttribute('aria-expanded', 'true')
  await expect(card.getByRole('button', { name: /Run the example/ }).first()).toBeVisible()
  await shoot(page, 'datasets-examples', () => card.scrollIntoViewIfNeeded())
})

test('an import error is scrolled into view and takes the focus', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lab-minor-bad-'))
  const bad = join(dir, 'ragged.csv')
  // Enough good rows for a long preview, then a row with a field too many at line 40.
  const rows = Array.from({ length: 60 }, (_, i) => `2020-01-${String((i % 28) + 1).padStart(2, '0')},${i}${i === 38 ? ',99' : ''}`)
  writeFileSync(bad, `date,value\n${rows.join('\n')}\n`)
  try {
    await page.setViewportSize({ width: 1024, height: 700 })
    await openDatasets(page)
    await page.getByTestId('import-file').setInputFiles(bad)
    await expect(page.getByTestId('import-preview')).toBeVisible()
    await page.getByTestId('import-confirm').scrollIntoViewIfNeeded()
    await page.getByTestId('import-confirm').click()
    const alert = page.getByTestId('import-error')
    await expect(alert).toHaveAttribute('role', 'alert')
    await expect(alert).toBeInViewport()
    await expect(alert).toBeFocused()
    await expect(alert).toContainText('line 40')
    await shoot(page, 'import-error', () => alert.scrollIntoViewIfNeeded())
    await page.getByTestId('import-cancel').click()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('runs, compare and epoch tables at 1024 px: key columns in view, sticky names, a scroll cue', async ({ page }) => {
  test.setTimeout(240_000)
  const sine = await api<{ id: string }>(page, 'datasets.generateSine', { length: 300 })
  const config = (units: number, epochs: number) => ({
    window: 10,
    features: ['value'],
    target: 'value',
    model: { cell: 'simple_rnn', layers: [{ units }, { units: 4 }] },
    training: { epochs, batchSize: 32, learningRate: 0.01, seed: 7 }
  })
  const a = await api<Run>(page, 'runs.start', { datasetId: sine.id, name: 'Sine RNN with a longer name', config: config(8, 1) })
  const b = await api<Run>(page, 'runs.start', { datasetId: sine.id, name: 'Sine RNN b', config: config(4, 2) })
  const noVal = await api<Run>(page, 'runs.start', {
    datasetId: sine.id,
    name: 'Sine RNN without validation',
    config: { ...config(4, 1), split: { train: 0.8, val: 0, test: 0.2 } }
  })
  const verse = await api<{ id: string }>(page, 'datasets.generateText', {})
  const t = await api<Run>(page, 'runs.start', {
    datasetId: verse.id,
    name: 'Verse LSTM',
    config: {
      task: 'text',
      sequenceLength: 10,
      model: { cell: 'lstm', layers: [{ units: 8 }] },
      training: { epochs: 1, batchSize: 32, learningRate: 0.01, seed: 1 },
      sampling: { length: 120, prime: 'The little', temperature: 0.5 }
    }
  })
  await expect
    .poll(async () => (await api<Run[]>(page, 'runs.list', {})).filter((r) => r.status === 'completed').length, { timeout: 180_000 })
    .toBe(4)
  runIds = { a: a.id, b: b.id, t: t.id }

  await page.setViewportSize({ width: 1024, height: 900 })
  await page.goto(`${serve.url}#/runs`)
  const box = page.getByTestId('runs-table-box')
  await expect(page.getByTestId('run-row')).toHaveCount(4)
  const inBox = async (header: string, boxId: string) => {
    const outer = (await page.getByTestId(boxId).boundingBox())!
    const th = (await page.getByTestId(boxId).locator('thead th', { hasText: header }).first().boundingBox())!
    return th.x >= outer.x - 1 && th.x + th.width <= outer.x + outer.width + 1
  }
  expect(await inBox('Test score', 'runs-table-box')).toBe(true)
  expect(await cutSelects(page)).toEqual([])
  await shoot(page, 'runs')

  // Where columns still overflow (a narrower box), the edge fades, the box scrolls by keyboard, the name stays.
  await box.evaluate((el) => (el.style.width = '420px'))
  await expect(box).toHaveClass(/more-right/)
  await expect(box).toHaveAttribute('tabindex', '0')
  await box.evaluate((el) => (el.scrollLeft = el.scrollWidth))
  await expect(box).toHaveClass(/more-left/)
  const name = (await box.locator('tbody td.name-col').first().boundingBox())!
  const outer = (await box.boundingBox())!
  expect(name.x).toBeGreaterThanOrEqual(outer.x + 40)
  expect(name.x).toBeLessThan(outer.x + 60)
  await box.evaluate((el) => (el.style.width = ''))

  await page.goto(`${serve.url}#/compare?ids=${a.id},${b.id}`)
  await expect(page.getByTestId('compare-row')).toHaveCount(2)
  expect(await inBox('Test RMSE', 'compare-table-box')).toBe(true)
  expect(await inBox('Test MASE', 'compare-table-box')).toBe(true)
  await shoot(page, 'compare', () => page.getByTestId('compare-table').scrollIntoViewIfNeeded())

  await page.goto(`${serve.url}#/runs/${a.id}`)
  await expect(page.getByTestId('epoch-table')).toBeVisible()
  // One epoch planned: "Trained 1 of 1 epoch", never "1 epochs".
  await expect(page.getByTestId('evaluated-with')).toContainText('Trained 1 of 1 epoch;')
  await shoot(page, 'run-forecast', () => page.getByTestId('epoch-table').scrollIntoViewIfNeeded())

  // Without a validation part: no "Val loss" column of dashes.
  await page.goto(`${serve.url}#/runs/${noVal.id}`)
  await expect(page.getByTestId('epoch-table').locator('thead')).toContainText('Loss')
  await expect(page.getByTestId('epoch-table').locator('thead')).not.toContainText('Val loss')
})

test('text samples in full, their prime marked apart (run page and compare)', async ({ page }) => {
  const ids = runIds
  await page.setViewportSize({ width: 1600, height: 900 })
  await page.goto(`${serve.url}#/runs/${ids.t}`)
  const epoch = page.getByTestId('epoch-sample').first()
  await expect(epoch.locator('.prime')).toHaveText(/^(Prime: )?The little$/)
  const text = await epoch.evaluate((el) => el.textContent ?? '')
  // 120 generated characters after the prime (the per-epoch cut was 60), plus the screen-reader labels.
  expect(text.replace('Prime: ', '').replace(' Generated: ', '').length).toBe('The little'.length + 120)
  await expect(page.getByTestId('final-sample').locator('.prime')).toContainText('The little')
  await shoot(page, 'run-text', () => page.getByTestId('epoch-samples').scrollIntoViewIfNeeded())

  await page.goto(`${serve.url}#/compare?ids=${ids.t},${ids.a}`)
  const final = page.getByTestId('compare-final-sample')
  await expect(final.locator('.prime')).toContainText('The little')
  expect(((await final.textContent()) ?? '').length).toBeGreaterThan(120)
  await shoot(page, 'compare-text', () => page.getByTestId('text-samples').scrollIntoViewIfNeeded())
})

test('new-run form: Remove layer buttons are real buttons with their layer in the name; one control named Model', async ({ page }) => {
  const ids = runIds
  await page.goto(`${serve.url}#/runs/new?from=${ids.a}`)
  const remove = page.getByRole('button', { name: 'Remove layer 2' })
  await expect(remove).toBeVisible()
  const look = await remove.evaluate((el) => {
    const css = getComputedStyle(el)
    return { border: parseFloat(css.borderTopWidth), borderColor: css.borderTopColor, background: css.backgroundColor }
  })
  expect(look.border).toBeGreaterThanOrEqual(1)
  expect(look.borderColor).not.toBe('rgba(0, 0, 0, 0)')
  expect(look.background).not.toBe('rgba(0, 0, 0, 0)')
  for (const role of ['combobox', 'button', 'textbox', 'group', 'region', 'heading'] as const)
    expect(await page.getByRole(role, { name: 'Model', exact: true }).count(), role).toBeLessThanOrEqual(1)
  await shoot(page, 'new-run-layers', () => remove.scrollIntoViewIfNeeded())
})

test('the token-less address answers a browser with a page that says where the link is; the API keeps JSON', async ({ page }) => {
  const res = await page.goto(`${serve.origin}/`)
  expect(res?.status()).toBe(401)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('RNN Lab needs the link with its token')
  await expect(page.locator('body')).toContainText('serve-token')
  await expect(page.locator('body')).toContainText('rnn-lab serve')
  await shoot(page, 'token-page')
  const apiRes = await page.request.post(`${serve.origin}/api/app.info`, { data: {} })
  expect(apiRes.status()).toBe(401)
  expect(((await apiRes.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED')
})

test('axe: no serious or critical findings on the changed screens', () => {
  expect(problems).toEqual([])
})
