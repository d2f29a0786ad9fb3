import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { detectCalendar, futureTimes } from '../../src-shared/calendar'

const iso = (t: number) => new Date(t).toISOString().slice(0, 10)
const day = (s: string) => Date.parse(`${s}T00:00:00Z`)

describe('forecast dates follow the data calendar', () => {
  it('a weekday-only file (yahoo-IBM.csv, last row Friday 2011-12-30): business days, weekends skipped', () => {
    const rows = readFileSync('../shared/data/stocks/yahoo-IBM.csv', 'utf8').trim().split('\n').slice(1)
    const times = rows.map((r) => day(r.split(',')[0]))
    expect(detectCalendar(times)).toEqual({ kind: 'business-days' })
    expect(futureTimes(times, 7).map(iso)).toEqual([
      '2012-01-02',
      '2012-01-03',
      '2012-01-04',
      '2012-01-05',
      '2012-01-06',
      '2012-01-09',
      '2012-01-10'
    ])
  })

  it('daily data with weekends steps one day; monthly data steps calendar months; hourly by the hour', () => {
    const daily = Array.from({ length: 30 }, (_, i) => day('2024-01-01') + i * 86_400_000)
    expect(detectCalendar(daily)).toEqual({ kind: 'fixed', stepMs: 86_400_000 })
    expect(futureTimes(daily, 2).map(iso)).toEqual(['2024-01-31', '2024-02-01'])
    const monthly = ['2023-10-31', '2023-11-30', '2023-12-31', '2024-01-31'].map(day)
    expect(detectCalendar(monthly)).toEqual({ kind: 'months', months: 1 })
    expect(futureTimes(monthly, 2).map(iso)).toEqual(['2024-02-29', '2024-03-31'])
    const hourly = Array.from({ length: 10 }, (_, i) => day('2024-01-01') + i * 3_600_000)
    expect(futureTimes(hourly, 1)).toEqual([hourly[9] + 3_600_000])
  })
})
