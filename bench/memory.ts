/**
 * Forecast training memory (issue #18): peak RSS growth of one epoch, lazy windows (the app) beside
 * the materialised windows of before, each in a fresh child process, run one after the other.
 * - target: 1,000,000 rows × 5 features, window 60, LSTM(32), lazy: goal < 400 MB of peak RSS growth;
 *   the estimate the app shows beside it.
 * - issue: the issue's 300,000 × 5, window 30, LSTM(64), lazy beside materialised.
 * - epochTime: a case both can run in full, five pairs in alternating order: median epoch seconds
 *   (an epoch includes its validation pass).
 * Training batches may be capped for time (`--batches`, the JSON says so): the series, windows,
 * validation and test evaluation are always full size, so the memory peak is the real configuration's.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { forecastMemory } from '../src-shared/memory-estimate'
import { summarizeModel } from '../src-shared/model-summary'
import { ForecastConfig, type ForecastConfigInput } from '../src-shared/forecast-config'

type Mode = 'lazy' | 'materialised'

interface ChildResult {
  mode: Mode
  seconds: number
  epochSeconds: number[]
  loss: number[]
  runtimeRssMb: number
  peakRssGrowthMb: number
}

const MB = 2 ** 20
const features = Array.from({ length: 5 }, (_, j) => `f${j}`)

const forecastConfig = (window: number, units: number): ForecastConfigInput => ({
  task: 'forecast',
  layout: 'many-to-one',
  window,
  horizon: 1,
  features,
  target: 'f0',
  model: { cell: 'lstm', layers: [{ units }] },
  training: { epochs: 1, batchSize: 32, seed: 1 }
})

function child(mode: Mode, rows: number, config: ForecastConfigInput, maxTrainBatches: number | null): ChildResult {
  const args = JSON.stringify({ mode, rows, features: features.length, config, maxTrainBatches })
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'memory-child.ts'), args], {
    encoding: 'utf8',
    maxBuffer: 16 * MB
  })
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]

/** The app's estimate of the run (less the runtime, which the growth is measured above). */
function estimateMb(rows: number, input: ForecastConfigInput) {
  const config = ForecastConfig.parse(input)
  const e = forecastMemory(config, rows, summarizeModel(config).totalParams)
  return { totalMb: e.bytes / MB, withoutRuntimeMb: (e.bytes - e.parts.runtime) / MB }
}

function trainBatches(rows: number, cap: number | null) {
  const total = Math.ceil((Math.floor(rows * 0.7) - 60) / 32)
  return cap === null || cap >= total
    ? { run: total, of: total, capped: false }
    : { run: cap, of: total, capped: true, note: 'training batches capped for time; series, windows, validation and test are full size' }
}

export function benchMemory(log: (msg: string) => void, cap: number | null): Record<string, unknown> {
  log('memory: 1,000,000 rows × 5, window 60, LSTM(32), lazy…')
  const target = { rows: 1_000_000, config: forecastConfig(60, 32) }
  const lazy1m = child('lazy', target.rows, target.config, cap)

  log('memory: 300,000 rows × 5, window 30, LSTM(64), lazy and materialised…')
  const issue = { rows: 300_000, config: forecastConfig(30, 64) }
  const issueLazy = child('lazy', issue.rows, issue.config, cap)
  const issueMaterialised = child('materialised', issue.rows, issue.config, cap)

  log('memory: epoch time, 10,000 rows, lazy and materialised, 5 pairs in alternating order…')
  const timing = { rows: 10_000, config: forecastConfig(60, 32) }
  const runs: ChildResult[] = []
  for (let i = 0; i < 5; i++) {
    const order: Mode[] = i % 2 === 0 ? ['lazy', 'materialised'] : ['materialised', 'lazy']
    for (const m of order) runs.push(child(m, timing.rows, timing.config, null))
  }
  const epochs = (m: Mode) => runs.filter((r) => r.mode === m).map((r) => r.epochSeconds[0])
  const epoch = (m: Mode) => median(epochs(m))
  const growth = (m: Mode) => median(runs.filter((r) => r.mode === m).map((r) => r.peakRssGrowthMb))
  const sameLosses = runs.every((r) => r.loss[0] === runs[0].loss[0])

  return {
    target: {
      ...target,
      trainBatches: trainBatches(target.rows, cap),
      peakRssGrowthMb: lazy1m.peakRssGrowthMb,
      runtimeRssMb: lazy1m.runtimeRssMb,
      estimate: estimateMb(target.rows, target.config),
      goalPeakRssGrowthMb: 400,
      meetsGoal: lazy1m.peakRssGrowthMb < 400,
      seconds: lazy1m.seconds
    },
    issueCase: {
      ...issue,
      trainBatches: trainBatches(issue.rows, cap),
      peakRssGrowthMb: { lazy: issueLazy.peakRssGrowthMb, materialised: issueMaterialised.peakRssGrowthMb },
      estimate: estimateMb(issue.rows, issue.config),
      epochLoss: { lazy: issueLazy.loss[0], materialised: issueMaterialised.loss[0] },
      sameLoss: issueLazy.loss[0] === issueMaterialised.loss[0]
    },
    epochTime: {
      ...timing,
      trainBatches: trainBatches(timing.rows, null),
      repeats: 5,
      epochSeconds: { lazy: epochs('lazy'), materialised: epochs('materialised') },
      medianEpochSeconds: { lazy: epoch('lazy'), materialised: epoch('materialised') },
      ratioLazyToMaterialised: epoch('lazy') / epoch('materialised'),
      medianPeakRssGrowthMb: { lazy: growth('lazy'), materialised: growth('materialised') },
      estimate: estimateMb(timing.rows, timing.config),
      sameLosses,
      /** "No worse", within the noise of a shared machine. */
      tolerance: 0.05,
      meetsGoal: epoch('lazy') <= epoch('materialised') * 1.05
    }
  }
}
