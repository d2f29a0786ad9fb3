/**
 * `rnn-lab resume <runId>`: continues an interrupted run from its last checkpoint in this process, one
 * line per epoch (JSON lines with --json), ending with the run record. Exit codes as `train`.
 */
import { parseArgs } from 'node:util'
import { UsageError } from './args'
import { followRun } from './follow-run'
import { withLocalCore } from './local-core'

export async function resumeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true
  })
  if (positionals.length !== 1) throw new UsageError('usage: rnn-lab resume <runId> [--json]')
  const json = values.json
  return withLocalCore(values['data-dir'], async (client) => {
    const run = await client.invoke('runs.resume', { id: positionals[0] })
    const text = `Resuming run ${run.id} · ${run.name} after epoch ${run.epochsDone}`
    console.log(json ? JSON.stringify({ type: 'resumed', runId: run.id, name: run.name, fromEpoch: run.epochsDone }) : text)
    return followRun(client, run, json)
  })
}
