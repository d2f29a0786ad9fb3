// Every screen in both themes at 1280×800 (screenshots under test-results/screens/), checked with
// axe-core for serious or critical accessibility violations; and the configurator driven through
// every layout, its parameter count checked against the model the engine builds.
import { expect, test, type Page } from '@playwright/test'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { seriousAxeFindings } from './page-checks'
import { startServe, type ServeHandle } from './serve-process'

const SHOTS = join(__dirname, '..', 'test-results', 'screens')
mkdirSync(SHOTS, { recursive: true })

let serve: ServeHandle
let dataDir: string
const ids: Record<string, string> = {}

async function api<T>(page: Page, op: string, data: unknown): Promise<T> {
  const res = await page.request.post(`${serve.origin}/api/${op}`, { headers: { authorization: `Bearer ${serve.token}` }, data })
  const body = await res.json()
  if (!body.ok) throw new Error(`${op}: ${body.error.message}`)
  return body.result as T
}

async function waitFinished(page: Page, runIds: string[]): Promise<void> {
  await expect
    .poll(
      async () => (await api<{ id: string; status: string }[]>(page, 'runs.list', { ids: runIds })).every((r) => r.status === 'completed'),
      {
        timeout: 90_000
      }
    )
    .toBe(true)
}

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-screens-'))
  serve = await startServe(dataDir)
})

test.afterAll(async () => {
  await serve?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

test('every screen, light and dark: screenshots and no serious accessibility violations', async ({ page }) => {
  test.setTimeout(240_000)
  await page.goto(serve.url)
  const sine = await api<{ id: string }>(page, 'datasets.generateSine', { length: 600 })
  const stock = await api<{ id: string }>(page, 'datasets.generateStock', { days: 300 })
  const verse = await api<{ id: string }>(page, 'datasets.generateText', {})
  const base = {
    window: 20,
    features: ['value'],
    target: 'value',
    model: { cell: 'lstm', layers: [{ units: 8 }] },
    training: { epochs: 3 }
  }
  const a = await api<{ id: string }>(page, 'runs.start', { datasetId: sine.id, config: base })
  const b = await api<{ id: string }>(page, 'runs.start', {
    datasetId: sine.id,
    config: { ...base, model: { cell: 'gru', layers: [{ units: 12 }] } }
  })
  const t = await api<{ id: string }>(page, 'runs.start', {
    datasetId: verse.id,
    config: {
      task: 'text',
      sequenceLength: 12,
      model: { cell: 'lstm', layers: [{ units: 16 }] },
      training: { epochs: 2 },
      sampling: { length: 40, prime: 'The' }
    }
  })
  await waitFinished(page, [a.id, b.id, t.id])
  Object.assign(ids, { sine: sine.id, stock: stock.id, verse: verse.id, a: a.id, b: b.id, t: t.id })

  const screens: [string, string, string][] = [
    ['datasets', '#/datasets', 'datasets-table'],
    ['dataset-series', `#/datasets/${stock.id}`, 'dataset-title'],
    ['dataset-text', `#/datasets/${verse.id}`, 'dataset-title'],
    ['runs', '#/runs', 'runs-table'],
    ['new-run', `#/runs/new?dataset=${sine.id}`, 'model-total-params'],
    ['new-run-text', `#/runs/new?dataset=${verse.id}`, 'start-run'],
    ['run-forecast', `#/runs/${a.id}`, 'metrics-card'],
    ['run-text', `#/runs/${t.id}`, 'text-metrics'],
    ['compare', `#/compare?ids=${a.id},${b.id}`, 'compare-table'],
    ['settings', '#/settings', 'backend-report']
  ]
  const problems: string[] = []
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    for (const [name, hash, ready] of screens) {
      await page.goto(`${serve.origin}/${hash}`)
      await page.reload() // a fresh document per screen (a hash change alone keeps the page)
      await expect(page.getByTestId(ready).first()).toBeVisible()
      await page.waitForTimeout(300) // theme transition and chart animation settle
      await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`) })
      for (const finding of await seriousAxeFindings(page)) problems.push(`${name} (${scheme}): ${finding}`)
    }
  }
  expect(problems).toEqual([])
})

test('the configurator through every layout: the parameter count shown is the engine model’s', async ({ page }) => {
  test.setTimeout(240_000)
  await page.goto(serve.url)
  const sine = await api<{ id: string }>(page, 'datasets.generateSine', { length: 600 })
  for (const layout of ['many-to-one', 'many-to-many', 'one-to-many', 'encoder-decoder']) {
    await page.goto(`${serve.origin}/#/runs/new?dataset=${sine.id}`)
    await page.getByTestId(`layout-${layout}`).check()
    await page.getByTestId('run-cell').selectOption(layout === 'encoder-decoder' ? 'gru' : 'lstm')
    await page.getByTestId('run-epochs').fill('1')
    if (layout === 'one-to-many' || layout === 'encoder-decoder') await page.getByTestId('run-horizon').fill('3')
    const shown = (await page.getByTestId('model-total-params').textContent())!.replace(/[^0-9]/g, '')
    await page.getByTestId('start-run').click()
    await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 60_000 })
    // The run page's count is the one the worker's tfjs model reported (countParams()).
    await expect(page.getByTestId('run-params')).toHaveText(Number(shown).toLocaleString('en-US'))
  }
})
