/**
 * Streaming CSV import: sniff the head (csv-sniff.ts), then stream the whole file through
 * csv-parse into growable columnar Float64Arrays (no arrays of row objects), then order by time,
 * report duplicates/gaps, fill missing values and one-hot encode categories.
 *
 * Line numbers: csv-parse only reports lines through `on_record`/`info`, which costs a third of
 * the parse time, so the fast pass counts records and, only when a record is bad, a second pass
 * maps the record number to its physical line.
 */
import { createReadStream, type ReadStream } from 'node:fs'
import { Transform, type TransformCallback } from 'node:stream'
import { parse, type Parser } from 'csv-parse'
import {
  ImportOptions as ImportOptionsSchema,
  type ColumnRole,
  type ImportErrorCode,
  type ImportOptions,
  type MissingStrategy
} from '../../src-shared/dataset-import'
import { parseNumber } from './csv-values'
import { SNIFF_MIN_LINES, sniffCsv, type ColumnSniff, type CsvSniff } from './csv-sniff'
import { allMidnight, dateParser, isoString, utc, type DateParser } from './dates'
import { MAX_RECORD_CHARS, readSniffHead, recordTooLong } from './file-head'
import { ImportError, parseOptions, toImportError } from './import-error'
import { forwardFill, interpolate, isMissing } from './missing-values'
import { sortPermutation, timeOrder, timeReport } from './time-order'
import { EucKrValidator, invalidEncodingError, locateInvalidBytes, type EncodingGuess } from './text-decode'

export interface ImportedColumn {
  name: string
  type: 'number' | 'time'
  role: Exclude<ColumnRole, 'ignored'>
  /** Time columns: epoch ms (UTC). One-hot columns: 0/1. */
  values: Float64Array
}

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
}

/** Called with bytes read so far and the file size. */
export type ImportProgress = (bytesRead: number, totalBytes: number) => void

/** Most distinct values a categorical column may have for one-hot encoding. */
export const MAX_CATEGORIES = 100
const PARSE_CHUNK = 1 << 16

/** An error found in the fast pass; its physical line is looked up afterwards. */
class RecordError {
  constructor(
    readonly code: ImportErrorCode,
    readonly detail: string,
    readonly record: number,
    readonly column?: number,
    readonly columnName?: string
  ) {}
}

interface NumPlan {
  col: ColumnSniff
  values: Float64Array
  missing: number
  /** Numbers too large for a double (`1e400`, 400 digits): treated as missing, reported apart. */
  invalid: number
  invalidExample?: string
}
interface CatPlan {
  col: ColumnSniff
  codes: Float64Array
  map: Map<string, number>
  names: string[]
  missing: number
  overflow: boolean
}

/** Bytes the column buffers may take before the first row is read; they double as rows arrive. */
const INITIAL_BUFFER_BYTES = 64 * 1024 * 1024

/** Rows to allocate up front: the estimate from the head, within a budget (a wide file gets fewer). */
function initialCapacity(rowEstimate: number, width: number): number {
  const wanted = Math.max(1024, Math.ceil(rowEstimate * 1.05) + 16)
  const budget = Math.max(16, Math.floor(INITIAL_BUFFER_BYTES / (8 * Math.max(1, width))))
  return Math.min(wanted, budget)
}

function grow(a: Float64Array, size: number): Float64Array {
  const b = new Float64Array(size)
  b.set(a)
  return b
}

/** Source of decoded text or bytes for csv-parse: UTF-8 goes straight in, other encodings via TextDecoder. */
function openSource(path: string, enc: EncodingGuess, onBytes: (n: number) => void): { source: ReadStream; input: NodeJS.ReadableStream } {
  const utf8 = enc.encoding === 'utf-8'
  const source = createReadStream(path, { highWaterMark: PARSE_CHUNK, start: utf8 ? 0 : enc.bomLength })
  source.on('data', (c) => onBytes(c.length))
  if (utf8) return { source, input: source }
  const decoder = new TextDecoder(enc.encoding, { fatal: true, ignoreBOM: true })
  const check = enc.encoding === 'euc-kr' ? new EucKrValidator() : undefined
  let pos = enc.bomLength
  const bad = (): Error => Object.assign(new Error('invalid bytes'), { code: 'INVALID_ENCODING' })
  const t = new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback) {
      if (check && check.push(chunk, pos) >= 0) return cb(bad())
      pos += chunk.length
      try {
        cb(null, decoder.decode(chunk, { stream: true }))
      } catch {
        cb(bad())
      }
    },
    flush(cb: TransformCallback) {
      if (check && check.end() >= 0) return cb(bad())
      try {
        cb(null, decoder.decode())
      } catch {
        cb(bad())
      }
    }
  })
  source.on('error', (e) => t.destroy(e))
  return { source, input: source.pipe(t) }
}

