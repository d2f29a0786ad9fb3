/**
 * `rnn-lab train --dataset <id> --config <file.json>`: runs to completion in a worker, one line per
 * epoch (JSON lines with --json), ending with the run record and its metrics beside the baselines.
 * Exit 0 on success, 2 on an invalid config (the message names the field), 130 on Ctrl-C (the run
 * is marked cancelled), 1 when training fails.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { Client } from '../../src-shared/client'
import type { EvaluatedWith, RunDetail } from '../../src-shared/domain'
import type { ExperimentConfig } from '../../src-shared/experiment'
import { rangeSentence } from '../../src-shared/extrapolation'
import { ApiError } from '../../src-shared/errors'
import { EXIT, UsageError, intOption } from './args'
import { waitForRun } from '../../src-shared/run-wait'
import { withLocalCore } from './local-core'

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

const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${(100 * x).toFixed(1)} %`)

function coverageLine(m: NonNullable<RunDetail['metrics']>): string {
  if (!m.intervals) return 'intervals: none (they are calibrated on the validation part; this run has none)'
  return `interval coverage on the test part: 80 % nominal → ${pct(m.test.coverage80)} measured · 95 % nominal → ${pct(m.test.coverage95)} measured`
}

function summaryLines(run: RunDetail): string[] {
  const t = run.textMetrics
  if (t) {
    return [
      `${run.status} · backend ${run.backend} · ${run.epochs.length} epochs · vocabulary ${t.vocabularySize}`,
      `${t.evaluatedOn} loss ${fmt(t.loss)} nats · ${fmt(t.bitsPerToken, 4)} bits/token · perplexity ${fmt(t.perplexity, 4)} · accuracy ${(100 * t.accuracy).toFixed(1)}%`,
      `unigram baseline ${fmt(t.unigramLoss)} nats: the model ${t.beatsUnigram ? 'beats' : 'does NOT beat'} it`,
      ...[evaluatedLine(t.evaluatedWith)].filter((l): l is string => l !== null),
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
    m.beatsPersistence ? 'The model beats persistence on the test part.' : 'The model does NOT beat persistence on the test part.',
    ...[
      evaluatedLine(m.evaluatedWith),
      coverageLine(m),
      m.extrapolation?.warn ? `warning: ${rangeSentence(m.extrapolation)}` : null
    ].filter((l): l is string => l !== null)
  ]
}

/** Before training: says how much of the validation/test target lies outside the training range. */
async function warnOutsideRange(client: Client, datasetId: string, config: ExperimentConfig, json: boolean): Promise<void> {
  const { extrapolation: c } = await client.invoke('runs.check', { datasetId, config })
  if (!c?.warn) return
  if (json) {
    console.log(JSON.stringify({ type: 'warning', code: 'outside-training-range', message: rangeSentence(c), extrapolation: c }))
    return
  }
  console.error(`warning: ${rangeSentence(c)} The model has not seen such values.`)
  for (const f of c.fixes) console.error(`  what helps: ${f.label} (${JSON.stringify(f.patch)}): ${f.why}`)
}

/** Which weights made the figures, and whether early stopping ended training. */
function evaluatedLine(w: EvaluatedWith | null | undefined): string | null {
  if (!w) return null
  const stop = w.stoppedEarly
    ? `early stopping ended training at epoch ${w.epochsRun} of ${w.epochsPlanned}`
    : `${w.epochsRun} of ${w.epochsPlanned} epochs`
  return `${stop}; metrics from the ${w.checkpoint} weights (epoch ${w.epoch})`
}

export async function trainCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      dataset: { type: 'string' },
      config: { type: 'string' },
      name: { type: 'string' },
      'data-dir': { type: 'string' },
      workers: { type: 'string' },
      json: { type: 'boolean', default: false }
    },
    strict: true
  })
  if (!values.dataset || !values.config) throw new UsageError('usage: rnn-lab train --dataset <id> --config <file.json> [--json]')
  const config = readConfig(values.config)
  const datasetId = values.dataset
  const workers = intOption(values.workers, 'workers', 1, 64) ?? 1
  const out = (obj: object, text: string) => console.log(values.json ? JSON.stringify(obj) : text)
  return withLocalCore(
    values['data-dir'],
    async (client) => {
      let run
      try {
        run = await client.invoke('runs.start', { datasetId, name: values.name, config: config as never })
      } catch (err) {
        if (err instanceof ApiError && err.code === 'VALIDATION') {
          throw new ApiError(
            'VALIDATION',
            err.message.replace(/^Invalid request for "runs.start": /, `Invalid config ${values.config}: `),
            err.details
          )
        }
        throw err
      }
      const runId = run.id
      await warnOutsideRange(client, datasetId, run.config, values.json)
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
