/**
 * `rnn-lab train --dataset <id> --config <file.json>`: runs to completion in a worker, one line per
 * epoch (JSON lines with --json), ending with the run record and its metrics beside the baselines.
 * Exit 0 on success, 2 on an invalid config (the message names the field), 130 on Ctrl-C (the run
 * is marked cancelled), 1 when training fails.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { Client } from '../../src-shared/client'
import type { ExperimentConfig } from '../../src-shared/experiment'
import { rangeSentence } from '../../src-shared/extrapolation'
import { ApiError } from '../../src-shared/errors'
import { UsageError, intOption } from './args'
import { followRun } from './follow-run'
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
      await warnOutsideRange(client, datasetId, run.config, values.json)
      out({ type: 'started', runId: run.id, name: run.name }, `Run ${run.id} · ${run.name}`)
      return followRun(client, run, values.json)
    },
    workers
  )
}
