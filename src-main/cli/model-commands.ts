/** `rnn-lab predict <runId> [--steps k]` and `rnn-lab sample <runId> --prime … --temperature … --length …`. */
import { parseArgs } from 'node:util'
import { UsageError, intOption, numberOption, printJson } from './args'
import { withLocalCore } from './local-core'

/** Which saved weights answered, and whether the run's metrics describe them. */
export function checkpointLine(c: { kind: 'best' | 'final'; epoch: number | null; matchesMetrics: boolean }): string {
  const which = `checkpoint: ${c.kind}${c.epoch !== null ? ` (epoch ${c.epoch})` : ''}`
  return c.matchesMetrics
    ? `${which}, the one the run's metrics describe`
    : `${which}; NOTE: the run's metrics describe the other checkpoint`
}

export async function predictCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      steps: { type: 'string' },
      checkpoint: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false }
    },
    strict: true
  })
  if (positionals.length !== 1) throw new UsageError('usage: rnn-lab predict <runId> [--steps k] [--json]')
  return withLocalCore(values['data-dir'], async (client) => {
    const r = await client.invoke('runs.predict', {
      id: positionals[0],
      steps: intOption(values.steps, 'steps', 1, 10_000) ?? 1,
      checkpoint: values.checkpoint as 'best' | 'final' | undefined
    })
    if (values.json) printJson(r)
    else {
      console.log(checkpointLine(r.checkpoint))
      for (const s of r.steps) console.log(`${String(s.step).padStart(4)}  ${s.time ?? ''}  ${s.value}`)
    }
    return 0
  })
}

export async function sampleCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      prime: { type: 'string' },
      temperature: { type: 'string' },
      'top-k': { type: 'string' },
      length: { type: 'string' },
      seed: { type: 'string' },
      checkpoint: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false }
    },
    strict: true
  })
  if (positionals.length !== 1) throw new UsageError('usage: rnn-lab sample <runId> [--prime TEXT] [--temperature T] [--length N]')
  return withLocalCore(values['data-dir'], async (client) => {
    const r = await client.invoke('runs.sample', {
      id: positionals[0],
      prime: values.prime,
      temperature: numberOption(values.temperature, 'temperature'),
      topK: intOption(values['top-k'], 'top-k', 1, 100_000),
      length: intOption(values.length, 'length', 1, 10_000),
      seed: intOption(values.seed, 'seed', 0, 2 ** 32 - 1),
      checkpoint: values.checkpoint as 'best' | 'final' | undefined
    })
    if (values.json) printJson(r)
    else {
      console.error(checkpointLine(r.checkpoint))
      console.log(r.text)
    }
    return 0
  })
}
