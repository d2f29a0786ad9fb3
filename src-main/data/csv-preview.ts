import { stat } from 'node:fs/promises'
import { ImportOptions as ImportOptionsSchema, type ImportOptions, type ImportPreview } from '../../src-shared/dataset-import'
import { countRecords } from './count-records'
import { SNIFF_MIN_LINES, sniffCsv } from './csv-sniff'
import { parseNumber } from './csv-values'
import { dateParser, isoString } from './dates'
import { readSniffHead } from './file-head'
import { timeOrder } from './time-order'
import { parseOptions, toImportError } from './import-error'

/** Rows shown in a preview. */
export const PREVIEW_ROWS = 20

/** Files up to this size get an exact row count in the preview (one pass over the bytes). */
const EXACT_COUNT_BYTES = 512 * 1024 * 1024

/** Data rows counted over the whole file, or null where the sniffed estimate must do. */
async function exactRows(path: string, s: ReturnType<typeof sniffCsv>, complete: boolean): Promise<number | null> {
  if (complete || s.encoding.encoding.startsWith('utf-16')) return null
  if ((await stat(path)).size > EXACT_COUNT_BYTES) return null
  return (await countRecords(path, s.lineEnding)) - (s.hasHeader ? 1 : 0)
}

/** Each sampled row as the import reads it: numbers parsed, times in ISO form. */
function parsedRows(s: ReturnType<typeof sniffCsv>): (number | string | null)[][] {
  const parsers = s.columns.map((c) => {
    if (c.role === 'time' && c.dateFormat && c.dateFormat !== 'parts') {
      const parse = dateParser(c.dateFormat)
      return (raw: string) => {
        const t = parse(raw)
        return Number.isFinite(t) ? isoString(t, t % 86_400_000 === 0) : null
      }
    }
    if (c.inferredType === 'number') {
      return (raw: string) => {
        const n = parseNumber(raw, s.format)
        return Number.isFinite(n) ? n : null
      }
    }
    return (raw: string) => (raw.trim() === '' ? null : raw)
  })
  return s.rows.slice(0, 200).map((r) => parsers.map((p, i) => p(r[i] ?? '')))
}

/** Whether the sample's time column runs oldest first, newest first, or neither. */
function sampleTimeOrder(s: ReturnType<typeof sniffCsv>): 'ascending' | 'descending' | 'unsorted' | null {
  const col = s.columns.find((c) => c.role === 'time' && c.dateFormat && c.dateFormat !== 'parts')
  if (!col) return null
  const parse = dateParser(col.dateFormat as Exclude<typeof col.dateFormat, 'parts' | undefined>)
  const t = Float64Array.from(
    s.rows
      .slice(0, 200)
      .map((r) => parse(r[col.index] ?? ''))
      .filter(Number.isFinite)
  )
  return t.length < 2 ? null : timeOrder(t)
}

/**
 * What the importer understands about a CSV file, from its head (64 KiB, more for very wide rows; the
 * rest is only counted, for an exact row count): delimiter, header, number format, encoding, columns
 * with types and suggested roles,
 * the first 20 rows and warnings. `options` re-previews with the user's choices applied.
 * Throws only ImportError.
 */
export async function previewCsv(path: string, options: ImportOptions = {}): Promise<ImportPreview> {
  try {
    const opts = parseOptions(ImportOptionsSchema, options, path)
    const head = await readSniffHead(path, SNIFF_MIN_LINES)
    const s = sniffCsv(head, opts)
    const rows = await exactRows(path, s, head.complete)
    const values = parsedRows(s)
    const order = sampleTimeOrder(s)
    const warnings = [...s.warnings]
    if (s.dateOrderAmbiguous) {
      warnings.push('Dates could be month-first or day-first; choose a date format before importing.')
    }
    return {
      file: head.path.split(/[\\/]/).pop() ?? head.path,
      kind: 'csv',
      bytes: head.size,
      delimiter: s.delimiter,
      hasHeader: s.hasHeader,
      decimal: s.format.decimal,
      thousands: s.format.thousands,
      encoding: s.encoding.encoding,
      bom: s.encoding.bom,
      lineEnding: s.lineEnding,
      columns: s.columns.map(({ dateAmbiguous: _a, ...c }) => c),
      ...(s.dateParts ? { dateParts: s.dateParts } : {}),
      firstRows: s.rows.slice(0, PREVIEW_ROWS),
      firstValues: values.slice(0, PREVIEW_ROWS),
      timeOrder: order,
      warnings,
      dateOrderAmbiguous: s.dateOrderAmbiguous,
      rowEstimate: rows ?? s.rowEstimate,
      rowEstimateExact: rows !== null || s.rowEstimateExact
    }
  } catch (err) {
    throw toImportError(err, path)
  }
}
