/**
 * Soak: 3 concurrent runs × 100 epochs on a real core (3 workers). Reports, per run, the worker's
 * tensor count after each epoch (must stay flat after the first), the process RSS after warm-up and
 * at the end (goal: growth < 50 MB), and the main thread's event-loop delay (goal: p99 < 50 ms).
 *
 *   npx tsx scripts/soak-test.ts [--epochs 100] [--runs 3]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import v8 from 'node:v8'
import vm from 'node:vm'
import { AppCore } from '../src-main/services/app-core'
import { sineExampleConfig } from '../src-shared/forecast-config'

export async function soakTest(runs: number, epochs: number) {
  v8.setFlagsFromString('--expose-gc')
  const gc = vm.runInNewContext('gc') as () => void
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lab-soak-'))
  const core = new AppCore({
    dataDir: dir,
    workerScript: join(__dirname, '..', 'test', 'helpers', 'train-worker-bootstrap.mjs'),
    workerExecArgv: [],
    workerGcEachEpoch: true,
    workers: runs,
    transport: 'http'
  })
  try {
    await core.pool.reports()
    const ds = core.datasets.generateSine({ length: 1200, frequency: 0.02, amplitude: 1, noise: 0.05, seed: 1 })
    const tensors = new Map<string, number[]>()
    core.runs.onWorkerEpoch = (runId, n) => {
      if (!tensors.has(runId)) tensors.set(runId, [])
      tensors.get(runId)!.push(n)
    }
    const rss: { epoch: number; mb: number }[] = []
    let epochsSeen = 0
    core.events.subscribe((e) => {
      if (e.name !== 'run.epoch') return
      epochsSeen++
      if (epochsSeen % (runs * 10) === 0) {
        gc()
        rss.push({ epoch: epochsSeen / runs, mb: process.memoryUsage().rss / 2 ** 20 })
      }
    })
    const h = monitorEventLoopDelay({ resolution: 5 })
    h.enable()
    const t0 = performance.now()
    const started = Array.from({ length: runs }, (_, i) =>
      core.runs.start({
        datasetId: ds.id,
        config: {
          ...sineExampleConfig(),
          model: { ...sineExampleConfig().model, cell: (['simple_rnn', 'lstm', 'gru'] as const)[i % 3], layers: [{ units: 16 }] },
          training: { ...sineExampleConfig().training, epochs, seed: i }
        }
      })
    )
    await Promise.all(started.map((r) => core.runs.whenDone(r.id)))
    h.disable()
    const seconds = (performance.now() - t0) / 1000
    const statuses = started.map((r) => core.runs.get(r.id).status)
    const flat = [...tensors.values()].every((t) => new Set(t.slice(1)).size === 1)
    const warm = rss.find((r) => r.epoch >= 20) ?? rss[0]
    const growthMb = rss.at(-1)!.mb - warm.mb
    const p99 = h.percentile(99) / 1e6
    return {
      runs,
      epochs,
      seconds,
      statuses,
      tensorCountsPerRun: [...tensors.values()].map((t) => ({ first: t[0], afterFirst: [...new Set(t.slice(1))] })),
      tensorsFlat: flat,
      rssMb: rss.map((r) => ({ epoch: r.epoch, mb: Math.round(r.mb) })),
      rssGrowthAfterWarmupMb: growthMb,
      eventLoopLagMs: { p50: h.percentile(50) / 1e6, p99, max: h.max / 1e6 },
      ok: statuses.every((s) => s === 'completed') && flat && growthMb < 50 && p99 < 50
    }
  } finally {
    await core.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (require.main === module) {
  const { values } = parseArgs({ options: { epochs: { type: 'string' }, runs: { type: 'string' } } })
  soakTest(Number(values.runs ?? 3), Number(values.epochs ?? 100)).then(
    (r) => {
      console.log(JSON.stringify(r, null, 2))
      process.exit(r.ok ? 0 : 1)
    },
    (err) => {
      console.error(err)
      process.exit(1)
    }
  )
}
