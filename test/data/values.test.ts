import { describe, expect, it } from 'vitest'
import { ImportOptions, TextImportOptions } from '../../src-shared/dataset-import'
import { parseNumber, sniffNumberFormat } from '../../src-main/data/csv-values'
import { dateParser, detectDateFormat } from '../../src-main/data/dates'
import { generateGbmStock } from '../../src-main/data/generators'
import { forwardFill, interpolate, isMissing } from '../../src-main/data/missing-values'
import { timeReport } from '../../src-main/data/time-order'

const US = { decimal: '.', thousands: ',' } as const
const EU = { decimal: ',', thousands: '.' } as const

describe('numbers', () => {
  it.each([
    ['1,234.50', US, 1234.5],
    ['$1,234.50', US, 1234.5],
    ['-$5', US, -5],
    ['(1,000)', US, -1000],
    ['12.5%', US, 12.5],
    ['1e3', US, 1000],
    ['1.234,50', EU, 1234.5],
    ['1,5', EU, 1.5],
    ['1.234,50 €', EU, 1234.5],
    ['£7', US, 7]
  ] as const)('%s → %d', (s, f, v) => expect(parseNumber(s, f)).toBe(v))
  it.each(['abc', '1,23,4', '0x1F', '', '1.2.3', 'Infinity'])('%s is not a number', (s) => expect(parseNumber(s, US)).toBeNaN())
  it('sniffs the number format', () => {
    expect(sniffNumberFormat(['1,5', '2,25'], ';')).toMatchObject({ decimal: ',', thousands: '' })
    expect(sniffNumberFormat(['1.234,50', '7'], ';')).toMatchObject({ decimal: ',', thousands: '.' })
    expect(sniffNumberFormat(['$1,234.50', '3.5'], ',')).toMatchObject({ decimal: '.', thousands: ',' })
    expect(sniffNumberFormat(['12.5', '7'], ',')).toMatchObject({ decimal: '.', thousands: '' })
  })
})

describe('missing tokens and fills', () => {
  it.each(['', 'NA', 'na', 'N/A', 'null', 'NULL', 'NaN', '-', ' NA '])('%j is missing', (s) => expect(isMissing(s)).toBe(true))
  it.each(['0', '-1', 'NAN1', 'none'])('%j is not missing', (s) => expect(isMissing(s)).toBe(false))
  it('fills', () => {
    const b = Float64Array.from([NaN, 1, NaN, 3, NaN])
    interpolate(b)
    expect(Array.from(b)).toEqual([1, 1, 2, 3, 3])
    const c = Float64Array.from([NaN, 1, NaN, 3, NaN])
    forwardFill(c)
    expect(Array.from(c)).toEqual([1, 1, 1, 3, 3])
    const x = Float64Array.from([0, 1, 4])
    const d = Float64Array.from([0, NaN, 4])
    interpolate(d, x)
    expect(Array.from(d)).toEqual([0, 1, 4])
    expect(interpolate(Float64Array.from([NaN]))).toBe(false)
  })
})

