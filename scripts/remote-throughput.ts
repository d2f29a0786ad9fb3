/**
 * Throughput of a 6-trial sweep on remote workers: one worker process, then two, on a fresh Redis on
 * loopback (tiny sine trials). On one machine both workers share its cores: the figure shows the
 * queue's overhead and the spreading, not what two machines would give.
 *   npx tsx scripts/remote-throughput.ts [--epochs 10]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { sineExampleConfig } from '../src-shared/forecast-config'
import { startRedis } from '../test/helpers/redis-server'
import { ownerCore, startWorker } from '../test/helpers/remote-workers'

const { values } = parseArgs({ options: { epochs: { type: 'string', default: '10' } } })
const epochs = Number(values.epochs)
const base = {
  ...sineExampleConfig(),
  model: { cell: 'simple_rnn', layers: [{ units: 8 }] },
  training: { ...sineExampleConfig().training, epochs, batchSize: 16 }
}

async function sweepSeconds(workers: number): Promise<number> {
  const redis = await startRedis()
  const procs = await Promise.all(Array.from({ length: workers }, (_, i) => startWorker(redis.url, ['--name', `bench-${i + 1}`])))
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lab-remote-bench-'))
  const owner = ownerCore(dir, redis.url)
  try {
    const ds = owner.datasets.generateSine({ length: 300, frequency: 0.02, amplitude: 1, noise: 0, seed: 42 })
    const started = performance.now()
    const { runs } = owner.registry.createSweep({ datasetId: ds.id, base, spec: { seeds: [1, 2, 3, 4, 5, 6] }, target: 'remote' })
    await owner.runs.drain()
    const seconds = (performance.now() - started) / 1000
    const done = runs.map((r) => owner.runsRepo.get(r.id)!)
    if (done.some((r) => r.status !== 'completed')) throw new Error('a trial did not complete')
    const perWorker = new Map<string, number>()
    for (const r of done) perWorker.set(r.trainedOn!.workerId, (perWorker.get(r.trainedOn!.workerId) ?? 0) + 1)
    console.log(
      `${workers} worker(s): ${seconds.toFixed(1)} s for 6 trials × ${epochs} epochs; trials per worker ${JSON.stringify(Object.fromEntries(perWorker))}`
    )
    return seconds
  } finally {
    await owner.close()
    await Promise.all(procs.map((p) => p.stop()))
    await redis.cleanup()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const one = await sweepSeconds(1)
  const two = await sweepSeconds(2)
  console.log(`speed-up with two workers on this machine: ${(one / two).toFixed(2)}×`)
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err)
    process.exit(1)
  }
)
