/**
 * Queries over the run registry: filter by dataset, tag, status, sweep, name, and by any metric or
 * config field (dotted paths such as `config.model.layers[0].units` or `metrics.test.rmse`); sort by
 * any of them. The store turns a field path into SQL (json_extract with a bound path).
 */
import { z } from 'zod'
import { RunStatus } from './domain'

/** Columns every run has. */
export const RUN_COLUMNS = [
  'name',
  'createdAt',
  'status',
  'epochsDone',
  'lastLoss',
  'lastValLoss',
  'bestValLoss',
  'parameterCount',
  'seed',
  'backend'
] as const

const JSON_PATH = /^(config|metrics|textMetrics)(\.[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*)+$/

export const RunField = z
  .string()
  .max(200)
  .refine((f) => (RUN_COLUMNS as readonly string[]).includes(f) || JSON_PATH.test(f), {
    message: `a run column (${RUN_COLUMNS.join(', ')}) or a path under config., metrics. or textMetrics. (e.g. metrics.test.rmse)`
  })

export const RunCondition = z.strictObject({
  field: RunField,
  op: z.enum(['eq', 'ne', 'lt', 'le', 'gt', 'ge']).default('eq'),
  value: z.union([z.string().max(500), z.number(), z.boolean(), z.null()])
})
export type RunCondition = z.infer<typeof RunCondition>

export const RunQuery = z
  .strictObject({
    datasetId: z.string().max(100).optional(),
    status: RunStatus.optional(),
    tag: z.string().max(100).optional(),
    sweepId: z.string().max(100).optional(),
    /** Runs trained on this machine: a host name or a worker id ('local' for this machine's pool). */
    worker: z.string().max(200).optional(),
    /** Runs whose name contains this text (case-insensitive). */
    search: z.string().max(200).optional(),
    ids: z.array(z.string().max(100)).max(1000).optional(),
    where: z.array(RunCondition).max(20).optional(),
    sort: z.strictObject({ field: RunField, direction: z.enum(['asc', 'desc']).default('asc') }).optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
    offset: z.number().int().min(0).optional()
  })
  .default({})
export type RunQuery = z.infer<typeof RunQuery>

/** Sorting shorthand of the CLI: `test.rmse` → metrics.test.rmse, `-bestValLoss` → descending. */
export function parseSort(spec: string): { field: string; direction: 'asc' | 'desc' } {
  const direction = spec.startsWith('-') ? 'desc' : 'asc'
  let field = spec.replace(/^[-+]/, '')
  if (!(RUN_COLUMNS as readonly string[]).includes(field) && !/^(config|metrics|textMetrics)\./.test(field)) field = `metrics.${field}`
  return { field, direction }
}
