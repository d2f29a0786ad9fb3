/**
 * `rnn-lab train --dataset <id> --config <file.json>` or `rnn-lab train --from <runId> --set path=value…`
 * (that run's dataset and config, edited): runs to completion in a worker, one line per epoch (JSON lines
 * with --json), ending with the run record and its metrics beside the baselines. Exit 0 on success, 2 on
 * an invalid config (the message names the field), 130 on Ctrl-C (the run is marked cancelled), 1 when
 * training fails.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { Client } from '../../src-shared/client'
import type { RunConfig } from '../../src-shared/run-config'
import { rangeSentence } from '../../src-shared/extrapolation'
import { ApiError } from '../../src-shared/errors'
import { applyOverrides, copyName, issuesText } from '../../src-shared/config-overrides'
import { UsageError, intOption } from './args'
import { followRun } from './follow-run'
import { withLocalCore } from './local-core'
import { QUEUE_OPTIONS, queueTarget } from './queue-option'

const USAGE =
  'usage: rnn-lab train --dataset <id> --config <file.json> [--set path=value]… [--queue URL [--gpu]] [--json]\n' +
  '       rnn-lab train --from <runId> [--set model.layers[0].units=64]… [--dataset <id>] [--queue URL [--gpu]] [--json]'

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
  const checked = applyOverrides(plan.config as RunConfig, sets)
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

/** Before training: says how much of the validation/test target lies outside the training range. */
async function warnOutsideRange(client: Client, datasetId: string, config: RunConfig, json: boolean): Promise<void> {
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
      from: { type: 'string' },
      set: { type: 'string', multiple: true },
      name: { type: 'string' },
      'data-dir': { type: 'string' },
      workers: { type: 'string' },
      json: { type: 'boolean', default: false },
      ...QUEUE_OPTIONS
    },
    strict: true
  })
  if (!values.from && (!values.dataset || !values.config)) throw new UsageError(USAGE)
  const workers = intOption(values.workers, 'workers', 1, 64) ?? 1
  const { queueUrl, target } = await queueTarget(values)
  const out = (obj: object, text: string) => console.log(values.json ? JSON.stringify(obj) : text)
  return withLocalCore(
    values['data-dir'],
    async (client) => {
      const plan = await planRun(client, values)
      let run
      try {
        run = await client.invoke('runs.start', { datasetId: plan.datasetId, name: plan.name, config: plan.config as never, target })
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
      await warnOutsideRange(client, plan.datasetId, run.config, values.json)
      out({ type: 'started', runId: run.id, name: run.name }, `Run ${run.id} · ${run.name}`)
      return followRun(client, run, values.json)
    },
    { workers, queueUrl }
  )
}
