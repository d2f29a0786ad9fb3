// Child process of the CSV import benchmarks: imports one file and reports time and peak RSS growth
// (or the refusal),
// sampled every 20 ms, as one JSON line. A separate process keeps the measurement clean.
import { importCsv } from '../src-main/data/csv-import'

async function main(): Promise<void> {
  const file = process.argv[2]
  const base = process.memoryUsage().rss
  let peak = base
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 20)
  const t0 = performance.now()
  const r = await importCsv(file).catch((err: { code?: string; message?: string }) => ({ refused: err.code, message: err.message }))
  const seconds = (performance.now() - t0) / 1000
  peak = Math.max(peak, process.memoryUsage().rss)
  clearInterval(timer)
  const outcome = 'refused' in r ? r : { rows: r.rows, columns: r.columns.length, rowsPerSecond: r.rows / seconds }
  process.stdout.write(JSON.stringify({ ...outcome, seconds, peakRssGrowthMb: (peak - base) / 2 ** 20 }) + '\n')
}

void main()
