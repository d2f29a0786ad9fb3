/**
 * CSV sniffing from the head of a file (64 KiB, grown for wide rows: see readSniffHead): encoding, delimiter, header row, number
 * format, line ending, column types and suggested roles. The import (csv-import.ts) reuses the
 * result and then streams the whole file through csv-parse.
 */
import {
  type ColumnRole,
  type CsvDelimiter,
  type DateFormat,
  type DateParts,
  type DecimalSeparator,
  type LineEnding,
  type PreviewColumn,
  type ThousandsSeparator
} from '../../src-shared/dataset-import'
import { looksNumeric, numberUnit, parseNumber, sniffNumberFormat, type NumberFormat } from './csv-values'
import { detectDateFormat } from './dates'
import { MAX_RECORD_CHARS, recordTooLong, type FileHead } from './file-head'
import { ImportError } from './import-error'
import { isMissing } from './missing-values'
import { decodeSample, sniffEncoding, type EncodingGuess } from './text-decode'

/** Data rows analysed for types and roles. */
export const SAMPLE_ROWS = 200
/** Whole lines the sniffing window grows to hold when rows are very wide (see readSniffHead). */
export const SNIFF_MIN_LINES = 64

export interface SniffOverrides {
  delimiter?: CsvDelimiter
  hasHeader?: boolean
  decimal?: DecimalSeparator
  thousands?: ThousandsSeparator
  dateColumn?: string
  dateParts?: DateParts
  dateFormat?: DateFormat
  roles?: Record<string, ColumnRole>
}

export interface ColumnSniff extends PreviewColumn {
  /** Month/day order of this time column could not be decided from the sample. */
  dateAmbiguous: boolean
}

export interface CsvSniff {
  encoding: EncodingGuess
  delimiter: CsvDelimiter
  hasHeader: boolean
  lineEnding: LineEnding
  format: NumberFormat
  names: string[]
  /** Complete data records found in the head (header excluded). */
  rows: string[][]
  columns: ColumnSniff[]
  /** Index of the single time column, if any. */
  timeColumn?: number
  dateParts?: DateParts
  dateOrderAmbiguous: boolean
  warnings: string[]
  rowEstimate: number
  rowEstimateExact: boolean
}

/** Decode the head of a CSV file; binary content (NUL bytes, invalid UTF-8 and EUC-KR) → BINARY_FILE. */
export function decodeCsvHead(head: FileHead): { text: string; encoding: EncodingGuess } {
  const guess = sniffEncoding(head.bytes, head.complete)
  if (guess.encoding === null) {
    const why = guess.reason === 'nul' ? 'a NUL byte' : guess.reason === 'control' ? 'control bytes' : 'bytes that are not valid UTF-8'
    throw new ImportError('BINARY_FILE', head.path, `not a CSV text file: it contains ${why} (binary file?)`, {
      byteOffset: guess.offset
    })
  }
  let text: string
  try {
    text = decodeSample(head.bytes, guess, head.complete, head.path)
  } catch (err) {
    if (err instanceof ImportError) {
      throw new ImportError('BINARY_FILE', head.path, `not a CSV text file: ${err.detail}`, { byteOffset: err.byteOffset, line: err.line })
    }
    throw err
  }
  return { text, encoding: guess }
}

/** Line ending used by the text: the first one found. */
export function detectLineEnding(text: string): LineEnding {
  const i = text.search(/[\r\n]/)
  if (i < 0) return 'none'
  if (text[i] === '\n') return 'lf'
  return text[i + 1] === '\n' ? 'crlf' : 'cr'
}

/**
 * Quote-aware split of CSV text into records (RFC 4180 quoting, `""` escapes, line breaks
 * inside quotes). Blank lines are skipped. When `complete` is false the last record may be cut,
 * so it is dropped.
 */
