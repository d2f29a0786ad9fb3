import { basename } from 'node:path'
import type { z } from 'zod'
import type { ImportErrorCode } from '../../src-shared/dataset-import'
import { formatPath } from '../../src-shared/validation'

export interface ImportErrorWhere {
  /** 1-based physical line in the file. */
  line?: number
  /** 1-based column (field) number. */
  column?: number
  /** Column name, when the file has a header. */
  columnName?: string
  /** 0-based byte offset (encoding errors). */
  byteOffset?: number
}

/**
 * The only error type the import functions throw. The message names the file and, where it
 * applies, the line, column and byte offset:
 * `prices.csv, line 14, column 3 ("Close"): "abc" is not a number`.
 */
export class ImportError extends Error {
  readonly file: string
  readonly code: ImportErrorCode
  readonly line?: number
  readonly column?: number
  readonly columnName?: string
  readonly byteOffset?: number
  /** What went wrong, without the location prefix. */
  readonly detail: string

  constructor(code: ImportErrorCode, file: string, detail: string, where: ImportErrorWhere = {}, cause?: unknown) {
    const name = basename(file)
    super(`${locationPrefix(name, where)}: ${detail}`, cause === undefined ? undefined : { cause })
    this.name = 'ImportError'
    this.code = code
    this.file = name
    this.detail = detail
    this.line = where.line
    this.column = where.column
    this.columnName = where.columnName
    this.byteOffset = where.byteOffset
  }
}

function locationPrefix(file: string, w: ImportErrorWhere): string {
  let s = file
  if (w.byteOffset !== undefined) s += `, byte ${w.byteOffset}`
  if (w.line !== undefined) s += `, line ${w.line}`
  if (w.column !== undefined) s += `, column ${w.column}${w.columnName !== undefined ? ` (${JSON.stringify(w.columnName)})` : ''}`
  else if (w.columnName !== undefined) s += `, column ${JSON.stringify(w.columnName)}`
  return s
}

/** Turn anything thrown during an import into an ImportError (ImportErrors pass through unchanged). */
export function toImportError(err: unknown, file: string): ImportError {
  if (err instanceof ImportError) return err
  const e = err as { code?: unknown; message?: unknown } | null
  const code = typeof e?.code === 'string' ? e.code : ''
  const message = err instanceof Error ? err.message : String(err)
  if (code === 'ENOENT') return new ImportError('NOT_FOUND', file, 'file not found', {}, err)
  if (code === 'EISDIR') return new ImportError('NOT_A_FILE', file, 'is a directory, not a file', {}, err)
  if (code === 'EACCES' || code === 'EPERM') return new ImportError('IO', file, 'permission denied', {}, err)
  if (err instanceof RangeError && /allocation|memory|Invalid (typed )?array length|Invalid string length/i.test(message)) {
    return new ImportError('TOO_LARGE', file, `too large to import in memory (${message})`, {}, err)
  }
  if (code.startsWith('E')) return new ImportError('IO', file, `cannot read the file (${code}: ${message})`, {}, err)
  return new ImportError('INTERNAL', file, `unexpected error: ${message}`, {}, err)
}

/** Validate options with a zod schema; failures become INVALID_OPTIONS naming each field. */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, file: string): z.output<S> {
  const r = schema.safeParse(value ?? {})
  if (r.success) return r.data
  const summary = r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')
  throw new ImportError('INVALID_OPTIONS', file, `invalid import options: ${summary}`)
}
