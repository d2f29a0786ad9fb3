import type { z } from 'zod'
import { ApiError } from './errors'

/** A zod path as people write it: `config.model.layers[0].units`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out ? `.${String(part)}` : String(part)
  }
  return out || '(root)'
}

/** Parse with a schema, or throw a VALIDATION ApiError whose message names each failing field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issues = result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }))
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ')
  throw new ApiError('VALIDATION', `Invalid ${what}: ${summary}`, { issues })
}
