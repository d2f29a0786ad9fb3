// The engine issue's "must show" figures, on real training (wasm backend) and the real AAPL export.
import * as tf from '@tensorflow/tfjs'
import { existsSync } from 'node:fs'
import v8 from 'node:v8'
import vm from 'node:vm'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { importCsv } from '../../src-main/data/csv-import'
import { selectBackend } from '../../src-main/engine/backends'
import { trainForecast } from '../../src-main/engine/train-forecast'
import { stockExampleConfig } from '../../src-shared/examples'
import { ForecastConfig, sineExampleConfig } from '../../src-shared/forecast-config'
import { generateSine } from '../../src-shared/sine'

const SHARED = join(__dirname, '..', '..', '..', 'shared', 'data')

beforeAll(async () => {
  await selectBackend(tf, { allowNative: false, only: ['wasm'] })
})

describe('course examples', () => {
  it('the sine SimpleRNN example reaches test RMSE < 0.05 (amplitude 1, no noise)', async () => {
    const sine = generateSine({ length: 1000, frequency: 0.02, amplitude: 1, noise: 0, seed: 42 })
    const r = await trainForecast(tf, sineExampleConfig(), { value: sine })
    expect(r.metrics.test.rmse).toBeLessThan(0.05)
    expect(r.metrics.beatsPersistence).toBe(true)
  })

  it.skipIf(!existsSync(join(SHARED, 'stocks', 'yahoo-AAPL.csv')))(
    'the stock LSTM on yahoo-AAPL Close reports model and persistence RMSE and MASE side by side',
    async () => {
      const csv = await importCsv(join(SHARED, 'stocks', 'yahoo-AAPL.csv'))
      const columns = Object.fromEntries(csv.columns.map((c) => [c.name, c.values]))
      const config = ForecastConfig.parse({ ...stockExampleConfig(), training: { ...stockExampleConfig().training, epochs: 4 } })
      const r = await trainForecast(tf, config, columns)
      for (const m of [r.metrics.test, r.metrics.baselines.persistence]) {
        expect(Number.isFinite(m.rmse)).toBe(true)
        expect(m.mase).not.toBeNull()
      }
      // Same windows: the persistence baseline's forecasts are the last known closes.
      expect(r.predictions.persistence).toHaveLength(r.metrics.testWindows)
      expect(r.metrics.beatsPersistence).toBe(r.metrics.test.rmse < r.metrics.baselines.persistence.rmse)
    }
  )

  it('keeps tensors flat and RSS flat over 50 epochs (RSS read after a full GC each epoch)', async () => {
    // Without a GC the JS heap's sawtooth (±100 MB here) hides any trend; with one, RSS is flat.
    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc') as () => void
    const sine = { value: generateSine({ length: 400, frequency: 0.05, amplitude: 1, noise: 0.05, seed: 1 }) }
    const tensors: number[] = []
    const rss: number[] = []
    await trainForecast(
      tf,
      ForecastConfig.parse({
        ...sineExampleConfig(),
        model: { cell: 'lstm', layers: [{ units: 16 }] },
        training: { epochs: 50, batchSize: 32, seed: 3 }
      }),
      sine,
      {
        onEpoch: () => {
          tensors.push(tf.memory().numTensors)
          gc()
          rss.push(process.memoryUsage().rss)
        }
      }
    )
    expect(new Set(tensors.slice(1)).size).toBe(1)
    const growthMb = (rss[49] - rss[9]) / 2 ** 20
    expect(growthMb).toBeLessThan(20)
  }, 120_000)
})