export function splitRecords(
  text: string,
  delimiter: string,
  complete: boolean,
  limit = Infinity,
  info: { unclosedQuoteLine?: number } = {}
): string[][] {
  const records: string[][] = []
  let line = 1
  let quoteLine = 0
  let record: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  const n = text.length
  const endRecord = (): void => {
    record.push(field)
    field = ''
    if (!(record.length === 1 && record[0].trim() === '')) records.push(record)
    record = []
  }
  while (i < n && records.length < limit) {
    const c = text[i]
    if (quoted) {
      if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
      } else field += c
      i++
      continue
    }
    if (c === '"' && field.trim() === '') {
      quoted = true
      quoteLine = line
      field = ''
    } else if (c === delimiter) {
      record.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      line++
      endRecord()
      if (c === '\r' && text[i + 1] === '\n') i++
    } else field += c
    i++
  }
  if (complete && i >= n && !quoted && (field !== '' || record.length > 0)) endRecord()
  if (complete && i >= n && quoted) info.unclosedQuoteLine = quoteLine
  return records
}

function mode(counts: number[]): { value: number; share: number } {
  const m = new Map<number, number>()
  for (const c of counts) m.set(c, (m.get(c) ?? 0) + 1)
  let value = 1
  let best = 0
  for (const [k, v] of m) if (v > best || (v === best && k > value)) [value, best] = [k, v]
  return { value, share: counts.length ? best / counts.length : 0 }
}

/**
 * Choose the delimiter whose field count is most consistent across the sampled records
 * (ties: tab, semicolon, pipe, then comma — a consistent `;` or tab beats commas that may be
 * decimal commas). A file with one column gets ','.
 */
export function sniffDelimiter(text: string, complete: boolean): CsvDelimiter {
  let best: CsvDelimiter = ','
  let bestScore = 0
  const order: CsvDelimiter[] = ['\t', ';', '|', ',']
  for (const d of order) {
    const recs = splitRecords(text, d, complete, SAMPLE_ROWS + 1)
    const m = mode(recs.map((r) => r.length))
    if (m.value < 2) continue
    const score = m.share
    if (score > bestScore + 1e-9) {
      best = d
      bestScore = score
    }
  }
  return best
}

type CellKind = 'number' | 'time' | 'missing' | 'other'

function cellKind(v: string, fmt: NumberFormat): CellKind {
  if (isMissing(v)) return 'missing'
  if (!Number.isNaN(parseNumber(v, fmt))) return 'number'
  if (detectDateFormat([v]) !== undefined) return 'time'
  return 'other'
}

/**
 * Is the first record a header? Yes when some column is numbers or dates below a first-row cell
 * that is neither; for all-text files, when the first row's values are distinct and none of
 * them recurs below it.
 */
export function sniffHeader(records: string[][], fmt: NumberFormat): boolean {
  if (records.length === 0) return false
  const first = records[0]
  const body = records.slice(1, SAMPLE_ROWS + 1)
  if (body.length === 0) return first.some((v) => cellKind(v, fmt) === 'other')
  let textBody = true
  for (let j = 0; j < first.length; j++) {
    const kinds = body.map((r) => (j < r.length ? cellKind(r[j], fmt) : 'missing')).filter((k) => k !== 'missing')
    if (kinds.length === 0) continue
    const top =
      kinds.filter((k) => k === 'number').length >= kinds.length * 0.8
        ? 'number'
        : kinds.filter((k) => k === 'time').length >= kinds.length * 0.8
          ? 'time'
          : 'other'
    if (top !== 'other') {
      textBody = false
      const k = cellKind(first[j], fmt)
      if (k === 'other') return true
    }
  }
  if (!textBody) return false
  const firstSet = new Set(first.map((v) => v.trim()))
  if (firstSet.size !== first.length || first.some((v) => isMissing(v))) return false
  return first.every((v, j) => !body.some((r) => r[j]?.trim() === v.trim()))
}

