/**
 * Date parsing for CSV time columns: a small set of fixed-format parsers (regex or char codes →
 * Date.UTC) instead of a date library.
 *
 * Why not a library: a 1,000,000-row file must import in ≤ 5 s, and the import only ever needs a
 * handful of machine-written formats whose order is decided once per column from the data, not
 * per cell. General-purpose parsers (Date.parse, date-fns `parse`, Luxon/Day.js with format
 * strings) either guess the field order per value — silently reading 03/04 as March in one row
 * and April in another — or build format tokenizers per call and run an order of magnitude
 * slower. These parsers are a few dozen lines, validate ranges (month 1–12, real days of month,
 * 24-hour times), treat times without an offset as UTC, and are covered by the tests in
 * test/data/. Anything outside the list is reported as not a date rather than guessed.
 */
import { SNIFFED_DATE_FORMATS, type DateFormat } from '../../src-shared/dataset-import'

/** Parses one cell; NaN when the cell does not match the format or names no real date. */
export type DateParser = (s: string) => number

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function daysIn(y: number, m: number): number {
  if (m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)) return 29
  return DAYS[m - 1]
}

/** Epoch ms (UTC) of a calendar date and time, NaN when out of range. */
export function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo) && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59)) {
    return NaN
  }
  if (y >= 0 && y < 100) {
    const dt = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms))
    dt.setUTCFullYear(y)
    return dt.getTime()
  }
  return Date.UTC(y, mo - 1, d, h, mi, s, ms)
}

// optional time of day after the date: `T`/space HH:mm[:ss[.fff]] then Z or ±hh[:mm]
const TIME = '(?:[T ](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?)?\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?'

function withTime(m: RegExpExecArray, at: number, y: number, mo: number, d: number): number {
  const h = m[at] === undefined ? 0 : +m[at]
  const mi = m[at + 1] === undefined ? 0 : +m[at + 1]
  const s = m[at + 2] === undefined ? 0 : +m[at + 2]
  const frac = m[at + 3]
  const ms = frac === undefined ? 0 : Math.floor(+`0.${frac}` * 1000)
  let t = utc(y, mo, d, h, mi, s, ms)
  const tz = m[at + 4]
  if (tz !== undefined && tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1
    const digits = tz.slice(1).replace(':', '')
    const oh = +digits.slice(0, 2)
    const om = digits.length > 2 ? +digits.slice(2, 4) : 0
    if (oh > 14 || om > 59) return NaN
    t -= sign * (oh * 60 + om) * 60_000
  }
  return t
}

function ymd(sep: string): DateParser {
  const re = new RegExp(`^(\\d{4})${sep}(\\d{1,2})${sep}(\\d{1,2})${TIME}$`)
  return (s) => {
    const m = re.exec(s.trim())
    return m ? withTime(m, 4, +m[1], +m[2], +m[3]) : NaN
  }
}

function dmy(sep: string, dayFirst: boolean): DateParser {
  const re = new RegExp(`^(\\d{1,2})${sep}(\\d{1,2})${sep}(\\d{4})${TIME}$`)
  return (s) => {
    const m = re.exec(s.trim())
    if (!m) return NaN
    const a = +m[1]
    const b = +m[2]
    return dayFirst ? withTime(m, 4, +m[3], b, a) : withTime(m, 4, +m[3], a, b)
  }
}

function ym(sep: string): DateParser {
  const re = new RegExp(`^(\\d{4})${sep}(\\d{1,2})$`)
  return (s) => {
    const m = re.exec(s.trim())
    return m ? utc(+m[1], +m[2], 1) : NaN
  }
}

