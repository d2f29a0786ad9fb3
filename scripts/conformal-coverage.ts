/**
 * Measured coverage of the split-conformal intervals on the real stock files: each file imported by
 * the real importer, one small LSTM per file trained on its closes (log returns, then levels), and
 * the nominal 80 % / 95 % beside the coverage measured on the test part.
 *
 *   npx tsx scripts/conformal-coverage.ts [--epochs 10] [--files yahoo-IBM.csv,nasdaq-MSFT.csv]
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { AppCore } from '../src-main/services/app-core'
import type { RunDetail } from '../src-shared/domain'

const STOCKS = join(__dirname, '..', '..', 'shared', 'data', 'stocks')

async function main() {
  const { values } = parseArgs({ options: { epochs: { type: 'string', default: '10' }, files: { type: 'string' } } })
  const files = values.files ? values.files.split(',') : readdirSync(STOCKS).filter((f) => f.endsWith('.csv'))
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lab-coverage-'))
  const core = new AppCore({
    dataDir: dir,
    workerScript: join(__dirname, '..', 'test', 'helpers', 'train-worker-bootstrap.mjs'),
    workerExecArgv: [],
    workers: 1,
    backends: ['wasm']
  })
  const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${(100 * x).toFixed(1)}`)
  console.log('file\ttransform\ttest windows\tcal windows\tcov80\tcov95\trmse\tpersistence rmse')
  try {
    for (const file of files) {
      const { dataset } = await core.datasets.importCsv({
        source: { kind: 'grant', grant: core.grants.register(join(STOCKS, file), 'read') }
      })
      const close = dataset.columns.find((c) => c.type === 'number' && /^close/i.test(c.name))!.name
      for (const transform of ['logReturns', 'none'] as const) {
        const run = core.runs.start({
          datasetId: dataset.id,
          config: {
            task: 'forecast',
            layout: 'many-to-one',
            window: 20,
            horizon: 1,
            features: [close],
            target: close,
            scaling: 'minmax',
            transform,
            split: { train: 0.7, val: 0.15, test: 0.15 },
            model: {
              cell: 'lstm',
              layers: [{ units: 16 }],
              bidirectional: false,
              dropout: 0,
              recurrentDropout: 0,
              activation: 'tanh',
              recurrentActivation: 'sigmoid'
            },
            training: {
              epochs: Number(values.epochs),
              batchSize: 32,
              optimizer: 'adam',
              learningRate: 0.005,
              momentum: 0,
              clipNorm: null,
              loss: 'mse',
              earlyStopping: null,
              lrSchedule: null,
              seed: 42
            },
            evaluation: { seasonalPeriod: null, movingAverageWindow: null, backtestFolds: 0 }
          }
        })
        await core.runs.whenDone(run.id)
        const r: RunDetail = core.runs.get(run.id)
        const m = r.metrics
        if (!m) {
          console.log(`${file}\t${transform}\tfailed: ${r.error}`)
          continue
        }
        console.log(
          [
            file,
            transform,
            m.testWindows,
            m.intervals?.calibrationWindows ?? 0,
            pct(m.test.coverage80),
            pct(m.test.coverage95),
            m.test.rmse.toFixed(3),
            m.baselines.persistence.rmse.toFixed(3)
          ].join('\t')
        )
      }
    }
  } finally {
    await core.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

void main()
