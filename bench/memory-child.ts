// Child process of the memory benchmark: trains one forecast run in-process on the wasm backend, lazy
// (the app's path) or materialised (the pre-#18 reference), and reports its epoch time and peak RSS
// growth over the process after tfjs loaded (the high-water mark, not a sample) as one JSON line.
import { ForecastConfig, type ForecastConfigInput } from '../src-shared/forecast-config'

interface Args {
  mode: 'lazy' | 'materialised'
  rows: number
  features: number
  config: ForecastConfigInput
  /** Training batches run in the epoch (timing only); null: all. */
  maxTrainBatches: number | null
}

/** A random walk per feature (seeded), positive and trending like prices. */
async function columnsFor(rows: number, features: number): Promise<Record<string, Float64Array>> {
  const { mulberry32 } = await import('../src-shared/random')
  const rand = mulberry32(11)
  const out: Record<string, Float64Array> = {}
  for (let j = 0; j < features; j++) {
    const c = new Float64Array(rows)
    let v = 100 + 10 * j
    for (let i = 0; i < rows; i++) {
      v *= Math.exp((rand() - 0.5) * 0.01)
      c[i] = v
    }
    out[`f${j}`] = c
  }
  return out
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]) as Args
  const rssAtStart = process.memoryUsage().rss
  const tf = await import('@tensorflow/tfjs')
  const { selectBackend } = await import('../src-main/engine/backends')
  const { loadKernels } = await import('../src-main/engine/fused')
  const { trainForecast } = await import('../src-main/engine/train-forecast')
  const { trainMaterialised } = await import('../test/helpers/materialised-forecast')
  await selectBackend(tf, { allowNative: false, only: ['wasm'] })
  loadKernels()
  const base = process.memoryUsage().rss
  const columns = await columnsFor(args.rows, args.features)
  const t0 = performance.now()
  const train = args.mode === 'lazy' ? trainForecast : trainMaterialised
  const r = await train(tf, ForecastConfig.parse(args.config), columns, {}, { maxTrainBatches: args.maxTrainBatches ?? undefined })
  const seconds = (performance.now() - t0) / 1000
  const peak = process.resourceUsage().maxRSS * 1024
  process.stdout.write(
    JSON.stringify({
      mode: args.mode,
      seconds,
      epochSeconds: r.epochs.map((e, i) => (e.elapsedMs - (i > 0 ? r.epochs[i - 1].elapsedMs : 0)) / 1000),
      loss: r.epochs.map((e) => e.loss),
      testRmse: r.metrics.test.rmse,
      runtimeRssMb: (base - rssAtStart) / 2 ** 20,
      peakRssGrowthMb: (peak - base) / 2 ** 20
    }) + '\n'
  )
}

void main()