/** Char-code fast path for `YYYY-MM-DD` and `YYYY-MM-DD[T ]HH:mm:ss`, the bulk of big machine-written files. */
function isoFast(s: string): number {
  const n = s.length
  if ((n !== 10 && n !== 19) || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN
  let y = 0
  for (let i = 0; i < 4; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return NaN
    y = y * 10 + c
  }
  const m1 = s.charCodeAt(5) - 48
  const m2 = s.charCodeAt(6) - 48
  const d1 = s.charCodeAt(8) - 48
  const d2 = s.charCodeAt(9) - 48
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return NaN
  if (n === 10) return utc(y, m1 * 10 + m2, d1 * 10 + d2)
  const sep = s.charCodeAt(10)
  if ((sep !== 84 && sep !== 32) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN
  const h1 = s.charCodeAt(11) - 48
  const h2 = s.charCodeAt(12) - 48
  const i1 = s.charCodeAt(14) - 48
  const i2 = s.charCodeAt(15) - 48
  const s1 = s.charCodeAt(17) - 48
  const s2 = s.charCodeAt(18) - 48
  if (h1 < 0 || h1 > 9 || h2 < 0 || h2 > 9 || i1 < 0 || i1 > 9 || i2 < 0 || i2 > 9 || s1 < 0 || s1 > 9 || s2 < 0 || s2 > 9) return NaN
  return utc(y, m1 * 10 + m2, d1 * 10 + d2, h1 * 10 + h2, i1 * 10 + i2, s1 * 10 + s2)
}

function isoDate(s: string): number {
  const t = isoFast(s)
  return t === t ? t : isoSlow(s)
}

const isoSlow = ymd('-')
const PARSERS: Record<Exclude<DateFormat, 'parts'>, DateParser> = {
  'YYYY-MM-DD': isoDate,
  'YYYY/MM/DD': ymd('/'),
  'YYYY.MM.DD': ymd('\\.'),
  'MM/DD/YYYY': dmy('/', false),
  'DD/MM/YYYY': dmy('/', true),
  'MM-DD-YYYY': dmy('-', false),
  'DD-MM-YYYY': dmy('-', true),
  'DD.MM.YYYY': dmy('\\.', true),
  'YYYY-MM': ym('-'),
  'YYYY/MM': ym('/'),
  YYYY: (s) => {
    const m = /^(\d{4})$/.exec(s.trim())
    return m ? utc(+m[1], 1, 1) : NaN
  },
  // shampoo style: year-in-series + month; year Y is mapped to 2000 + Y
  'Y-MM': (s) => {
    const m = /^(\d{1,2})-(\d{1,2})$/.exec(s.trim())
    return m ? utc(2000 + +m[1], +m[2], 1) : NaN
  }
}

/** The parser for a fixed format ('parts' has none: use `utc` on the part columns). */
export function dateParser(format: Exclude<DateFormat, 'parts'>): DateParser {
  return PARSERS[format]
}

export interface DateDetection {
  format: Exclude<DateFormat, 'parts'>
  /** Both month-first and day-first read every sampled value: the order needs the user's choice. */
  ambiguous: boolean
  /** Sampled values the format does not read (allowed up to 20 %, reported by the import). */
  misfits: number
  firstMisfit?: string
}

const PARTNER: Partial<Record<DateFormat, Exclude<DateFormat, 'parts'>>> = {
  'MM/DD/YYYY': 'DD/MM/YYYY',
  'DD/MM/YYYY': 'MM/DD/YYYY',
  'MM-DD-YYYY': 'DD-MM-YYYY',
  'DD-MM-YYYY': 'MM-DD-YYYY'
}

/**
 * Find the fixed format that reads the (non-missing) sampled values. Month-first vs day-first is
 * decided by the data: any first field above 12 means day-first, any second field above 12
 * month-first; when neither occurs the result is `ambiguous` (format is then month-first).
 * A format that reads at least 80 % of five or more values is still returned, with `misfits`,
 * so that the import can name the bad cell. A bare `YYYY` only when `allowYear` (column named like a year).
 */
export function detectDateFormat(values: readonly string[], allowYear = false): DateDetection | undefined {
  const n = values.length
  if (n === 0) return undefined
  const formats: Exclude<DateFormat, 'parts'>[] = allowYear ? [...SNIFFED_DATE_FORMATS, 'YYYY'] : SNIFFED_DATE_FORMATS
  let best: Exclude<DateFormat, 'parts'> | undefined
  let bestCount = 0
  const counts = new Map<string, number>()
  for (const f of formats) {
    const p = PARSERS[f]
    let c = 0
    for (const v of values) if (!Number.isNaN(p(v))) c++
    counts.set(f, c)
    if (c > bestCount) {
      best = f
      bestCount = c
    }
  }
  if (best === undefined || !(bestCount === n || (n >= 5 ? bestCount >= 0.8 * n : bestCount >= n - 1))) return undefined
  const partner = PARTNER[best]
  const ambiguous = partner !== undefined && counts.get(partner) === bestCount
  const p = PARSERS[best]
  const firstMisfit = bestCount < n ? values.find((v) => Number.isNaN(p(v))) : undefined
  return { format: best, ambiguous, misfits: n - bestCount, firstMisfit }
}

/** ISO 8601 string of epoch ms; just `YYYY-MM-DD` when `dateOnly`. */
export function isoString(t: number, dateOnly = false): string {
  if (!Number.isFinite(t)) return String(t)
  const s = new Date(t).toISOString()
  return dateOnly ? s.slice(0, 10) : s
}

/** Do all timestamps fall on UTC midnight (a daily or coarser calendar)? */
export function allMidnight(t: Float64Array): boolean {
  for (let i = 0; i < t.length; i++) if (t[i] % 86_400_000 !== 0) return false
  return true
}
