/** Following a started or resumed run in the terminal: a line per epoch, Ctrl-C cancels, the summary and exit code at the end. */
import type { Client } from '../../src-shared/client'
import type { EvaluatedWith, RunDetail, RunSummary } from '../../src-shared/domain'
import { rangeSentence } from '../../src-shared/extrapolation'
import { waitForRun } from '../../src-shared/run-wait'
import { EXIT } from './args'

/** Prints each epoch (JSON lines with `json`) until the run ends; exit 0 completed, 130 cancelled, 1 failed. */
export async function followRun(client: Client, run: RunSummary, json: boolean): Promise<number> {
  const out = (obj: object, text: string) => console.log(json ? JSON.stringify(obj) : text)
  const offEpoch = client.on('runs.epoch', ({ runId, record: r }) => {
    if (runId !== run.id) return
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
    if (!json) console.error('\nCancelling (the run is kept as cancelled)…')
    void client.invoke('runs.cancel', { id: run.id }).catch(() => {})
  }
  process.on('SIGINT', onSigint)
  try {
    await waitForRun(client, run.id)
  } finally {
    process.off('SIGINT', onSigint)
    offEpoch()
  }
  const detail = await client.invoke('runs.get', { id: run.id })
  const { predictions: _p, ...record } = detail
  if (json) console.log(JSON.stringify({ type: 'run', ...record }))
  else for (const line of summaryLines(detail)) console.log(line)
  if (detail.status === 'completed') return EXIT.ok
  if (detail.status === 'cancelled') return EXIT.interrupted
  if (!json) console.error(`rnn-lab: the run failed: ${detail.error}`)
  return EXIT.failure
}

export const fmt = (n: number | null | undefined, d = 5) => (n === null || n === undefined ? '—' : n.toPrecision(d))

const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${(100 * x).toFixed(1)} %`)

function coverageLine(m: NonNullable<RunDetail['metrics']>): string {
  if (!m.intervals) return 'intervals: none (they are calibrated on the validation part; this run has none)'
  return `interval coverage on the test part: 80 % nominal → ${pct(m.test.coverage80)} measured · 95 % nominal → ${pct(m.test.coverage95)} measured`
}

export function summaryLines(run: RunDetail): string[] {
  const t = run.textMetrics
  if (t) {
    return [
      `${run.status} · backend ${run.backend} · ${run.epochs.length} ${run.epochs.length === 1 ? 'epoch' : 'epochs'} · vocabulary ${t.vocabularySize}`,
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
    `${run.status} · backend ${run.backend} · ${run.epochs.length} ${run.epochs.length === 1 ? 'epoch' : 'epochs'} · test windows ${m.testWindows}`,
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

/** Which weights made the figures, and whether early stopping ended training. */
function evaluatedLine(w: EvaluatedWith | null | undefined): string | null {
  if (!w) return null
  const stop = w.stoppedEarly
    ? `early stopping ended training at epoch ${w.epochsRun} of ${w.epochsPlanned}`
    : `${w.epochsRun} of ${w.epochsPlanned} ${w.epochsPlanned === 1 ? 'epoch' : 'epochs'}`
  return `${stop}; metrics from the ${w.checkpoint} weights (epoch ${w.epoch})`
}
