/**
 * Number parsing for CSV cells: decimal point or comma, thousands separators, currency signs and
 * percent. Percent values keep the number as written (`12.5%` → 12.5, not 0.125): the value the
 * user sees in the file is the value they see in charts, and models normalize scales anyway.
 * Negative numbers may be written `-5`, `−5` (U+2212), `$-5`, `-$5` or in accounting style `(5)`.
 */
import type { CsvDelimiter, DecimalSeparator, ThousandsSeparator } from '../../src-shared/dataset-import'

export interface NumberFormat {
  decimal: DecimalSeparator
  thousands: ThousandsSeparator
}

const PLAIN = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/
const UNSIGNED = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/
const CURRENCY = '$€£¥'
const SPACES = /[ \u00a0\u202f]/g

/** True when the cell carries a currency sign or a percent sign around a number. */
export function numberUnit(raw: string): 'currency' | 'percent' | undefined {
  const s = raw.trim()
  if (s.endsWith('%')) return 'percent'
  for (const c of CURRENCY) if (s.includes(c)) return 'currency'
  return undefined
}

/** Parse one cell as a number in the given format. Returns NaN when it is not a number. */
export function parseNumber(raw: string, fmt: NumberFormat): number {
  if (fmt.decimal === '.' && isPlainDecimal(raw)) return +raw
  return parseSlow(raw, fmt)
}

/** `-12.5`, `7`, `.5`: digits with at most one point and an optional leading minus (fast path). */
function isPlainDecimal(s: string): boolean {
  const n = s.length
  if (n === 0 || n > 20) return false
  let i = s.charCodeAt(0) === 45 ? 1 : 0
  let digits = 0
  let dot = false
  for (; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) digits++
    else if (c === 46 && !dot) dot = true
    else return PLAIN.test(s)
  }
  return digits > 0
}

function parseSlow(raw: string, fmt: NumberFormat): number {
  let s = raw.trim()
  if (s.length === 0) return NaN
  let neg = false
  if (s[0] === '(' && s[s.length - 1] === ')') {
    neg = true
    s = s.slice(1, -1).trim()
  }
  const takeSign = (): void => {
    const c = s[0]
    if (c === '-' || c === '\u2212') {
      neg = !neg
      s = s.slice(1).trim()
    } else if (c === '+') s = s.slice(1).trim()
  }
  takeSign()
  if (s.length > 0 && CURRENCY.includes(s[0])) {
    s = s.slice(1).trim()
    takeSign()
  }
  const last = s[s.length - 1]
  if (last === '%' || (last !== undefined && CURRENCY.includes(last))) s = s.slice(0, -1).trim()
  if (s.length === 0) return NaN
  s = stripThousands(s, fmt)
  if (s === '') return NaN
  if (fmt.decimal === ',') {
    if (s.includes('.')) return NaN
    s = s.replace(',', '.')
  }
  if (!UNSIGNED.test(s)) return NaN
  const v = +s
  return neg ? -v : v
}

/** Remove a thousands separator when it groups digits in threes; '' when the grouping is wrong. */
function stripThousands(s: string, fmt: NumberFormat): string {
  const t = fmt.thousands
  if (t === '') return s
  if (t === ' ') {
    if (!/[ \u00a0\u202f]/.test(s)) return s
    if (!/^\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d*)?$/.test(s)) return ''
    return s.replace(SPACES, '')
  }
  if (!s.includes(t)) return s
  const d = fmt.decimal === '.' ? '\\.' : ','
  const g = t === '.' ? '\\.' : t
  if (!new RegExp(`^\\d{1,3}(?:${g}\\d{3})+(?:${d}\\d*)?$`).test(s)) return ''
  return s.split(t).join('')
}

/** Could this cell be a number in some format (digits with separators, sign, currency, percent)? */
export function looksNumeric(raw: string): boolean {
  return /^\s*\(?\s*[-+\u2212]?\s*[$€£¥]?\s*[-+\u2212]?\s*[\d.,' \u00a0\u202f]*\d[\d.,' \u00a0\u202f]*(?:[eE][-+]?\d+)?\s*[%$€£¥]?\s*\)?\s*$/.test(
    raw
  )
}

/**
 * Decide the decimal and thousands separators from sampled numeric-looking cells.
 * Evidence: a value with both `.` and `,` (the last one is the decimal separator); `1,5` or `0,123`
 * (decimal comma); `1.5` or `0.123` (decimal point); `1,234,567` / `1.234.567` (thousands).
 * `1,234` alone is ambiguous: read as thousands unless the delimiter is `;` (European files).
 */
export function sniffNumberFormat(cells: readonly string[], delimiter: CsvDelimiter): NumberFormat & { warnings: string[] } {
  let decComma = 0
  let decDot = 0
  let ambigComma = 0
  let ambigDot = 0
  let space = 0
  let apos = 0
  for (const raw of cells) {
    if (!looksNumeric(raw)) continue
    const s = raw.replace(/[^\d.,' \u00a0\u202f]/g, '').trim()
    const hasDot = s.includes('.')
    const hasComma = s.includes(',')
    if (/^\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d*)?$/.test(s)) space++
    if (/^\d{1,3}(?:'\d{3})+(?:[.,]\d*)?$/.test(s)) apos++
    if (hasDot && hasComma) {
      if (s.lastIndexOf(',') > s.lastIndexOf('.')) decComma++
      else decDot++
    } else if (hasComma) {
      if (/^\d{1,3}(?:,\d{3}){2,}$/.test(s))
        decDot++ // 1,234,567: comma groups, so '.' is the decimal
      else if (/^[1-9]\d{0,2},\d{3}$/.test(s)) ambigComma++
      else if (/^\d*,\d+$/.test(s)) decComma++
    } else if (hasDot) {
      if (/^\d{1,3}(?:\.\d{3}){2,}$/.test(s)) decComma++
      else if (/^[1-9]\d{0,2}\.\d{3}$/.test(s)) ambigDot++
      else if (/^\d*\.\d+$/.test(s)) decDot++
    }
  }
  const warnings: string[] = []
  let decimal: DecimalSeparator
  if (decComma > 0 && decDot === 0) decimal = ','
  else if (decDot > 0 && decComma === 0) decimal = '.'
  else if (decComma > 0 && decDot > 0) {
    decimal = decComma > decDot ? ',' : '.'
    warnings.push(`Numbers mix decimal points and decimal commas; reading "${decimal}" as the decimal separator.`)
  } else if (ambigComma > 0 && delimiter !== ',') {
    decimal = ','
    warnings.push('Numbers like "1,234" could use a decimal comma or a thousands comma; reading the comma as decimal.')
  } else decimal = '.'
  let thousands: ThousandsSeparator = ''
  if (decimal === '.' && (ambigComma > 0 || cells.some((c) => /\d,\d{3}(?:\D|$)/.test(c) && looksNumeric(c)))) thousands = ','
  else if (decimal === ',' && (ambigDot > 0 || cells.some((c) => /\d\.\d{3}(?:\D|$)/.test(c) && looksNumeric(c)))) thousands = '.'
  else if (space > 0) thousands = ' '
  else if (apos > 0) thousands = "'"
  return { decimal, thousands, warnings }
}
