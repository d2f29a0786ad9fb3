/**
 * Responsiveness of the main process: event-loop delay (p50/p99/max) while two runs train at once in
 * worker threads, with a real core on a temp data folder. Goal: p99 < 50 ms.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppCore } from '../src-main/services/app-core'
import { sineExampleConfig } from '../src-shared/forecast-config'

export async function benchEventLoop(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lab-bench-'))
  const core = new AppCore({
    dataDir: dir,
    workerScript: join(__dirname, '..', 'test', 'helpers', 'train-worker-bootstrap.mjs'),
    workerExecArgv: [],
    workers: 2,
    transport: 'http'
  })
  try {
    const ds = core.datasets.generateSine({ length: 3000, frequency: 0.02, amplitude: 1, noise: 0.05, seed: 1 })
    const config = {
      ...sineExampleConfig(),
      model: { ...sineExampleConfig().model, cell: 'lstm' as const, layers: [{ units: 32 }] },
      training: { ...sineExampleConfig().training, epochs: 6 }
    }
    await core.pool.reports() // workers started and backends loaded before measuring
    const h = monitorEventLoopDelay({ resolution: 5 })
    h.enable()
    const t0 = performance.now()
    const a = core.runs.start({ datasetId: ds.id, config })
    const b = core.runs.start({ datasetId: ds.id, config })
    await Promise.all([core.runs.whenDone(a.id), core.runs.whenDone(b.id)])
    h.disable()
    const ms = (ns: number) => ns / 1e6
    const p99 = ms(h.percentile(99))
    return {
      concurrentRuns: 2,
      seconds: (performance.now() - t0) / 1000,
      lagMs: { p50: ms(h.percentile(50)), p99, max: ms(h.max) },
      goalP99Ms: 50,
      meetsGoal: p99 < 50
    }
  } finally {
    await core.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