describe('dates', () => {
  const u = (s: string): number => Date.parse(s)
  it('parses fixed formats and rejects impossible dates', () => {
    expect(dateParser('YYYY-MM-DD')('2020-02-29')).toBe(u('2020-02-29T00:00:00Z'))
    expect(dateParser('YYYY-MM-DD')('2019-02-29')).toBeNaN()
    expect(dateParser('YYYY-MM-DD')('2020-01-01 13:45:10')).toBe(u('2020-01-01T13:45:10Z'))
    expect(dateParser('YYYY-MM-DD')('2020-01-01T13:45:10.250+01:30')).toBe(u('2020-01-01T12:15:10.250Z'))
    expect(dateParser('MM/DD/YYYY')('01/14/2022')).toBe(u('2022-01-14T00:00:00Z'))
    expect(dateParser('DD/MM/YYYY')('14/01/2022')).toBe(u('2022-01-14T00:00:00Z'))
    expect(dateParser('YYYY-MM')('1949-01')).toBe(u('1949-01-01T00:00:00Z'))
    expect(dateParser('Y-MM')('3-12')).toBe(u('2003-12-01T00:00:00Z'))
    expect(dateParser('YYYY-MM-DD')('2020-01-01 24:00:00')).toBeNaN()
  })
  it('detects formats and month/day order from the data', () => {
    expect(detectDateFormat(['01/14/2022', '01/13/2022'])).toMatchObject({ format: 'MM/DD/YYYY', ambiguous: false })
    expect(detectDateFormat(['14/01/2022', '13/01/2022'])).toMatchObject({ format: 'DD/MM/YYYY', ambiguous: false })
    expect(detectDateFormat(['01/02/2022', '03/04/2022'])).toMatchObject({ ambiguous: true })
    expect(detectDateFormat(['1-01', '2-12'])).toMatchObject({ format: 'Y-MM' })
    expect(detectDateFormat(['1999'])).toBeUndefined()
    expect(detectDateFormat(['1999'], true)).toMatchObject({ format: 'YYYY' })
  })
  it('reports weekend-free daily data in business days', () => {
    const days = [
      '2021-01-04',
      '2021-01-05',
      '2021-01-08',
      '2021-01-11',
      '2021-01-12',
      '2021-01-13',
      '2021-01-14',
      '2021-01-15',
      '2021-01-19'
    ].map((d) => Date.parse(`${d}T00:00:00Z`))
    const r = timeReport(Float64Array.from(days))
    expect(r.businessDays).toBe(true)
    expect(r.gaps.count).toBe(2) // Jan 6–7 missing, Mon Jan 18 missing; weekends are not gaps
  })
})

describe('option schemas name the failing field', () => {
  it('rejects unknown fields and bad values', () => {
    const r = ImportOptions.safeParse({ missing: 'guess', colour: 1 })
    expect(r.success).toBe(false)
    const paths = r.error?.issues.map((i) => i.path.join('.') || i.message)
    expect(paths?.join(' ')).toMatch(/missing/)
    expect(JSON.stringify(r.error?.issues)).toMatch(/colour/)
    expect(ImportOptions.parse({})).toEqual({ missing: 'interpolate', categorical: 'onehot' })
    expect(TextImportOptions.parse({})).toEqual({
      encoding: 'auto',
      vocabulary: 'char',
      charUnit: 'codepoint',
      lowercase: false,
      minFrequency: 1
    })
    expect(TextImportOptions.safeParse({ minFrequency: 0 }).success).toBe(false)
  })
})

describe('GBM stock generator', () => {
  const params = { startPrice: 100, drift: 0.05, volatility: 0.2, days: 500, seed: 42 }
  it('is seeded, positive, on business days, with consistent OHLC', () => {
    const a = generateGbmStock(params)
    const b = generateGbmStock(params)
    expect(Array.from(a.close)).toEqual(Array.from(b.close))
    expect(Array.from(generateGbmStock({ ...params, seed: 43 }).close)).not.toEqual(Array.from(a.close))
    expect(a.open[0]).toBe(100)
    for (let i = 0; i < params.days; i++) {
      const wd = new Date(a.date[i]).getUTCDay()
      expect(wd === 0 || wd === 6).toBe(false)
      expect(a.high[i]).toBeGreaterThanOrEqual(Math.max(a.open[i], a.close[i]))
      expect(a.low[i]).toBeLessThanOrEqual(Math.min(a.open[i], a.close[i]))
      expect(a.low[i]).toBeGreaterThan(0)
      expect(Number.isInteger(a.volume[i])).toBe(true)
      if (i > 0) expect(a.date[i]).toBeGreaterThan(a.date[i - 1])
    }
    // daily log-return volatility ≈ σ/√252
    const r = Array.from(a.close.subarray(1), (c, i) => Math.log(c / a.close[i]))
    const mean = r.reduce((s, x) => s + x, 0) / r.length
    const sd = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / r.length)
    expect(sd).toBeGreaterThan(0.008)
    expect(sd).toBeLessThan(0.018)
  })
})