function makeParser(sniff: CsvSniff, onRecord?: (lines: number) => void): Parser {
  return parse({
    delimiter: sniff.delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
    ...(onRecord ? { on_record: (_r: string[], ctx: { lines: number }) => (onRecord(ctx.lines), null) } : {})
  })
}

/** Second pass, only after an error: physical line on which record number `record` (0-based) ends. */
async function lineOfRecord(path: string, sniff: CsvSniff, record: number): Promise<number | undefined> {
  let k = 0
  let found: number | undefined
  const { source, input } = openSource(path, sniff.encoding, () => {})
  const parser = makeParser(sniff, (lines) => {
    if (k++ === record) {
      found = lines
      source.destroy()
      parser.end()
    }
  })
  await new Promise<void>((resolve) => {
    parser.on('end', resolve)
    parser.on('close', resolve)
    parser.on('error', () => resolve())
    parser.resume()
    input.pipe(parser)
  })
  return found
}

function columnWhere(col: ColumnSniff): { column: number; columnName: string } {
  return { column: col.index + 1, columnName: col.name }
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
  const { columns } = sniff
  const width = columns.length
  const warnings = [...sniff.warnings]

  // --- plan what to keep ---------------------------------------------------------------------
  const timeCol = sniff.timeColumn !== undefined ? columns[sniff.timeColumn] : undefined
  let timeParse: DateParser | undefined
  if (timeCol) {
    if (sniff.dateOrderAmbiguous) {
      const ex = sniff.rows.map((r) => r[timeCol.index]).find((v) => v !== undefined && !isMissing(v)) ?? ''
      const alt = timeCol.dateFormat === 'MM-DD-YYYY' ? 'DD-MM-YYYY' : 'DD/MM/YYYY'
      throw new ImportError(
        'DATE_ORDER_AMBIGUOUS',
        path,
        `dates like ${JSON.stringify(ex)} can be read as ${timeCol.dateFormat} or ${alt}; choose the dateFormat option`,
        columnWhere(timeCol)
      )
    }
    const fmt = timeCol.dateFormat
    if (fmt === undefined || fmt === 'parts') {
      const ex = sniff.rows.map((r) => r[timeCol.index]).find((v) => v !== undefined && !isMissing(v)) ?? ''
      throw new ImportError(
        'BAD_DATE',
        path,
        `${JSON.stringify(ex)} is not a date in a known format; choose the dateFormat option`,
        columnWhere(timeCol)
      )
    }
    timeParse = dateParser(fmt)
  }
  const partCols = sniff.dateParts
    ? (['year', 'month', 'day', 'hour'] as const).map((k) => {
        const n = sniff.dateParts?.[k]
        return n === undefined ? undefined : columns.find((c) => c.name === n)
      })
    : undefined
  const hasTime = timeCol !== undefined || partCols !== undefined
  const cap0 = initialCapacity(sniff.rowEstimate, width)
  let cap = cap0
  const nums: NumPlan[] = []
  const cats: CatPlan[] = []
  for (const c of columns) {
    if (c.role === 'feature' || c.role === 'target') {
      if (c.inferredType !== 'number') {
        const present = sniff.rows.map((r) => r[c.index] ?? '').filter((v) => !isMissing(v))
        const anyNumber = present.some((v) => !Number.isNaN(parseNumber(v, sniff.format)))
        if (!anyNumber) {
          const ex = present[0]
          throw new ImportError(
            'NO_NUMBERS',
            path,
            `chosen as ${c.role} but holds no numbers${ex !== undefined ? ` (e.g. ${JSON.stringify(ex)})` : ''}`,
            columnWhere(c)
          )
        }
      }
      nums.push({ col: c, values: new Float64Array(cap), missing: 0, invalid: 0 })
    } else if (c.role === 'categorical' && opts.categorical === 'onehot') {
      cats.push({ col: c, codes: new Float64Array(cap), map: new Map(), names: [], missing: 0, overflow: false })
    }
  }
  if (nums.length === 0 && cats.length === 0) {
    throw new ImportError('NO_DATA', path, 'no numeric or categorical column to import (all columns are ignored)')
  }
  let time: Float64Array = new Float64Array(hasTime ? cap : 0)
  let timeMissing = 0

  // --- fast pass -------------------------------------------------------------------------------
  let n = 0
  let record = 0
  let failure: RecordError | Error | undefined
  const total = head.size
  let bytesRead = 0
  const { source, input } = openSource(path, sniff.encoding, (b) => {
    bytesRead += b
    onProgress?.(Math.min(bytesRead, total), total)
  })
  const parser = makeParser(sniff)
  const fmt = sniff.format
  const partIdx = partCols?.map((c) => (c ? c.index : -1))

  const handle = (r: string[]): void => {
    const k = record++
    if (k === 0 && sniff.hasHeader) return
    if (r.length !== width) {
      if (r.length === 1 && r[0].trim() === '') return
      throw new RecordError('RAGGED_ROW', `expected ${width} fields${sniff.hasHeader ? ' (as in the header)' : ''}, found ${r.length}`, k)
    }
    if (n === cap) {
      cap *= 2
      for (const p of nums) p.values = grow(p.values, cap)
      for (const p of cats) p.codes = grow(p.codes, cap)
      if (hasTime) time = grow(time, cap)
    }
    if (timeParse !== undefined && timeCol !== undefined) {
      const v = r[timeCol.index]
      const t = timeParse(v)
      if (t !== t) {
        if (!isMissing(v))
          throw new RecordError(
            'BAD_DATE',
            `${JSON.stringify(v)} is not a date in format ${timeCol.dateFormat}`,
            k,
            timeCol.index + 1,
            timeCol.name
          )
        timeMissing++
      }
      time[n] = t
    } else if (partIdx !== undefined && partCols !== undefined) {
      const parts = [0, 1, 1, 0]
      let missingPart = false
      for (let q = 0; q < 4; q++) {
        const j = partIdx[q]
        if (j < 0) continue
        const v = r[j]
        const x = parseNumber(v, fmt)
        if (x !== x) {
          if (isMissing(v)) missingPart = true
          else throw new RecordError('BAD_DATE', `${JSON.stringify(v)} is not a number (date part)`, k, j + 1, columns[j].name)
        }
        parts[q] = x
      }
      let t = NaN
      if (missingPart) timeMissing++
      else {
        t =
          Number.isInteger(parts[0]) && Number.isInteger(parts[1]) && Number.isInteger(parts[2]) && Number.isInteger(parts[3])
            ? utc(parts[0], parts[1], parts[2], parts[3])
            : NaN
        if (t !== t) {
          throw new RecordError('BAD_DATE', `year ${parts[0]}, month ${parts[1]}, day ${parts[2]}, hour ${parts[3]} is not a valid date`, k)
        }
      }
      time[n] = t
    }
    for (let q = 0; q < nums.length; q++) {
      const p = nums[q]
      const v = r[p.col.index]
      let x = parseNumber(v, fmt)
      if (x !== x) {
        if (!isMissing(v)) throw new RecordError('NOT_A_NUMBER', `${JSON.stringify(v)} is not a number`, k, p.col.index + 1, p.col.name)
        p.missing++
      } else if (x === Infinity || x === -Infinity) {
        if (p.invalid++ === 0) p.invalidExample = v
        x = NaN
      }
      p.values[n] = x
    }
    for (let q = 0; q < cats.length; q++) {
      const p = cats[q]
      const v = r[p.col.index]
      if (isMissing(v)) {
        p.missing++
        p.codes[n] = NaN
        continue
      }
      const key = v.trim()
      let code = p.map.get(key)
      if (code === undefined) {
        if (p.map.size >= MAX_CATEGORIES) {
          p.overflow = true
          code = -1
        } else {
          code = p.map.size
          p.map.set(key, code)
          p.names.push(key)
        }
      }
      p.codes[n] = code
    }
    n++
  }

  await new Promise<void>((resolve) => {
    let done = false
    const finish = (err?: unknown): void => {
      if (err !== undefined && failure === undefined)
        failure = err instanceof Error || err instanceof RecordError ? err : new Error(String(err))
      if (done) return
      done = true
      if (err !== undefined) {
        source.destroy()
        parser.destroy()
      }
      resolve()
    }
    parser.on('data', (r: string[]) => {
      if (done) return
      try {
        handle(r)
      } catch (e) {
        finish(e)
      }
    })
    parser.on('end', () => finish())
    parser.on('error', (e) => finish(e))
    input.on('error', (e: Error) => finish(e))
    input.pipe(parser)
  })

  if (failure !== undefined) throw await describeFailure(failure, path, sniff)
  if (n === 0) {
    if (sniff.hasHeader) throw new ImportError('HEADER_ONLY', path, 'the file has a header row but no data rows')
    throw new ImportError('NO_DATA', path, 'the file has no data rows')
  }
  onProgress?.(total, total)

  // --- shrink to n rows, drop rows without a timestamp -----------------------------------------
  const missing: Record<string, number> = {}
  let rows = n
  let droppedRows = 0
  let cols: Float64Array[] = [
    ...(hasTime ? [time.subarray(0, n)] : []),
    ...nums.map((p) => p.values.subarray(0, n)),
    ...cats.map((p) => p.codes.subarray(0, n))
  ]
  const timeName = timeCol?.name ?? (partCols ? 'time' : undefined)
  if (timeName !== undefined) missing[timeName] = timeMissing
  for (const p of nums) missing[p.col.name] = p.missing
  const invalid: Record<string, number> = {}
  for (const p of nums.filter((p) => p.invalid > 0)) {
    invalid[p.col.name] = p.invalid
    warnings.push(
      `Column "${p.col.name}": ${p.invalid} value(s) too large to be a number (e.g. ${JSON.stringify(p.invalidExample)}) were treated as missing (${opts.missing}).`
    )
  }
  for (const p of cats) missing[p.col.name] = p.missing
  const keepRows = (keep: Uint8Array, count: number): void => {
    cols = cols.map((c) => {
      const out = new Float64Array(count)
      let w = 0
      for (let i = 0; i < rows; i++) if (keep[i]) out[w++] = c[i]
      return out
    })
    droppedRows += rows - count
    rows = count
  }
  if (hasTime && timeMissing > 0) {
    const keep = new Uint8Array(rows)
    let c = 0
    for (let i = 0; i < rows; i++) if (cols[0][i] === cols[0][i]) ((keep[i] = 1), c++)
    keepRows(keep, c)
    warnings.push(`${timeMissing} row(s) without a timestamp were dropped.`)
  }

  // --- time order --------------------------------------------------------------------------------
  let descending = false
  let report: ReturnType<typeof timeReport> | undefined
  if (hasTime && rows > 0) {
    const order = timeOrder(cols[0])
    if (order === 'descending') {
      descending = true
      for (const c of cols) c.reverse()
    } else if (order === 'unsorted') {
      const perm = sortPermutation(cols[0])
      cols = cols.map((c) => {
        const out = new Float64Array(rows)
        for (let i = 0; i < rows; i++) out[i] = c[perm[i]]
        return out
      })
      warnings.push('Rows were not in time order; they have been sorted by time.')
    }
    report = timeReport(cols[0])
    if (report.duplicates.count > 0)
      warnings.push(`${report.duplicates.count} duplicate timestamp(s), e.g. ${report.duplicates.examples[0]}.`)
  }

  // --- missing values ------------------------------------------------------------------------------
  const off = hasTime ? 1 : 0
  const valueCols = (): Float64Array[] => cols.slice(off)
  if (opts.missing === 'drop') {
    const keep = new Uint8Array(rows)
    let c = 0
    const vc = valueCols()
    for (let i = 0; i < rows; i++) {
      let ok = 1
      for (const v of vc) if (v[i] !== v[i]) ok = 0
      keep[i] = ok
      c += ok
    }
    if (c < rows) keepRows(keep, c)
  } else {
    const x = hasTime && opts.missing === 'interpolate' ? cols[0] : undefined
    valueCols().forEach((v, q) => {
      const isCat = q >= nums.length
      const ok = opts.missing === 'ffill' || isCat ? forwardFill(v) : interpolate(v, x)
      if (!ok && !isCat) {
        const p = nums[q]
        throw new ImportError('NO_NUMBERS', path, `chosen as ${p.col.role} but every value is missing`, columnWhere(p.col))
      }
    })
  }
  if (rows === 0) throw new ImportError('NO_DATA', path, `no rows left after dropping rows with missing values (missing: 'drop')`)

  // --- output columns ------------------------------------------------------------------------------
  const out: ImportedColumn[] = []
  if (hasTime && timeName !== undefined) out.push({ name: timeName, type: 'time', role: 'time', values: cols[0] })
  const byIndex: { index: number; cols: ImportedColumn[] }[] = []
  nums.forEach((p, q) =>
    byIndex.push({
      index: p.col.index,
      cols: [{ name: p.col.name, type: 'number', role: p.col.role as 'feature' | 'target', values: cols[off + q] }]
    })
  )
  const categories: Record<string, string[]> = {}
  cats.forEach((p, q) => {
    const codes = cols[off + nums.length + q]
    if (p.overflow) {
      warnings.push(`Column "${p.col.name}" has more than ${MAX_CATEGORIES} categories; it was excluded.`)
      return
    }
    const sorted = [...p.names].sort()
    categories[p.col.name] = sorted
    const oneHot = sorted.map((name) => {
      const code = p.map.get(name) as number
      const v = new Float64Array(rows)
      for (let i = 0; i < rows; i++) v[i] = codes[i] === code ? 1 : 0
      return { name: `${p.col.name}=${name}`, type: 'number' as const, role: 'categorical' as const, values: v }
    })
    byIndex.push({ index: p.col.index, cols: oneHot })
  })
  byIndex.sort((a, b) => a.index - b.index)
  for (const b of byIndex) out.push(...b.cols)

  const result: CsvImportResult = {
    file: head.path,
    columns: out,
    rows,
    descending,
    duplicates: report?.duplicates ?? { count: 0, examples: [] },
    gaps: report?.gaps ?? { count: 0, examples: [] },
    missing,
    invalid,
    missingStrategy: opts.missing,
    droppedRows,
    warnings
  }
  if (hasTime && timeName !== undefined) {
    result.timeColumn = timeName
    const dateOnly = allMidnight(cols[0])
    result.timeRange = { start: isoString(cols[0][0], dateOnly), end: isoString(cols[0][rows - 1], dateOnly) }
  }
  if (Object.keys(categories).length > 0) result.categories = categories
  return result
}

async function describeFailure(f: RecordError | Error, path: string, sniff: CsvSniff): Promise<ImportError> {
  if (f instanceof ImportError) return f
  if (f instanceof RecordError) {
    const line = await lineOfRecord(path, sniff, f.record)
    return new ImportError(f.code, path, f.detail, { line, column: f.column, columnName: f.columnName })
  }
  const e = f as Error & { code?: string; lines?: number }
  if (e.code === 'INVALID_ENCODING') {
    return invalidEncodingError(
      path,
      sniff.encoding.encoding,
      await locateInvalidBytes(path, sniff.encoding.encoding, sniff.encoding.bomLength)
    )
  }
  if ((typeof e.code === 'string' && e.code.startsWith('CSV_')) || e.code === 'INVALID_OPENING_QUOTE') {
    const why =
      e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed' : e.code === 'CSV_MAX_RECORD_SIZE' ? recordTooLong() : e.message
    return new ImportError('MALFORMED_CSV', path, why, { line: typeof e.lines === 'number' ? e.lines : undefined })
  }
  return toImportError(f, path)
}
