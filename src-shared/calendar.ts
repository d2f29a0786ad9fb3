/**
 * The calendar of a time column, for dates beyond the data: business days when the data is daily and
 * skips weekends (a trading calendar; holidays are not known, so a forecast may land on one), calendar
 * months for monthly data, otherwise the median step between timestamps.
 */

const DAY = 86_400_000

export type Calendar = { kind: 'business-days' } | { kind: 'months'; months: number } | { kind: 'fixed'; stepMs: number }

const weekday = (t: number) => new Date(t).getUTCDay() // 0 Sunday … 6 Saturday
const isWeekend = (t: number) => weekday(t) === 0 || weekday(t) === 6

/** The median of the last (up to 1,000) steps of a time column. */
function medianStep(times: ArrayLike<number>): number {
  const n = Math.min(times.length - 1, 1000)
  const diffs = Array.from({ length: n }, (_, i) => times[times.length - 1 - i] - times[times.length - 2 - i]).sort((a, b) => a - b)
  return diffs[Math.floor(diffs.length / 2)]
}

export function detectCalendar(times: ArrayLike<number>): Calendar | null {
  if (times.length < 2) return null
  const step = medianStep(times)
  if (!(step > 0)) return null
  if (step === DAY) {
    let weekendRows = 0
    for (let i = 0; i < times.length; i++) if (isWeekend(times[i])) weekendRows++
    // Daily rows, none on a Saturday or Sunday, over at least two weeks: a business-day calendar.
    if (weekendRows === 0 && times[times.length - 1] - times[0] >= 14 * DAY) return { kind: 'business-days' }
  }
  const months = Math.round(step / (30.44 * DAY))
  if (months >= 1 && Math.abs(step - months * 30.44 * DAY) <= 3 * DAY * months) return { kind: 'months', months }
  return { kind: 'fixed', stepMs: step }
}

function addMonths(t: number, months: number, day: number): number {
  const d = new Date(t)
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth() + months
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return Date.UTC(y, m, Math.min(day, last), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds())
}

/** The next `n` timestamps after the last one, following the data's own calendar. */
export function futureTimes(times: ArrayLike<number>, n: number): number[] {
  const calendar = detectCalendar(times)
  if (!calendar) return []
  const out: number[] = []
  let t = times[times.length - 1]
  const dayOfMonth = new Date(t).getUTCDate()
  for (let i = 0; i < n; i++) {
    if (calendar.kind === 'business-days') {
      do t += DAY
      while (isWeekend(t))
    } else if (calendar.kind === 'months') t = addMonths(t, calendar.months, dayOfMonth)
    else t += calendar.stepMs
    out.push(t)
  }
  return out
}

export function calendarLabel(c: Calendar | null): string {
  if (!c) return 'no time column'
  if (c.kind === 'business-days') return 'business days (weekends skipped; holidays not known)'
  if (c.kind === 'months') return c.months === 1 ? 'monthly' : `every ${c.months} months`
  return `every ${formatStep(c.stepMs)}`
}

function formatStep(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY} day${ms === DAY ? '' : 's'}`
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`
  if (ms % 60_000 === 0) return `${ms / 60_000} min`
  return `${ms / 1000} s`
}
