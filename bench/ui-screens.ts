/**
 * How fast each screen becomes interactive with 500 runs in the database (goal: ≤ 100 ms): a real
 * `serve` (the built app) and Debian Chromium; each screen is reached by an in-app route change and
 * timed until its main element is there. Median of 5 visits per screen.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { startServe } from '../e2e/serve-process'
import { openDatabase } from '../src-main/store/database'
import { RunsRepo } from '../src-main/store/runs-repo'
import { sineExampleConfig } from '../src-shared/forecast-config'
import { generateSine } from '../src-shared/sine'
import { DatasetsRepo } from '../src-main/store/datasets-repo'
import { hashColumns } from '../src-main/data/hash'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

function seed(dir: string, runs: number): { datasetId: string; runId: string } {
  const db = openDatabase(dir)
  const values = generateSine({ length: 2000, frequency: 0.02, amplitude: 1, noise: 0.05, seed: 1 })
  const ds = new DatasetsRepo(db).insert({
    id: 'ds_bench',
    name: 'Bench sine',
    kind: 'series',
    source: 'generated:sine',
    columns: [{ name: 'value', type: 'number', missing: 0 }],
    data: [values],
    params: null,
    hash: hashColumns(['value'], [values])
  })
  const repo = new RunsRepo(db)
  db.transaction(() => {
    for (let i = 0; i < runs; i++) {
      const id = `run_bench_${i}`
      repo.insert({
        id,
        name: `bench run ${i}`,
        datasetId: ds.id,
        datasetHash: ds.hash,
        config: sineExampleConfig(),
        appVersion: 'bench',
        parameterCount: 1121
      })
      for (let e = 1; e <= 20; e++) repo.appendEpoch(id, { epoch: e, loss: 1 / e, valLoss: 1.1 / e, elapsedMs: e * 100 })
      const m = { rmse: 0.01 + i * 1e-5, mae: 0.01, mape: null, smape: 1, r2: 0.99, mase: 0.1, directionalAccuracy: 0.9 }
      repo.finish(id, 'completed', {
        metrics: {
          test: m,
          baselines: { persistence: { ...m, rmse: 0.09 }, seasonalNaive: null, drift: null, movingAverage: null },
          mase: 0.1,
          beatsPersistence: true,
          testWindows: 100,
          seasonalPeriod: 50,
          backtest: null,
          perHorizon: []
        }
      })
    }
  })()
  db.close()
  return { datasetId: ds.id, runId: 'run_bench_7' }
}

export async function benchUiScreens(runs = 500): Promise<Record<string, unknown>> {
  if (!existsSync(join(__dirname, '..', 'out', 'renderer', 'index.html'))) return { skipped: 'the app is not built (npm run build)' }
  if (!existsSync(CHROMIUM)) return { skipped: `no Chromium at ${CHROMIUM}` }
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lab-bench-ui-'))
  const { datasetId, runId } = seed(dir, runs)
  const serve = await startServe(dir)
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run'
    ]
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(serve.url)
    await page.getByTestId('nav-datasets').waitFor()
    const screens: [string, string, string][] = [
      ['runs', '#/runs', '[data-testid="run-row"]'],
      ['datasets', '#/datasets', '[data-testid="dataset-row"]'],
      ['dataset', `#/datasets/${datasetId}`, '[data-testid="dataset-chart"] canvas'],
      ['new-run', `#/runs/new?dataset=${datasetId}`, '[data-testid="model-total-params"]'],
      ['run', `#/runs/${runId}`, '[data-testid="metrics-card"]'],
      ['compare', `#/compare?ids=run_bench_1,run_bench_2,run_bench_3`, '[data-testid="compare-row"]'],
      ['settings', '#/settings', '[data-testid="app-info"]']
    ]
    const ms: Record<string, number> = {}
    for (const [name, hash, selector] of screens) {
      const times: number[] = []
      for (let k = 0; k < 5; k++) {
        await page.evaluate("location.hash = '#/none'")
        await page.waitForTimeout(50)
        // In the page: change the route, then poll each frame until the screen's element exists.
        const t = (await page.evaluate(`new Promise((resolve) => {
          const t0 = performance.now()
          location.hash = ${JSON.stringify(hash)}
          const check = () => (document.querySelector(${JSON.stringify(selector)}) ? resolve(performance.now() - t0) : requestAnimationFrame(check))
          check()
        })`)) as number
        times.push(t)
      }
      ms[name] = times.sort((a, b) => a - b)[2]
    }
    const worst = Math.max(...Object.values(ms))
    return { runsInDatabase: runs, interactiveMs: ms, goalMs: 100, meetsGoal: worst <= 100 }
  } finally {
    await browser.close()
    await serve.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
