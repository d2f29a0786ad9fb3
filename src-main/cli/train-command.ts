/**
 * `rnn-lab train --dataset <id> --config <file.json>` or `rnn-lab train --from <runId> --set path=value…`
 * (that run's dataset and config, edited): runs to completion in a worker, one line per epoch (JSON lines
 * with --json), ending with the run record and its metrics beside the baselines. Exit 0 on success, 2 on
 * an invalid config (the message names the field), 130 on Ctrl-C (the run is marked cancelled), 1 when
 * training fails.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { RunDetail } from '../../src-shared/domain'
import { ApiError } from '../../src-shared/errors'
import { applyOverrides, copyName, issuesText } from '../../src-shared/config-overrides'
import type { ExperimentConfig } from '../../src-shared/experiment'
import type { Client } from '../../src-shared/client'
import { EXIT, UsageError, intOption } from './args'
import { waitForRun } from '../../src-shared/run-wait'
import { withLocalCore } from './local-core'

const USAGE =
  'usage: rnn-lab train --dataset <id> --config <file.json> [--set path=value]… [--json]\n' +
  '       rnn-lab train --from <runId> [--set model.layers[0].units=64]… [--dataset <id>] [--json]'

interface TrainPlan {
  datasetId: string
  config: unknown
  name: string | undefined
  /** How the config is named in a validation message. */
  source: string
}

/** The dataset, config and name to start: from a config file, or from a stored run; then the --set overrides. */
async function planRun(
  client: Client,
  v: { from?: string; dataset?: string; config?: string; name?: string; set?: string[] }
): Promise<TrainPlan> {
  let plan: TrainPlan
  if (v.from) {
    const run = await client.invoke('runs.get', { id: v.from })
    const config = v.config ? readConfig(v.config) : run.config
    const datasetId = v.dataset ?? run.datasetId
    if (!datasetId) throw new UsageError(`the dataset of run ${run.id} was deleted: name one with --dataset <id>`)
    plan = { datasetId, config, name: v.name ?? copyName(run.name), source: v.config ?? `from run ${run.id}` }
  } else {
    if (!v.dataset || !v.config) throw new UsageError(USAGE)
    plan = { datasetId: v.dataset, config: readConfig(v.config), name: v.name, source: v.config }
  }
  const sets = v.set ?? []
  if (sets.length === 0) return plan
  const checked = applyOverrides(plan.config as ExperimentConfig, sets)
  if (!checked.ok)
    throw new ApiError('VALIDATION', `Invalid config ${plan.source} with --set: ${issuesText(checked.issues)}`, { issues: checked.issues })
  return { ...plan, config: checked.config }
}

function readConfig(file: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new UsageError(`cannot read the config ${file}: ${(err as Error).message}`)
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`)
  }
}

const fmt = (n: number | null | undefined, d = 5) => (n === null || n === undefined ? '—' : n.toPrecision(d))

function summaryLines(run: RunDetail): string[] {
  const t = run.textMetrics
  if (t) {
    return [
      `${run.status} · backend ${run.backend} · ${run.epochs.length} epochs · vocabulary ${t.vocabularySize}`,
      `${t.evaluatedOn} loss ${fmt(t.loss)} nats · ${fmt(t.bitsPerToken, 4)} bits/token · perplexity ${fmt(t.perplexity, 4)} · accuracy ${(100 * t.accuracy).toFixed(1)}%`,
      `unigram baseline ${fmt(t.unigramLoss)} nats: the model ${t.beatsUnigram ? 'beats' : 'does NOT beat'} it`,
      `sample: ${JSON.stringify(run.finalSample ?? '')}`
    ]
  }
  const m = run.metrics
  if (!m) return [`${run.status}${run.error ? `: ${run.error}` : ''}`]
  const rows: [string, typeof m.test | null][] = [
    ['model', m.test],
    ['persistence', m.baselines.persistence],
    [`seasonal naive${m.seasonalPeriod ? ` (${m.seasonalPeriod})` : ''}`, m.baselines.seasonalNaive],
    ['drift', m.baselines.drift],
    ['moving average', m.baselines.movingAverage]
  ]
  return [
    `${run.status} · backend ${run.backend} · ${run.epochs.length} epochs · test windows ${m.testWindows}`,
    `${'forecast'.padEnd(20)} ${'RMSE'.padStart(12)} ${'MAE'.padStart(12)} ${'MASE'.padStart(10)}`,
    ...rows
      .filter((r): r is [string, NonNullable<(typeof r)[1]>] => r[1] !== null)
      .map(([name, e]) => `${name.padEnd(20)} ${fmt(e.rmse).padStart(12)} ${fmt(e.mae).padStart(12)} ${fmt(e.mase, 4).padStart(10)}`),
    m.beatsPersistence ? 'The model beats persistence on the test part.' : 'The model does NOT beat persistence on the test part.'
  ]
}

export async function trainCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      dataset: { type: 'string' },
      config: { type: 'string' },
      from: { type: 'string' },
      set: { type: 'string', multiple: true },
      name: { type: 'string' },
      'data-dir': { type: 'string' },
      workers: { type: 'string' },
      json: { type: 'boolean', default: false }
    },
    strict: true
  })
  if (!values.from && (!values.dataset || !values.config)) throw new UsageError(USAGE)
  const workers = intOption(values.workers, 'workers', 1, 64) ?? 1
  const out = (obj: object, text: string) => console.log(values.json ? JSON.stringify(obj) : text)
  return withLocalCore(
    values['data-dir'],
    async (client) => {
      const plan = await planRun(client, values)
      let run
      try {
        run = await client.invoke('runs.start', { datasetId: plan.datasetId, name: plan.name, config: plan.config as never })
      } catch (err) {
        if (err instanceof ApiError && err.code === 'VALIDATION') {
          throw new ApiError(
            'VALIDATION',
            err.message.replace(/^Invalid request for "runs.start": /, `Invalid config ${plan.source}: `),
            err.details
          )
        }
        throw err
      }
      const runId = run.id
      out({ type: 'started', runId, name: run.name }, `Run ${run.id} · ${run.name}`)
      const offEpoch = client.on('run.epoch', (e) => {
        if (e.runId !== runId) return
        const r = e.record
        const acc = r.accuracy !== null ? `  acc ${(100 * r.accuracy).toFixed(1)}%` : ''
        out(
          { type: 'epoch', runId, ...r },
          `epoch ${r.epoch}/${run.config.training.epochs}  loss ${fmt(r.loss)}  val ${fmt(r.valLoss)}${acc}  ${(r.elapsedMs / 1000).toFixed(1)} s`
        )
      })
      let interrupted = false
      const onSigint = () => {
        if (interrupted) return
        interrupted = true
        if (!values.json) console.error('\nCancelling (the run is kept as cancelled)…')
        void client.invoke('runs.cancel', { id: runId }).catch(() => {})
      }
      process.on('SIGINT', onSigint)
      await waitForRun(client, runId)
      process.off('SIGINT', onSigint)
      offEpoch()
      const detail = await client.invoke('runs.get', { id: runId })
      const { predictions: _p, ...record } = detail
      if (values.json) console.log(JSON.stringify({ type: 'run', ...record }))
      else for (const line of summaryLines(detail)) console.log(line)
      if (detail.status === 'completed') return EXIT.ok
      if (detail.status === 'cancelled') return EXIT.interrupted
      if (!values.json) console.error(`rnn-lab: the run failed: ${detail.error}`)
      return EXIT.failure
    },
    workers
  )
}
