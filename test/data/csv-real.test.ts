import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importCsv } from '../../src-main/data/csv-import'
import { previewCsv } from '../../src-main/data/csv-preview'

const DATA = join(__dirname, '../../../shared/data')
const file = (p: string): string => join(DATA, p)
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`)

function col(r: Awaited<ReturnType<typeof importCsv>>, name: string): Float64Array {
  const c = r.columns.find((x) => x.name === name)
  if (!c) throw new Error(`no column ${name}`)
  return c.values
}
function ascending(t: Float64Array): boolean {
  for (let i = 1; i < t.length; i++) if (!(t[i] > t[i - 1])) return false
  return true
}

const yahoo: [string, number, number][] = [
  // symbol, first Close, last Close
  ['AAPL', 11.971429, 57.857143],
  ['BAC', 53.330002, 5.56],
  ['GLD', 62.279999, 151.990005],
  ['GOOG', 232.921951, 321.744019],
  ['IBM', 97.269997, 183.880005],
  ['XOM', 74.110001, 84.760002]
]

describe('real stock files', () => {
  it.each(yahoo)('yahoo-%s.csv: ISO dates, ascending, 1260 rows', async (sym, first, last) => {
    const p = await previewCsv(file(`stocks/yahoo-${sym}.csv`))
    expect(p).toMatchObject({ delimiter: ',', hasHeader: true, decimal: '.', bom: false, lineEnding: 'lf', dateOrderAmbiguous: false })
    expect(p.columns.map((c) => c.name)).toEqual(['Date', 'Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume'])
    expect(p.columns[0]).toMatchObject({ inferredType: 'time', role: 'time', dateFormat: 'YYYY-MM-DD' })
    expect(p.columns.find((c) => c.name === 'Close')?.role).toBe('target')
    expect(p.firstRows).toHaveLength(20)
    const r = await importCsv(file(`stocks/yahoo-${sym}.csv`))
    // the README says 1,259; the files hold 1,260 trading days (2007-01-03 … 2011-12-30)
    expect(r.rows).toBe(1260)
    expect(r.descending).toBe(false)
    expect(r.timeRange).toEqual({ start: '2007-01-03', end: '2011-12-30' })
    expect(ascending(col(r, 'Date'))).toBe(true)
    expect(col(r, 'Close')[0]).toBeCloseTo(first, 6)
    expect(col(r, 'Close')[1259]).toBeCloseTo(last, 6)
    expect(r.duplicates.count).toBe(0)
    // business-day calendar: weekends are not gaps, market holidays are (~9 a year)
    expect(r.gaps.count).toBeGreaterThan(30)
    expect(r.gaps.count).toBeLessThan(60)
    expect(Object.values(r.missing).every((m) => m === 0)).toBe(true)
  })

  it.each([
    ['MSFT', 28.255, 310.2],
    ['NVDA', 3.38, 269.42],
    ['TSLA', 5.32, 1049.61]
  ])('nasdaq-%s.csv: MM/DD/YYYY newest first is reversed to ascending', async (sym, first, last) => {
    const p = await previewCsv(file(`stocks/nasdaq-${sym}.csv`))
    expect(p.columns[0]).toMatchObject({ name: 'Date', inferredType: 'time', dateFormat: 'MM/DD/YYYY' })
    expect(p.dateOrderAmbiguous).toBe(false)
    expect(p.columns[1]).toMatchObject({ name: 'Close/Last', role: 'target' })
    expect(p.columns[1].unit).toBeUndefined() // these exports carry no `$`
    const r = await importCsv(file(`stocks/nasdaq-${sym}.csv`))
    expect(r.rows).toBe(2518)
    expect(r.descending).toBe(true)
    expect(r.timeRange).toEqual({ start: '2012-01-17', end: '2022-01-14' })
    expect(ascending(col(r, 'Date'))).toBe(true)
    expect(col(r, 'Date')[0]).toBe(day('2012-01-17'))
    expect(col(r, 'Close/Last')[0]).toBeCloseTo(first, 6)
    expect(col(r, 'Close/Last')[2517]).toBeCloseTo(last, 6)
    expect(r.columns.map((c) => c.name)).toEqual(['Date', 'Close/Last', 'Volume', 'Open', 'High', 'Low'])
    // What it was read with, sniffed, is kept for the dataset page ("Read with").
    expect(r.readWith).toEqual({
      encoding: 'utf-8',
      delimiter: ',',
      hasHeader: true,
      decimal: '.',
      thousands: '',
      dateFormat: 'MM/DD/YYYY'
    })
  })
})

describe('real series files', () => {
  it('airline-passengers.csv: quoted header, YYYY-MM, CRLF', async () => {
    const p = await previewCsv(file('series/airline-passengers.csv'))
    expect(p).toMatchObject({ hasHeader: true, lineEnding: 'crlf', rowEstimate: 144, rowEstimateExact: true })
    expect(p.columns[0]).toMatchObject({ name: 'Month', dateFormat: 'YYYY-MM' })
    const r = await importCsv(file('series/airline-passengers.csv'))
    expect(r.rows).toBe(144)
    expect(r.timeRange).toEqual({ start: '1949-01-01', end: '1960-12-01' })
    expect(col(r, 'Passengers')[0]).toBe(112)
    expect(col(r, 'Passengers')[143]).toBe(432)
    expect(r.gaps.count).toBe(0)
  })

  it('daily-min-temperatures.csv: 3650 days; the two missing leap-year Dec 31sts are gaps', async () => {
    const r = await importCsv(file('series/daily-min-temperatures.csv'))
    expect(r.rows).toBe(3650)
    expect(r.timeRange).toEqual({ start: '1981-01-01', end: '1990-12-31' })
    expect(col(r, 'Temp')[0]).toBe(20.7)
    expect(col(r, 'Temp')[3649]).toBe(13)
    expect(r.gaps).toEqual({
      count: 2,
      examples: [
        { after: '1984-12-30', before: '1985-01-01' },
        { after: '1988-12-30', before: '1989-01-01' }
      ]
    })
  })

  it('monthly-sunspots.csv: 2820 months', async () => {
    const r = await importCsv(file('series/monthly-sunspots.csv'))
    expect(r.rows).toBe(2820)
    expect(r.timeRange).toEqual({ start: '1749-01-01', end: '1983-12-01' })
    expect(col(r, 'Sunspots')[0]).toBe(58)
    expect(col(r, 'Sunspots')[2819]).toBe(33.4)
    expect(ascending(col(r, 'Month'))).toBe(true)
  })

  it('shampoo.csv: "1-01" … "3-12" read as 2001-01 … 2003-12', async () => {
    const p = await previewCsv(file('series/shampoo.csv'))
    expect(p.columns[0]).toMatchObject({ inferredType: 'time', dateFormat: 'Y-MM' })
    expect(p.warnings.join(' ')).toMatch(/2001/)
    const r = await importCsv(file('series/shampoo.csv'))
    expect(r.rows).toBe(36)
    expect(r.timeRange).toEqual({ start: '2001-01-01', end: '2003-12-01' })
    expect(col(r, 'Sales')[0]).toBe(266)
    expect(col(r, 'Sales')[35]).toBe(646.9)
  })

  it('nasdaq-MSFT.csv preview: the exact row count, parsed first values, newest first shown before import', async () => {
    const p = await previewCsv(file('stocks/nasdaq-MSFT.csv'))
    const r = await importCsv(file('stocks/nasdaq-MSFT.csv'))
    expect(p).toMatchObject({ rowEstimate: r.rows, rowEstimateExact: true, timeOrder: 'descending' })
    expect(r.descending).toBe(true)
    expect(p.firstRows[0]).toEqual(['01/14/2022', '310.2', '39846410', '304.25', '310.82', '303.75'])
    expect(p.firstValues[0]).toEqual(['2022-01-14', 310.2, 39846410, 304.25, 310.82, 303.75])
  })

  it('pollution.csv: year/month/day/hour parts, NA values, categorical cbwd', async () => {
    const p = await previewCsv(file('series/pollution.csv'))
    expect(p.dateParts).toEqual({ year: 'year', month: 'month', day: 'day', hour: 'hour' })
    const roles = Object.fromEntries(p.columns.map((c) => [c.name, c.role]))
    expect(roles).toMatchObject({ No: 'ignored', year: 'time', 'pm2.5': 'target', DEWP: 'feature', cbwd: 'categorical' })
    expect(p.columns.find((c) => c.name === 'pm2.5')?.missing).toBe(24) // first day is NA in the head sample
    // counted over the whole file, not estimated from the head
    expect(p).toMatchObject({ rowEstimate: 43824, rowEstimateExact: true })

    const r = await importCsv(file('series/pollution.csv'))
    expect(r.rows).toBe(43824)
    expect(r.timeColumn).toBe('time')
    expect(r.timeRange).toEqual({ start: '2010-01-01T00:00:00.000Z', end: '2014-12-31T23:00:00.000Z' })
    expect(r.missing['pm2.5']).toBe(2067)
    expect(r.missingStrategy).toBe('interpolate')
    expect(r.gaps.count).toBe(0)
    expect(r.duplicates.count).toBe(0)
    expect(r.categories).toEqual({ cbwd: ['NE', 'NW', 'SE', 'cv'] })
    expect(r.columns.map((c) => c.name)).toEqual([
      'time',
      'pm2.5',
      'DEWP',
      'TEMP',
      'PRES',
      'cbwd=NE',
      'cbwd=NW',
      'cbwd=SE',
      'cbwd=cv',
      'Iws',
      'Is',
      'Ir'
    ])
    const pm = col(r, 'pm2.5')
    expect(pm.every((v) => Number.isFinite(v))).toBe(true)
    expect(pm[0]).toBe(129) // leading NA hours back-filled from the first reading (row 25)
    expect(pm[43823]).toBe(12)
    const oneHot = ['cbwd=NE', 'cbwd=NW', 'cbwd=SE', 'cbwd=cv'].map((n) => col(r, n))
    for (let i = 0; i < r.rows; i += 997) expect(oneHot.reduce((s, c) => s + c[i], 0)).toBe(1)
    expect(col(r, 'cbwd=NW')[0]).toBe(1)

    const dropped = await importCsv(file('series/pollution.csv'), { missing: 'drop', categorical: 'exclude' })
    expect(dropped.rows).toBe(43824 - 2067)
    expect(dropped.droppedRows).toBe(2067)
    expect(dropped.categories).toBeUndefined()
    expect(dropped.columns.some((c) => c.name.startsWith('cbwd'))).toBe(false)
  })
})
