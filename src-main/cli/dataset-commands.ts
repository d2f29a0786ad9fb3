/** `rnn-lab import | datasets | dataset | rm-dataset`. */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { MissingStrategy, type ImportOptions } from '../../src-shared/dataset-import'
import { UsageError, printJson } from './args'
import { withLocalCore } from './local-core'

const common = { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } } as const

export async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...common,
      name: { type: 'string' },
      kind: { type: 'string' },
      'date-column': { type: 'string' },
      'date-format': { type: 'string' },
      missing: { type: 'string' },
      encoding: { type: 'string' },
      vocabulary: { type: 'string' },
      lowercase: { type: 'boolean', default: false }
    },
    strict: true
  })
  if (positionals.length !== 1) throw new UsageError('usage: rnn-lab import <file> [--name N] [--kind csv|text] …')
  const path = resolve(positionals[0])
  const kind = values.kind ?? (/\.(txt|text|md)$/i.test(path) ? 'text' : 'csv')
  if (kind !== 'csv' && kind !== 'text') throw new UsageError(`--kind must be csv or text, got "${kind}"`)
  if (values.missing !== undefined && !MissingStrategy.safeParse(values.missing).success) {
    throw new UsageError(`--missing must be drop, ffill or interpolate, got "${values.missing}"`)
  }
  return withLocalCore(values['data-dir'], async (client, grant) => {
    const source = { kind: 'grant' as const, grant: grant(path, 'read') }
    if (kind === 'csv') {
      const options: ImportOptions = {
        ...(values['date-column'] ? { dateColumn: values['date-column'] } : {}),
        ...(values['date-format'] ? { dateFormat: values['date-format'] as ImportOptions['dateFormat'] } : {}),
        ...(values.missing ? { missing: values.missing as ImportOptions['missing'] } : {})
      }
      const r = await client.invoke('datasets.importCsv', { source, name: values.name, options })
      if (values.json) printJson({ ...r.dataset, duplicateOf: r.duplicateOf, report: r.report })
      else {
        console.log(`${r.duplicateOf ? 'Already imported' : 'Imported'} ${r.dataset.name} (${r.dataset.id}): ${r.dataset.rows} rows`)
        for (const c of r.dataset.columns) console.log(`  ${c.name.padEnd(24)} ${c.type.padEnd(7)} missing ${c.missing}`)
        if (r.report.timeRange) console.log(`  ${r.report.timeRange.start} … ${r.report.timeRange.end}`)
        for (const w of r.report.warnings) console.log(`  warning: ${w}`)
      }
    } else {
      const r = await client.invoke('datasets.importText', {
        source,
        name: values.name,
        options: {
          ...(values.encoding ? { encoding: values.encoding as 'utf-8' } : {}),
          ...(values.vocabulary ? { vocabulary: values.vocabulary as 'char' } : {}),
          lowercase: values.lowercase
        }
      })
      if (values.json) printJson({ ...r.dataset, duplicateOf: r.duplicateOf, report: r.report })
      else
        console.log(
          `${r.duplicateOf ? 'Already imported' : 'Imported'} ${r.dataset.name} (${r.dataset.id}): ${r.report.length} characters, vocabulary ${r.report.vocabularySize}`
        )
    }
    return 0
  })
}

export async function datasetsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: common, strict: true })
  return withLocalCore(values['data-dir'], async (client) => {
    const list = await client.invoke('datasets.list')
    if (values.json) printJson(list)
    else if (list.length === 0) console.log('No datasets yet: `rnn-lab import <file>`, or generate one in the app.')
    else for (const d of list) console.log(`${d.id}  ${d.kind.padEnd(6)} ${String(d.rows).padStart(9)}  ${d.name}`)
    return 0
  })
}

export async function datasetCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: common, strict: true })
  if (positionals.length !== 1) throw new UsageError('usage: rnn-lab dataset <id> [--json]')
  return withLocalCore(values['data-dir'], async (client) => {
    const { preview, ...d } = await client.invoke('datasets.get', { id: positionals[0] })
    if (values.json) printJson(d)
    else {
      console.log(`${d.name} (${d.id}) · ${d.kind} · ${d.rows} rows · sha256 ${d.hash}`)
      for (const c of d.columns) console.log(`  ${c.name.padEnd(24)} ${c.type.padEnd(7)} missing ${c.missing}`)
      void preview
    }
    return 0
  })
}

export async function rmDatasetCommand(argv: string[]): Promise<number> {
  const options = { ...common, 'with-runs': { type: 'boolean', default: false } } as const
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options, strict: true })
  if (positionals.length !== 1) throw new UsageError('usage: rnn-lab rm-dataset <id> [--with-runs]')
  return withLocalCore(values['data-dir'], async (client) => {
    const r = await client.invoke('datasets.delete', { id: positionals[0], runs: values['with-runs'] ? 'delete' : 'keep' })
    if (values.json) printJson(r)
    else if (r.runsDeleted > 0) console.log(`Deleted dataset ${positionals[0]} and its ${r.runsDeleted} run(s)`)
    else if (r.runsKept > 0)
      console.log(`Deleted dataset ${positionals[0]}; its ${r.runsKept} run(s) keep their records and models but can no longer be re-run`)
    else console.log(`Deleted dataset ${positionals[0]}`)
    return 0
  })
}