const PART_NAMES: Record<keyof DateParts, RegExp> = {
  year: /^(year|yr|yyyy)$/i,
  month: /^(month|mon|mo|mm)$/i,
  day: /^(day|dd|dom)$/i,
  hour: /^(hour|hr|hh)$/i
}
const INDEX_NAME = /^(no\.?|index|idx|id|#|row|unnamed: ?0|)$/i
const TARGET_NAME = /^(close|close\/last|close\*+|target|y|label)$/i

function columnNames(first: string[] | undefined, width: number, hasHeader: boolean): string[] {
  const names: string[] = []
  const seen = new Map<string, number>()
  for (let j = 0; j < width; j++) {
    let name = hasHeader && first && j < first.length ? first[j].trim() : ''
    if (name === '') name = `column ${j + 1}`
    const k = seen.get(name) ?? 0
    seen.set(name, k + 1)
    names.push(k === 0 ? name : `${name} (${k + 1})`)
  }
  return names
}

/** All values, or all but a few stray ones (≥ 80 % of 5 or more, all but one of fewer). */
export function mostly(hits: number, n: number): boolean {
  if (hits === n) return n > 0
  return hits >= 1 && (n >= 5 ? hits >= 0.8 * n : hits >= n - 1)
}

function inferColumn(values: string[], fmt: NumberFormat, name: string, warnings: string[]): Omit<ColumnSniff, 'role' | 'index'> {
  const present = values.filter((v) => !isMissing(v))
  const missing = values.length - present.length
  const samples = present.slice(0, 5)
  const base = { name, missing, samples, dateAmbiguous: false }
  if (present.length === 0) return { ...base, inferredType: 'empty' }
  let numeric = 0
  let firstBad: string | undefined
  for (const v of present) {
    if (!Number.isNaN(parseNumber(v, fmt))) numeric++
    else firstBad ??= v
  }
  if (mostly(numeric, present.length) && looksNumeric(present.find((v) => !Number.isNaN(parseNumber(v, fmt))) ?? '')) {
    if (firstBad !== undefined)
      warnings.push(`Column "${name}" is numeric but has values that are not numbers, like ${JSON.stringify(firstBad)}.`)
    const unit = present.map(numberUnit).find((u) => u !== undefined)
    if (unit === 'percent') warnings.push(`Column "${name}" is in percent; values are kept as written (12.5% → 12.5).`)
    return { ...base, inferredType: 'number', ...(unit ? { unit } : {}) }
  }
  const date = detectDateFormat(present, PART_NAMES.year.test(name) || /date|time/i.test(name))
  if (date) {
    if (date.firstMisfit !== undefined)
      warnings.push(`Column "${name}" holds dates (${date.format}) but also ${JSON.stringify(date.firstMisfit)}.`)
    if (date.format === 'Y-MM') warnings.push(`Column "${name}" has year-in-series months like "1-01"; year 1 is read as 2001.`)
    return { ...base, inferredType: 'time', dateFormat: date.format, dateAmbiguous: date.ambiguous }
  }
  const distinct = new Set(present.map((v) => v.trim()))
  if (distinct.size <= 50 && distinct.size <= Math.max(2, present.length * 0.5)) {
    return { ...base, inferredType: 'category', categories: [...distinct].sort() }
  }
  return { ...base, inferredType: 'text' }
}

function isIndexColumn(values: string[], fmt: NumberFormat): boolean {
  let prev = NaN
  for (const v of values) {
    const x = parseNumber(v, fmt)
    if (!Number.isInteger(x) || (!Number.isNaN(prev) && x !== prev + 1)) return false
    prev = x
  }
  return values.length > 1
}

/** A record longer than the import accepts is refused from the head, before columns are planned. */
function refuseLongRecords(records: string[][], file: string): void {
  records.forEach((r, i) => {
    let chars = r.length - 1
    for (const f of r) chars += f.length
    if (chars > MAX_RECORD_CHARS) throw new ImportError('MALFORMED_CSV', file, recordTooLong(), { line: i + 1 })
  })
}

/** Sniff everything the import needs from the decoded head text. User overrides win. */
export function sniffCsv(head: FileHead, o: SniffOverrides = {}): CsvSniff {
  const { text, encoding } = decodeCsvHead(head)
  const file = head.path
  const warnings: string[] = []
  const complete = head.complete
  if (text.trim() === '') throw new ImportError('EMPTY_FILE', file, 'the file has no data (only blank lines)')
  const delimiter = o.delimiter ?? sniffDelimiter(text, complete)
  const split: { unclosedQuoteLine?: number } = {}
  let records = splitRecords(text, delimiter, complete, Infinity, split)
  if (split.unclosedQuoteLine !== undefined) {
    throw new ImportError('MALFORMED_CSV', file, 'a quoted field is opened here and never closed', { line: split.unclosedQuoteLine })
  }
  if (records.length === 0 && !complete) {
    // a single record longer than the head: fall back to what we have
    records = splitRecords(text, delimiter, true, 2)
  }
  if (records.length === 0) throw new ImportError('EMPTY_FILE', file, 'the file has no data')
  refuseLongRecords(records, file)
  const cells = records.slice(0, SAMPLE_ROWS + 1).flat()
  const nf = sniffNumberFormat(cells, delimiter)
  const format: NumberFormat = { decimal: o.decimal ?? nf.decimal, thousands: o.thousands ?? nf.thousands }
  if (o.decimal === undefined) warnings.push(...nf.warnings)
  if (format.decimal === format.thousands) {
    throw new ImportError('INVALID_OPTIONS', file, `decimal and thousands separators are both ${JSON.stringify(format.decimal)}`)
  }
  const hasHeader = o.hasHeader ?? sniffHeader(records, format)
  const width = hasHeader ? records[0].length : mode(records.slice(0, SAMPLE_ROWS).map((r) => r.length)).value
  const names = columnNames(records[0], width, hasHeader)
  const rows = hasHeader ? records.slice(1) : records
  if (hasHeader && rows.length === 0 && complete) throw new ImportError('HEADER_ONLY', file, 'the file has a header row but no data rows')
  const sample = rows.slice(0, SAMPLE_ROWS)
  const columns: ColumnSniff[] = names.map((name, index) => {
    const values = sample.map((r) => (index < r.length ? r[index] : ''))
    return { ...inferColumn(values, format, name, warnings), index, role: 'ignored' as ColumnRole }
  })
  const roles = assignRoles(columns, sample, format, o, file)
  const timeCol = columns.find((c) => c.role === 'time' && c.dateFormat !== 'parts')
  let rowEstimate = rows.length
  const rowEstimateExact = complete
  if (!complete && rows.length > 0) rowEstimate = Math.round((rows.length * head.size) / head.bytes.length)
  return {
    encoding,
    delimiter,
    hasHeader,
    lineEnding: detectLineEnding(text),
    format,
    names,
    rows,
    columns,
    timeColumn: timeCol?.index,
    dateParts: roles.dateParts,
    dateOrderAmbiguous: timeCol !== undefined && o.dateFormat === undefined && timeCol.dateAmbiguous,
    warnings,
    rowEstimate,
    rowEstimateExact
  }
}

/** Suggest a role for every column, then apply the user's dateColumn / dateParts / roles. */
function assignRoles(
  columns: ColumnSniff[],
  sample: string[][],
  fmt: NumberFormat,
  o: SniffOverrides,
  file: string
): { dateParts?: DateParts } {
  const need = columnLookup(columns, file)
  if (o.dateColumn !== undefined && o.dateParts !== undefined) {
    throw new ImportError('INVALID_OPTIONS', file, 'invalid import options: dateColumn and dateParts cannot both be given')
  }
  suggestRoles(columns, sample, fmt)
  const time = chooseTime(columns, o)
  markTime(columns, sample, o, time, need)
  const dateParts = applyUserRoles(columns, o, time, need, file)
  pickTarget(columns, o)
  return { dateParts }
}

type ColumnLookup = (name: string, what: string) => ColumnSniff

/** The column of a name the options give, or an UNKNOWN_COLUMN error naming the option and the file's columns. */
function columnLookup(columns: ColumnSniff[], file: string): ColumnLookup {
  const byName = new Map(columns.map((c) => [c.name, c]))
  return (name, what) => {
    const c = byName.get(name)
    if (!c)
      throw new ImportError(
        'UNKNOWN_COLUMN',
        file,
        `${what} names column ${JSON.stringify(name)}, which the file does not have (columns: ${columns.map((x) => JSON.stringify(x.name)).join(', ')})`
      )
    return c
  }
}

/** From the inferred type: numbers are features (an index-like column is ignored), categories categorical, the rest ignored. */
function suggestRoles(columns: ColumnSniff[], sample: string[][], fmt: NumberFormat): void {
  for (const c of columns) {
    const values = sample.map((r) => r[c.index] ?? '').filter((v) => !isMissing(v))
    switch (c.inferredType) {
      case 'number':
        c.role = INDEX_NAME.test(c.name) && isIndexColumn(values, fmt) ? 'ignored' : 'feature'
        break
      case 'category':
        c.role = 'categorical'
        break
      default:
        c.role = 'ignored'
    }
  }
}

interface TimeChoice {
  timeName?: string
  dateParts?: DateParts
}

/** The time: an explicit column, explicit parts, the one column given the time role, the first time-typed column, or year/month/... columns. */
function chooseTime(columns: ColumnSniff[], o: SniffOverrides): TimeChoice {
  const dateParts = o.dateParts
  const roleTime = Object.entries(o.roles ?? {})
    .filter(([, r]) => r === 'time')
    .map(([n]) => n)
  const timeName = o.dateColumn ?? (roleTime.length === 1 && !dateParts ? roleTime[0] : undefined)
  if (timeName !== undefined || dateParts !== undefined) return { timeName, dateParts }
  const typed = columns.find((c) => c.inferredType === 'time')?.name
  if (typed !== undefined) return { timeName: typed }
  const find = (k: keyof DateParts): string | undefined =>
    columns.find((c) => c.inferredType === 'number' && PART_NAMES[k].test(c.name))?.name
  const year = find('year')
  const month = find('month')
  if (year === undefined || month === undefined) return {}
  const day = find('day')
  const hour = day !== undefined ? find('hour') : undefined
  return { dateParts: { year, month, ...(day !== undefined ? { day } : {}), ...(hour !== undefined ? { hour } : {}) } }
}

/** Gives the chosen time column (or parts) the time role and its date format; other time-typed columns are ignored. */
function markTime(columns: ColumnSniff[], sample: string[][], o: SniffOverrides, time: TimeChoice, need: ColumnLookup): void {
  const { timeName, dateParts } = time
  if (dateParts !== undefined) {
    for (const k of ['year', 'month', 'day', 'hour'] as const) {
      const n = dateParts[k]
      if (n === undefined) continue
      const c = need(n, `dateParts.${k}`)
      c.role = 'time'
      c.dateFormat = 'parts'
    }
  } else if (timeName !== undefined) {
    const c = need(timeName, o.dateColumn !== undefined ? 'dateColumn' : 'roles')
    c.role = 'time'
    if (o.dateFormat !== undefined && o.dateFormat !== 'parts') {
      c.dateFormat = o.dateFormat
      c.dateAmbiguous = false
    } else if (c.inferredType !== 'time') {
      const values = sample.map((r) => r[c.index] ?? '').filter((v) => !isMissing(v))
      const d = detectDateFormat(values, true)
      if (d) {
        c.dateFormat = d.format
        c.dateAmbiguous = d.ambiguous
      }
    }
  }
  for (const c of columns) if (c.role === 'time' && c.name !== timeName && c.dateFormat !== 'parts') c.role = 'ignored'
}

/** The person's roles win, with one time column at most; taking the time role off suggested parts drops them. Returns the parts left. */
function applyUserRoles(
  columns: ColumnSniff[],
  o: SniffOverrides,
  time: TimeChoice,
  need: ColumnLookup,
  file: string
): DateParts | undefined {
  let dateParts = time.dateParts
  for (const [name, role] of Object.entries(o.roles ?? {})) {
    const c = need(name, 'roles')
    if (role === 'time' && c.role !== 'time') {
      throw new ImportError(
        'INVALID_OPTIONS',
        file,
        `invalid import options: roles: only one time column (or dateParts) can be chosen; ${JSON.stringify(name)} is a second one`
      )
    }
    if (c.role === 'time' && role !== 'time' && (dateParts !== undefined || c.name === time.timeName)) {
      if (o.dateColumn === c.name || o.dateParts !== undefined) {
        throw new ImportError('INVALID_OPTIONS', file, `invalid import options: roles: ${JSON.stringify(name)} is the chosen time column`)
      }
      if (dateParts !== undefined) dateParts = undefined
      for (const x of columns) if (x.dateFormat === 'parts') x.role = 'ignored'
    }
    c.role = role
  }
  return dateParts
}

/** One target: explicit, else a Close-like name, else the first numeric feature (unless the person made it a feature). */
function pickTarget(columns: ColumnSniff[], o: SniffOverrides): void {
  if (columns.some((c) => c.role === 'target')) return
  const feats = columns.filter((c) => c.role === 'feature')
  const pick = feats.find((c) => TARGET_NAME.test(c.name)) ?? feats[0]
  if (pick && !(o.roles && o.roles[pick.name] === 'feature')) pick.role = 'target'
}
