/**
 * `npm run bench [-- --json] [-- --only csv,csvlimits,registry,ui,loop,fused,orthogonal] [-- --rows N]`: RNN Lab's speed and memory
 * figures. Targets live here, never in timed unit tests; machines are noisy, so comparisons are
 * measured side by side in one invocation.
 */
import { parseArgs } from 'node:util'
import { availableParallelism, cpus } from 'node:os'
import { benchCsvImport, benchCsvOneLine } from './csv-import'
import { benchEventLoop } from './event-loop'
import { benchRegistry } from './registry'
import { benchUiScreens } from './ui-screens'
import { benchFused } from './fused-throughput'
import { benchOrthogonalInit } from './orthogonal-init'

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
    rows: { type: 'string' },
    workloads: { type: 'string' }
  }
})
const only = values.only?.split(',')
const want = (name: string) => !only || only.includes(name)
const log = (msg: string) => {
  if (!values.json) console.error(msg)
}

async function main(): Promise<void> {
  const result: Record<string, unknown> = {
    machine: { node: process.versions.node, cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown' },
    date: new Date().toISOString()
  }
  if (want('csv')) {
    log('csv import…')
    result.csvImport = await benchCsvImport(Number(values.rows ?? 1_000_000))
  }
  if (want('csvlimits')) {
    log('CSV import of a 200 MB single-line file…')
    result.csvOneLine = await benchCsvOneLine(200)
  }
  if (want('registry')) {
    log('registry queries at 2,000 runs × 200 epochs…')
    result.registry = benchRegistry()
  }
  if (want('ui')) {
    log('screens with 500 runs in the database…')
    result.uiScreens = await benchUiScreens()
  }
  if (want('loop')) {
    log('event-loop lag during two concurrent runs…')
    result.eventLoop = await benchEventLoop()
  }
  if (want('fused')) {
    log('fused RNN layers vs tfjs-layers vs PyTorch…')
    result.fused = await benchFused(values.workloads?.split(','))
  }
  if (want('orthogonal')) {
    log('building an LSTM(128): FastOrthogonal vs tfjs orthogonal initializer…')
    result.orthogonalInit = await benchOrthogonalInit()
  }
  console.log(JSON.stringify(result, null, 2))
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err)
    process.exit(1)
  }
)
