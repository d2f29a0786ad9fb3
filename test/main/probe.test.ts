// The epoch-time estimate leaves warm-up out: measured on wasm here, the first passes of a cold worker ran
// at 90 and 94 ms per batch, the third at 35, and training itself at 27 ms per batch.
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { probeSettled, steadyMsPerBatch, PROBE_PASSES } from '../../src-main/engine/fit-loop'
import { probeForecast } from '../../src-main/engine/train-forecast'
import { ForecastConfig } from '../../src-shared/forecast-config'
import { generateSine } from '../../src-shared/sine'

describe('the epoch-time probe', () => {
  it('keeps passing until the pass times settle, and reports the fastest warm pass', () => {
    expect(probeSettled([362, 375], 800)).toBe(false)
    expect(probeSettled([362, 375, 141], 1000)).toBe(false)
    expect(probeSettled([362, 375, 141, 130], 1100)).toBe(true)
    expect(probeSettled([362, 375, 141], PROBE_PASSES.budgetMs)).toBe(true)
    expect(
      probeSettled(
        Array(PROBE_PASSES.max)
          .fill(100)
          .map((v, i) => v * (i + 1)),
        0
      )
    ).toBe(true)
    expect(steadyMsPerBatch([362, 375, 141, 130], 4)).toBe(32.5)
    expect(steadyMsPerBatch([1274, 657, 530, 20, 176, 238], 4)).toBe(44)
    expect(steadyMsPerBatch([100], 4)).toBe(25)
  })

  it('a real probe on wasm-or-cpu tfjs returns a positive time per batch of the config', async () => {
    const config = ForecastConfig.parse({
      window: 10,
      features: ['value'],
      target: 'value',
      model: { cell: 'simple_rnn', layers: [{ units: 4 }] },
      training: { epochs: 1, batchSize: 16, seed: 1 }
    })
    const sine = { value: generateSine({ length: 200, frequency: 0.05, amplitude: 1, noise: 0, seed: 3 }) }
    const r = await probeForecast(tf, config, sine)
    expect(r.probeBatches).toBe(4)
    expect(r.msPerBatch).toBeGreaterThan(0)
    expect(Number.isFinite(r.msPerBatch)).toBe(true)
  })
})
