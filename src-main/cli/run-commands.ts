/** `rnn-lab runs | show | compare | rerun | export | import-run | sweep | rm-run`. */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { RunSummary } from '../../src-shared/domain'
import { parseSort } from '../../src-shared/run-query'
import { UsageError, printJson } from './args'
import { waitForRun } from '../../src-shared/run-wait'
import { withLocalCore } from './local-core'

const common = { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } } as const

const num = (n: number | null | undefined, d = 4) => (n === null || n === undefined ? '—' : n.toPrecision(d))

function runLine(r: RunSummary): string {
  const m = r.metrics
  const figure = m
    ? `rmse ${num(m.test.rmse)} (persistence ${num(m.baselines.persistence.rmse)})`
    : r.textMetrics
      ? `loss ${num(r.textMetrics.loss)} nats`
      : ''
  return `${r.id}  ${r.status.padEnd(11)} ${String(r.epochsDone).padStart(4)} ep  ${r.name}  ${figure}${r.tags.length ? `  [${r.tags.join(', ')}]` : ''}`
}

export async function runsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...common,
      dataset: { type: 'string' },
      tag: { type: 'string' },
      status: { type: 'string' },
      sort: { type: 'string' },
      sweep: { type: 'string' },
      limit: { type: 'string' }
    },
    strict: true
  })
  return withLocalCore(values['data-dir'], async (client) => {
    const runs = await client.invoke('runs.list', {
      datasetId: values.dataset,
      tag: values.tag,
      status: values.status as RunSummary['status'] | undefined,
      sweepId: values.sweep,
      sort: values.sort ? parseSort(values.sort) : undefined,
      limit: values.limit ? Number(values.limit) : undefined
    })
    if (values.json) printJson(runs)
    else if (runs.length === 0) console.log('No runs match.')
    else for (const r of runs) console.log(runLine(r))
    return 0
  })
}

export async function showCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: common, strict: true })
  if (positionals.length !== 1) throw new UsageError('usage: rnn-lab show <runId> [--json]')
  return withLocalCore(values['data-dir'], async (client) => {
    const run = await client.invoke('runs.get', { id: positionals[0] })
    if (values.json) printJson(run)
    else {
      console.log(runLine(run))
      console.log(
        `dataset ${run.datasetName ?? '(deleted)'} sha256 ${run.datasetHash} · backend ${run.backend} · ${run.parameterCount} parameters`
      )
      console.log(JSON.stringify(run.config, null, 2))
    }
    return 0
  })
}

export async function compareCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: common, strict: true })
  if (positionals.length < 1) throw new UsageError('usage: rnn-lab compare <runId...> [--json]')
  return withLocalCore(values['data-dir'], async (client) => {
    const { runs, configDiff } = await client.invoke('runs.compare', { ids: positionals })
    const table = runs.map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      epochs: r.epochsDone,
      bestValLoss: r.bestValLoss,
      lastLoss: r.lastLoss,
      testRmse: r.metrics?.test.rmse ?? null,
      testMase: r.metrics?.test.mase ?? null,
      persistenceRmse: r.metrics?.baselines.persistence.rmse ?? null,
      textLoss: r.textMetrics?.loss ?? null
    }))
    if (values.json) printJson({ metrics: table, configDiff })
    else {
      for (const t of table)
        console.log(
          `${t.id}  best val ${num(t.bestValLoss)}  test rmse ${num(t.testRmse)}  persistence ${num(t.persistenceRmse)}  ${t.name}`
        )
      console.log('Config fields that differ:')
      for (const d of configDiff) console.log(`  ${d.path}: ${d.values.map((v) => JSON.stringify(v)).join(' | ')}`)
    }
    return 0
  })
}

export async function rerunCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: common, strict: true })
  if (positionals.length !== 1) throw new UsageError('usage: rnn-lab rerun <runId> [--json]')
  return withLocalCore(values['data-dir'], async (client) => {
    const run = await client.invoke('runs.rerun', { id: positionals[0] })
    if (!values.json) console.log(`Re-running as ${run.id} · ${run.name}`)
    await waitForRun(client, run.id)
    const done = await client.invoke('runs.get', { id: run.id })
    if (values.json) printJson(done)
    else console.log(runLine(done))
    return done.status === 'completed' ? 0 : 1
  })
}

export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...common, out: { type: 'string' } },
    strict: true
  })
  if (positionals.length !== 1 || !values.out) throw new UsageError('usage: rnn-lab export <runId> --out DIR')
  return withLocalCore(values['data-dir'], async (client) => {
    const r = await client.invoke('runs.export', { id: positionals[0], dir: resolve(values.out!) })
    if (values.json) printJson(r)
    else console.log(`Exported to ${r.dir}: ${r.files.join(', ')}`)
    return 0
  })
}

export async function importRunCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: common, strict: true })
  if (positionals.length !== 1) throw new UsageError('usage: rnn-lab import-run DIR')
  return withLocalCore(values['data-dir'], async (client) => {
    const run = await client.invoke('runs.import', { dir: resolve(positionals[0]) })
    if (values.json) printJson(run)
    else console.log(`Imported ${runLine(run)}`)
    return 0
  })
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new UsageError(`${what} ${file}: ${(err as Error).message}`)
  }
}

export async function sweepCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...common,
      dataset: { type: 'string' },
      config: { type: 'string' },
      grid: { type: 'string' },
      name: { type: 'string' },
      workers: { type: 'string' }
    },
    strict: true
  })
  if (!values.dataset || !values.config || !values.grid)
    throw new UsageError('usage: rnn-lab sweep --dataset <id> --config base.json --grid grid.json [--json]')
  const base = readJson(values.config, 'cannot read the config')
  const grid = readJson(values.grid, 'cannot read the grid')
  // grid.json: either a SweepSpec ({grid, random, seeds}) or just the grid ({"units": [16, 32]}).
  const spec = grid && typeof grid === 'object' && ('grid' in grid || 'random' in grid || 'seeds' in grid) ? grid : { grid }
  const workers = values.workers ? Number(values.workers) : undefined
  return withLocalCore(
    values['data-dir'],
    async (client) => {
      const { sweep, runs } = await client.invoke('sweeps.create', {
        datasetId: values.dataset!,
        name: values.name,
        base,
        spec: spec as never
      })
      const { workers } = await client.invoke('app.info')
      if (!values.json) console.log(`Sweep ${sweep.id} · ${sweep.name}: ${runs.length} runs queued on ${workers} worker(s)`)
      for (const r of runs) {
        await waitForRun(client, r.id)
        if (!values.json) console.log(runLine((await client.invoke('runs.get', { id: r.id })) as RunSummary))
      }
      const done = await client.invoke('runs.list', { sweepId: sweep.id, sort: { field: 'bestValLoss', direction: 'asc' } })
      if (values.json) printJson({ sweep, runs: done })
      return done.every((r) => r.status === 'completed') ? 0 : 1
    },
    workers
  )
}

export async function rmRunCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: common, strict: true })
  if (positionals.length < 1) throw new UsageError('usage: rnn-lab rm-run <runId...> [--json]')
  return withLocalCore(values['data-dir'], async (client) => {
    const deleted: string[] = []
    for (const id of positionals) {
      await client.invoke('runs.delete', { id })
      deleted.push(id)
      if (!values.json) console.log(`Deleted run ${id} and its saved models`)
    }
    if (values.json) printJson({ deleted })
    return 0
  })
}
