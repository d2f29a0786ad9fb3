/**
 * What a CSV import keeps, decided from the sniffed head before the file is streamed: the time column
 * and its date parser (or year/month/day/hour parts), numeric columns and categorical columns, each with
 * a growable Float64Array buffer sized within a memory budget.
 */
import type { ImportErrorCode, ResolvedImportOptions } from '../../src-shared/dataset-import'
import { parseNumber } from './csv-values'
import type { ColumnSniff, CsvSniff } from './csv-sniff'
import { dateParser, type DateParser } from './dates'
import { ImportError } from './import-error'
import { isMissing } from './missing-values'

export interface NumPlan {
  col: ColumnSniff
  values: Float64Array
  missing: number
  /** Numbers too large for a double (`1e400`, 400 digits): treated as missing, reported apart. */
  invalid: number
  invalidExample?: string
}
export interface CatPlan {
  col: ColumnSniff
  codes: Float64Array
  map: Map<string, number>
  names: string[]
  missing: number
  overflow: boolean
}

export interface ColumnPlan {
  /** Fields per record. */
  width: number
  timeCol?: ColumnSniff
  timeParse?: DateParser
  /** Year, month, day, hour columns (index −1 where absent), when the date is split into parts. */
  partIdx?: number[]
  hasTime: boolean
  timeName?: string
  nums: NumPlan[]
  cats: CatPlan[]
  /** Rows the buffers hold now; they double as rows arrive. */
  cap: number
  time: Float64Array
  timeMissing: number
}

/** Most distinct values a categorical column may have for one-hot encoding. */
export const MAX_CATEGORIES = 100

/** Bytes the column buffers may take before the first row is read; they double as rows arrive. */
const INITIAL_BUFFER_BYTES = 64 * 1024 * 1024

/** Rows to allocate up front: the estimate from the head, within a budget (a wide file gets fewer). */
function initialCapacity(rowEstimate: number, width: number): number {
  const wanted = Math.max(1024, Math.ceil(rowEstimate * 1.05) + 16)
  const budget = Math.max(16, Math.floor(INITIAL_BUFFER_BYTES / (8 * Math.max(1, width))))
  return Math.min(wanted, budget)
}

export function columnWhere(col: ColumnSniff): { column: number; columnName: string } {
  return { column: col.index + 1, columnName: col.name }
}

/** The plan for `sniff` under the user's options; refuses ambiguous dates and columns without numbers. */
export function planColumns(path: string, sniff: CsvSniff, opts: ResolvedImportOptions): ColumnPlan {
  const { columns } = sniff
  const timeCol = sniff.timeColumn !== undefined ? columns[sniff.timeColumn] : undefined
  const timeParse = timeCol ? timeParserFor(path, sniff, timeCol) : undefined
  const partCols = sniff.dateParts
    ? (['year', 'month', 'day', 'hour'] as const).map((k) => {
        const n = sniff.dateParts?.[k]
        return n === undefined ? undefined : columns.find((c) => c.name === n)
      })
    : undefined
  const hasTime = timeCol !== undefined || partCols !== undefined
  const cap = initialCapacity(sniff.rowEstimate, columns.length)
  const nums: NumPlan[] = []
  const cats: CatPlan[] = []
  for (const c of columns) {
    if (c.role === 'feature' || c.role === 'target') {
      if (c.inferredType !== 'number') refuseWithoutNumbers(path, sniff, c)
      nums.push({ col: c, values: new Float64Array(cap), missing: 0, invalid: 0 })
    } else if (c.role === 'categorical' && opts.categorical === 'onehot') {
      cats.push({ col: c, codes: new Float64Array(cap), map: new Map(), names: [], missing: 0, overflow: false })
    }
  }
  if (nums.length === 0 && cats.length === 0) {
    throw new ImportError('NO_DATA', path, 'no numeric or categorical column to import (all columns are ignored)')
  }
  return {
    width: columns.length,
    timeCol,
    timeParse,
    partIdx: partCols?.map((c) => (c ? c.index : -1)),
    hasTime,
    timeName: timeCol?.name ?? (partCols ? 'time' : undefined),
    nums,
    cats,
    cap,
    time: new Float64Array(hasTime ? cap : 0),
    timeMissing: 0
  }
}

function firstValue(sniff: CsvSniff, col: ColumnSniff): string {
  return sniff.rows.map((r) => r[col.index]).find((v) => v !== undefined && !isMissing(v)) ?? ''
}

function timeParserFor(path: string, sniff: CsvSniff, timeCol: ColumnSniff): DateParser {
  if (sniff.dateOrderAmbiguous) {
    const alt = timeCol.dateFormat === 'MM-DD-YYYY' ? 'DD-MM-YYYY' : 'DD/MM/YYYY'
    throw new ImportError(
      'DATE_ORDER_AMBIGUOUS',
      path,
      `dates like ${JSON.stringify(firstValue(sniff, timeCol))} can be read as ${timeCol.dateFormat} or ${alt}; choose the dateFormat option`,
      columnWhere(timeCol)
    )
  }
  const fmt = timeCol.dateFormat
  if (fmt === undefined || fmt === 'parts') {
    throw new ImportError(
      'BAD_DATE',
      path,
      `${JSON.stringify(firstValue(sniff, timeCol))} is not a date in a known format; choose the dateFormat option`,
      columnWhere(timeCol)
    )
  }
  return dateParser(fmt)
}

function refuseWithoutNumbers(path: string, sniff: CsvSniff, c: ColumnSniff): void {
  const present = sniff.rows.map((r) => r[c.index] ?? '').filter((v) => !isMissing(v))
  if (present.some((v) => !Number.isNaN(parseNumber(v, sniff.format)))) return
  const ex = present[0]
  throw new ImportError(
    'NO_NUMBERS',
    path,
    `chosen as ${c.role} but holds no numbers${ex !== undefined ? ` (e.g. ${JSON.stringify(ex)})` : ''}`,
    columnWhere(c)
  )
}

/** An error found in the fast pass; its physical line is looked up afterwards. */
export class RecordError {
  constructor(
    readonly code: ImportErrorCode,
    readonly detail: string,
    readonly record: number,
    readonly column?: number,
    readonly columnName?: string
  ) {}
}
