/**
 * Streaming CSV import: sniff the head (csv-sniff.ts), plan the columns to keep (csv-plan.ts), stream
 * the whole file through csv-parse into growable columnar Float64Arrays with no arrays of row objects
 * (csv-records.ts), then order by time, report duplicates/gaps, fill missing values and one-hot encode
 * categories (csv-table.ts).
 */
import {
  ImportOptions as ImportOptionsSchema,
  type CsvReadWith,
  type ImportOptions,
  type MissingStrategy
} from '../../src-shared/dataset-import'
import { planColumns } from './csv-plan'
import { readRecords, type ImportProgress } from './csv-records'
import { SNIFF_MIN_LINES, sniffCsv, type CsvSniff } from './csv-sniff'
import { dropRowsWithoutTime, fillMissing, missingReport, orderByTime, outputColumns, tableOf, type ImportedColumn } from './csv-table'
import { allMidnight, isoString } from './dates'
import { readSniffHead } from './file-head'
import { ImportError, parseOptions, toImportError } from './import-error'

export { MAX_CATEGORIES } from './csv-plan'
export type { ImportProgress } from './csv-records'
export type { ImportedColumn } from './csv-table'

export interface CsvImportResult {
  file: string
  /** Time column first (if any), then numeric and one-hot columns in file order. */
  columns: ImportedColumn[]
  rows: number
  timeColumn?: string
  timeRange?: { start: string; end: string }
  /** The file was newest-first and has been reversed. */
  descending: boolean
  duplicates: { count: number; examples: string[] }
  gaps: { count: number; examples: { after: string; before: string }[] }
  /** Missing values per imported column (and time column), counted before filling. */
  missing: Record<string, number>
  /** Values per column that are numbers too large for a double; filled like missing values. */
  invalid: Record<string, number>
  missingStrategy: MissingStrategy
  /** Rows removed: missing timestamps, or any missing value under 'drop'. */
  droppedRows: number
  warnings: string[]
  categories?: Record<string, string[]>
  /** What the file was read with (the options chosen, the rest sniffed). */
  readWith: CsvReadWith
}

/**
 * Import a CSV file into columnar Float64Arrays (time as epoch ms UTC, ascending).
 * Streams the file with csv-parse after sniffing its head; `onProgress(bytesRead, totalBytes)`
 * is called per chunk. Throws only ImportError, and returns nothing partial.
 */
export async function importCsv(path: string, options: ImportOptions = {}, onProgress?: ImportProgress): Promise<CsvImportResult> {
  try {
    return await importCsvUnsafe(path, options, onProgress)
  } catch (err) {
    throw toImportError(err, path)
  }
}

async function importCsvUnsafe(path: string, options: ImportOptions, onProgress?: ImportProgress): Promise<CsvImportResult> {
  const opts = parseOptions(ImportOptionsSchema, options, path)
  const head = await readSniffHead(path, SNIFF_MIN_LINES)
  const sniff = sniffCsv(head, opts)
  const plan = planColumns(path, sniff, opts)
  const n = await readRecords(path, head.size, sniff, plan, onProgress)
  if (n === 0) {
    if (sniff.hasHeader) throw new ImportError('HEADER_ONLY', path, 'the file has a header row but no data rows')
    throw new ImportError('NO_DATA', path, 'the file has no data rows')
  }
  const table = tableOf(plan, n, [...sniff.warnings])
  const { missing, invalid } = missingReport(plan, table, opts.missing)
  dropRowsWithoutTime(table, plan)
  const { descending, report } = orderByTime(table, plan)
  fillMissing(path, table, plan, opts.missing)
  const { columns, categories } = outputColumns(table, plan)
  const result: CsvImportResult = {
    file: head.path,
    columns,
    rows: table.rows,
    descending,
    duplicates: report?.duplicates ?? { count: 0, examples: [] },
    gaps: report?.gaps ?? { count: 0, examples: [] },
    missing,
    invalid,
    missingStrategy: opts.missing,
    droppedRows: table.droppedRows,
    warnings: table.warnings,
    readWith: readWith(sniff)
  }
  if (plan.hasTime && plan.timeName !== undefined) Object.assign(result, timeSpan(plan.timeName, table.cols[0]))
  if (Object.keys(categories).length > 0) result.categories = categories
  return result
}

function readWith(sniff: CsvSniff): CsvReadWith {
  const time = sniff.timeColumn !== undefined ? sniff.columns[sniff.timeColumn] : undefined
  const dateFormat = sniff.dateParts ? 'parts' : time?.dateFormat
  return {
    encoding: sniff.encoding.encoding,
    delimiter: sniff.delimiter,
    hasHeader: sniff.hasHeader,
    decimal: sniff.format.decimal,
    thousands: sniff.format.thousands,
    ...(dateFormat ? { dateFormat } : {})
  }
}

function timeSpan(name: string, time: Float64Array): Pick<CsvImportResult, 'timeColumn' | 'timeRange'> {
  const dateOnly = allMidnight(time)
  return { timeColumn: name, timeRange: { start: isoString(time[0], dateOnly), end: isoString(time[time.length - 1], dateOnly) } }
}
