import { describe, expect, it } from 'vitest'
import { dateQuestion } from './date-question'

describe('dateQuestion', () => {
  it('asks about a sample whose day and month differ, with both answers', () => {
    const q = dateQuestion(['01/01/2020', '03/04/2020'])
    expect(q?.sample).toBe('03/04/2020')
    expect(q?.text).toBe('the 3rd of April 2020 or March 4th, 2020')
    expect(q?.dayFirst.format).toBe('DD/MM/YYYY')
    expect(q?.monthFirst?.format).toBe('MM/DD/YYYY')
  })

  it('offers day-first only for dotted dates, and nothing without a date sample', () => {
    expect(dateQuestion(['12.11.2021'])?.monthFirst).toBeNull()
    expect(dateQuestion(['2021-11-12', 'n/a'])).toBeNull()
  })
})
