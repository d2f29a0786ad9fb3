/**
 * `rnn-lab resume <runId>`: continues an interrupted run from its last checkpoint in this process, one
 * line per epoch (JSON lines with --json), ending with the run record. Exit codes as `train`.
 */
import { parseArgs } from 'node:util'
import { EXIT, UsageError } from './args'
import { openLocalCore } from './local-core'
import { fmt, summaryLines } from './train-command'

export async function resumeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true
  })
  if (positionals.length !== 1) throw new UsageError('usage: rnn-lab resume <runId> [--json]')
  const local = openLocalCore(values['data-dir'], 1)
  const out = (obj: object, text: string) => console.log(values.json ? JSON.stringify(obj) : text)
  try {
    const run = await local.client.invoke('runs.resume', { id: positionals[0] })
    const runId = run.id
    const from = run.epochsDone
    out({ type: 'resumed', runId, name: run.name, fromEpoch: from }, `Resuming run ${runId} · ${run.name} after epoch ${from}`)
    const offEpoch = local.client.on('run.epoch', ({ runId: id, record: r }) => {
      if (id !== runId) return
      out({ type: 'epoch', runId, ...r }, `epoch ${r.epoch}/${run.config.training.epochs}  loss ${fmt(r.loss)}  val ${fmt(r.valLoss)}`)
    })
    const onSigint = () => void local.client.invoke('runs.cancel', { id: runId }).catch(() => {})
    process.on('SIGINT', onSigint)
    await local.core.runs.whenDone(runId)
    process.off('SIGINT', onSigint)
    offEpoch()
    const { predictions: _p, ...record } = await local.client.invoke('runs.get', { id: runId })
    if (values.json) console.log(JSON.stringify({ type: 'run', ...record }))
    else for (const line of summaryLines({ ...record, predictions: null })) console.log(line)
    if (record.status === 'completed') return EXIT.ok
    if (record.status === 'cancelled') return EXIT.interrupted
    if (!values.json) console.error(`rnn-lab: the run failed: ${record.error}`)
    return EXIT.failure
  } finally {
    await local.close()
  }
}
