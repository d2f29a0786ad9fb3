// Child process of the CSV import benchmark: imports one file and reports time and peak RSS growth,
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
  const r = await importCsv(file)
  const seconds = (performance.now() - t0) / 1000
  peak = Math.max(peak, process.memoryUsage().rss)
  clearInterval(timer)
  process.stdout.write(
    JSON.stringify({
      rows: r.rows,
      columns: r.columns.length,
      seconds,
      rowsPerSecond: r.rows / seconds,
      peakRssGrowthMb: (peak - base) / 2 ** 20
    }) + '\n'
  )
}

void main()
