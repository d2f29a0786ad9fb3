/**
 * "Is 03/04/2020 the 3rd of April or March 4th?": the question the import asks when a time column's
 * sample cannot tell days from months, with the two formats it can answer with.
 */
import type { DateFormat } from '../../../src-shared/dataset-import'

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const DATE = /^\s*(\d{1,2})([/.-])(\d{1,2})[/.-](\d{2,4})/

export interface DateQuestion {
  sample: string
  text: string
  dayFirst: { format: DateFormat; text: string }
  monthFirst: { format: DateFormat; text: string } | null
}

const ordinal = (n: number): string => {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')
  return `${n}${s}`
}

export function dateQuestion(samples: readonly string[]): DateQuestion | null {
  const candidates = samples.filter((s) => DATE.test(s))
  // A sample whose day and month differ makes the question meaningful (01/01 reads the same both ways).
  const sample =
    candidates.find((s) => {
      const m = DATE.exec(s)!
      return Number(m[1]) !== Number(m[3])
    }) ?? candidates[0]
  if (!sample) return null
  const m = DATE.exec(sample)!
  const a = Number(m[1])
  const b = Number(m[3])
  const sep = m[2]
  const year = m[4]
  const dayFirst: DateFormat = sep === '/' ? 'DD/MM/YYYY' : sep === '-' ? 'DD-MM-YYYY' : 'DD.MM.YYYY'
  const monthFirst: DateFormat | null = sep === '/' ? 'MM/DD/YYYY' : sep === '-' ? 'MM-DD-YYYY' : null
  const dayText = `the ${ordinal(a)} of ${MONTHS[b - 1] ?? '?'} ${year}`
  const monthText = `${MONTHS[a - 1] ?? '?'} ${ordinal(b)}, ${year}`
  return {
    sample: sample.trim(),
    text: monthFirst ? `${dayText} or ${monthText}` : dayText,
    dayFirst: { format: dayFirst, text: dayText },
    monthFirst: monthFirst ? { format: monthFirst, text: monthText } : null
  }
}
