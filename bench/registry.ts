/**
 * Registry queries at 2,000 runs × 200 epochs on a real SQLite file: list, sort by a metric, filter by
 * tag and by a config field, one run's detail. Median of 7 timings each; goal < 100 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../src-main/store/database'
import { RunsRepo } from '../src-main/store/runs-repo'
import type { RunQuery } from '../src-shared/run-query'
import { mulberry32 } from '../src-shared/random'
import { sineExampleConfig } from '../src-shared/forecast-config'

export function benchRegistry(runs = 2000, epochs = 200): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lab-bench-'))
  try {
    const db = openDatabase(dir)
    const repo = new RunsRepo(db)
    const rand = mulberry32(1)
    db.prepare(
      `INSERT INTO datasets (id, name, kind, source, rows, columns_json, hash, created_at) VALUES ('ds', 'bench', 'series', 'x', 1, '[]', 'h', ?)`
    ).run(new Date().toISOString())
    const t0 = performance.now()
    db.transaction(() => {
      for (let i = 0; i < runs; i++) {
        const id = `run_${i}`
        const base = sineExampleConfig()
        const config = {
          ...base,
          model: { ...base.model, layers: [{ units: [8, 16, 32, 64][i % 4] }] },
          training: { ...base.training, seed: i }
        }
        repo.insert({ id, name: `run ${i}`, datasetId: 'ds', datasetHash: 'h', config, appVersion: 'bench', parameterCount: 100 })
        for (let e = 1; e <= epochs; e++) repo.appendEpoch(id, { epoch: e, loss: rand(), valLoss: rand(), elapsedMs: e * 10 })
        const rmse = rand()
        const m = { rmse, mae: rmse, mape: null, smape: 1, r2: 0.5, mase: 1, directionalAccuracy: 0.5 }
        repo.finish(id, 'completed', {
          metrics: {
            test: m,
            baselines: { persistence: m, seasonalNaive: null, drift: null, movingAverage: null },
            mase: 1,
            beatsPersistence: true,
            testWindows: 10,
            seasonalPeriod: null,
            backtest: null,
            perHorizon: []
          }
        })
        if (i % 10 === 0) repo.setTags(id, ['tenth'])
      }
    })()
    const fillSeconds = (performance.now() - t0) / 1000
    const time = (fn: () => unknown) => {
      const ts: number[] = []
      for (let k = 0; k < 7; k++) {
        const s = performance.now()
        fn()
        ts.push(performance.now() - s)
      }
      return ts.sort((a, b) => a - b)[3]
    }
    const q = (query: RunQuery) => () => repo.list(query)
    const queriesMs = {
      listAll: time(q({})),
      sortByTestRmse: time(q({ sort: { field: 'metrics.test.rmse', direction: 'asc' } })),
      sortByBestValLoss: time(q({ sort: { field: 'bestValLoss', direction: 'asc' } })),
      filterByTag: time(q({ tag: 'tenth' })),
      filterByConfigField: time(q({ where: [{ field: 'config.model.layers[0].units', op: 'eq', value: 64 }] })),
      filterByStatusAndDataset: time(q({ status: 'completed', datasetId: 'ds', limit: 100 })),
      oneRunDetail: time(() => repo.detail('run_1234'))
    }
    db.close()
    const worst = Math.max(...Object.values(queriesMs))
    return { runs, epochsPerRun: epochs, fillSeconds, queriesMs, goalMs: 100, meetsGoal: worst < 100 }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
