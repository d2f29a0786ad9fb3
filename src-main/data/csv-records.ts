/**
 * The fast pass of a CSV import: streams the file through csv-parse (decoding other encodings on the
 * way) into the plan's column buffers, one record at a time, with no per-row objects.
 *
 * Line numbers: csv-parse only reports lines through `on_record`/`info`, which costs a third of
 * the parse time, so the fast pass counts records and, only when a record is bad, a second pass
 * maps the record number to its physical line.
 */
import { createReadStream, type ReadStream } from 'node:fs'
import { Transform, type TransformCallback } from 'node:stream'
import { parse, type Parser } from 'csv-parse'
import { parseNumber, type NumberFormat } from './csv-values'
import type { CsvSniff } from './csv-sniff'
import { utc } from './dates'
import { MAX_RECORD_CHARS, recordTooLong } from './file-head'
import { ImportError, toImportError } from './import-error'
import { isMissing } from './missing-values'
import { MAX_CATEGORIES, RecordError, type ColumnPlan } from './csv-plan'
import { EucKrValidator, invalidEncodingError, locateInvalidBytes, type EncodingGuess } from './text-decode'

/** Called with bytes read so far and the file size. */
export type ImportProgress = (bytesRead: number, totalBytes: number) => void

const PARSE_CHUNK = 1 << 16

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

/**
 * Streams every record of the file into `plan`'s buffers; returns the number of data rows kept.
 * A bad record stops the pass and is reported with its physical line.
 */
export async function readRecords(
  path: string,
  totalBytes: number,
  sniff: CsvSniff,
  plan: ColumnPlan,
  onProgress?: ImportProgress
): Promise<number> {
  let bytesRead = 0
  const { source, input } = openSource(path, sniff.encoding, (b) => {
    bytesRead += b
    onProgress?.(Math.min(bytesRead, totalBytes), totalBytes)
  })
  const parser = makeParser(sniff)
  const store = recordStore(sniff, plan)
  const failure = await pump(source, input, parser, store.push)
  if (failure !== undefined) throw await describeFailure(failure, path, sniff)
  onProgress?.(totalBytes, totalBytes)
  return store.rows()
}

/** Pipes `input` through `parser` into `onRecord`; resolves with the first error, if any. */
function pump(
  source: ReadStream,
  input: NodeJS.ReadableStream,
  parser: Parser,
  onRecord: (r: string[]) => void
): Promise<RecordError | Error | undefined> {
  let failure: RecordError | Error | undefined
  return new Promise((resolve) => {
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
      resolve(failure)
    }
    parser.on('data', (r: string[]) => {
      if (done) return
      try {
        onRecord(r)
      } catch (e) {
        finish(e)
      }
    })
    parser.on('end', () => finish())
    parser.on('error', (e) => finish(e))
    input.on('error', (e: Error) => finish(e))
    input.pipe(parser)
  })
}

/** The per-record writer: header skipped, ragged rows refused, time, numbers and categories stored. */
function recordStore(sniff: CsvSniff, plan: ColumnPlan): { push: (r: string[]) => void; rows: () => number } {
  let n = 0
  let record = 0
  const push = (r: string[]): void => {
    const k = record++
    if (k === 0 && sniff.hasHeader) return
    if (r.length !== plan.width) {
      if (r.length === 1 && r[0].trim() === '') return
      throw new RecordError(
        'RAGGED_ROW',
        `expected ${plan.width} fields${sniff.hasHeader ? ' (as in the header)' : ''}, found ${r.length}`,
        k
      )
    }
    if (n === plan.cap) growBuffers(plan)
    if (plan.timeParse !== undefined) plan.time[n] = parseTime(r, k, plan)
    else if (plan.partIdx !== undefined) plan.time[n] = parseDateParts(r, k, plan, sniff)
    storeNumbers(r, k, n, plan, sniff.format)
    storeCategories(r, n, plan)
    n++
  }
  return { push, rows: () => n }
}

function growBuffers(plan: ColumnPlan): void {
  plan.cap *= 2
  for (const p of plan.nums) p.values = grow(p.values, plan.cap)
  for (const p of plan.cats) p.codes = grow(p.codes, plan.cap)
  if (plan.hasTime) plan.time = grow(plan.time, plan.cap)
}

/** The record's timestamp (NaN when missing, counted); an unparseable one is refused. */
function parseTime(r: string[], k: number, plan: ColumnPlan): number {
  const col = plan.timeCol!
  const v = r[col.index]
  const t = plan.timeParse!(v)
  if (t !== t) {
    if (!isMissing(v))
      throw new RecordError('BAD_DATE', `${JSON.stringify(v)} is not a date in format ${col.dateFormat}`, k, col.index + 1, col.name)
    plan.timeMissing++
  }
  return t
}

/** The timestamp from year/month/day/hour columns (NaN when a part is missing, counted). */
function parseDateParts(r: string[], k: number, plan: ColumnPlan, sniff: CsvSniff): number {
  const parts = [0, 1, 1, 0]
  let missingPart = false
  for (let q = 0; q < 4; q++) {
    const j = plan.partIdx![q]
    if (j < 0) continue
    const v = r[j]
    const x = parseNumber(v, sniff.format)
    if (x !== x) {
      if (isMissing(v)) missingPart = true
      else throw new RecordError('BAD_DATE', `${JSON.stringify(v)} is not a number (date part)`, k, j + 1, sniff.columns[j].name)
    }
    parts[q] = x
  }
  if (missingPart) {
    plan.timeMissing++
    return NaN
  }
  const t = parts.every(Number.isInteger) ? utc(parts[0], parts[1], parts[2], parts[3]) : NaN
  if (t !== t)
    throw new RecordError('BAD_DATE', `year ${parts[0]}, month ${parts[1]}, day ${parts[2]}, hour ${parts[3]} is not a valid date`, k)
  return t
}

/** Numbers into their columns: missing ones counted, ones too large for a double stored as missing. */
function storeNumbers(r: string[], k: number, n: number, plan: ColumnPlan, fmt: NumberFormat): void {
  for (let q = 0; q < plan.nums.length; q++) {
    const p = plan.nums[q]
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
}

/** Category codes by first appearance; a column with more than MAX_CATEGORIES values overflows. */
function storeCategories(r: string[], n: number, plan: ColumnPlan): void {
  for (let q = 0; q < plan.cats.length; q++) {
    const p = plan.cats[q]
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
