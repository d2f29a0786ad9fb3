import { describe, expect, it } from 'vitest'
import { rowDates } from './date-axis'

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`)

describe('rowDates', () => {
  it('names the date of previewed rows and interpolates between decimated points', () => {
    const f = rowDates([0, 10, 20], [day('2011-01-03'), day('2011-01-13'), day('2011-01-23')])!
    expect(f(10)).toContain('2011-01-13')
    expect(f(15)).toContain('2011-01-18')
    expect(f(-1)).toBe('')
    expect(f(21)).toBe('')
  })
  it('is undefined without timestamps, so the axis keeps row numbers', () => {
    expect(rowDates([0, 1], [])).toBeUndefined()
  })
})
