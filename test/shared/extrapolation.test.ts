import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkExtrapolation, rangeSentence } from '../../src-shared/extrapolation'

const split = { train: 0.7, val: 0.15, test: 0.15 }

function closes(file: string, column: string): Float64Array {
  const [head, ...rows] = readFileSync(file, 'utf8').trim().split('\n')
  const col = head.split(',').indexOf(column)
  const v = rows.map((r) => Number(r.split(',')[col].replace('$', '')))
  return Float64Array.from(v)
}

describe('extrapolation check', () => {
  it('IBM closes: the test prices lie above the training maximum; log returns offered first, and they fix it', () => {
    const close = closes('../shared/data/stocks/yahoo-IBM.csv', 'Close')
    const c = checkExtrapolation(close, { transform: 'none', split, scaling: 'minmax' })
    expect(c.trainMax).toBeCloseTo(134.1, 1)
    expect(c.test.max).toBeCloseTo(194.6, 1)
    expect(c.test.above).toBe(1)
    expect(c.warn).toBe(true)
    expect(c.fixes.map((f) => f.patch)).toEqual([{ transform: 'logReturns' }, { scaling: 'zscore' }])
    expect(rangeSentence(c)).toMatch(/100 % of the test values \(above the training maximum 134\.1, up to 194\.6\)/)
    const r = checkExtrapolation(close, { transform: 'logReturns', split, scaling: 'minmax' })
    expect(r.warn).toBe(false)
    expect(r.test.above + r.test.below).toBeLessThan(0.05)
  })

  it('a stationary series inside its training range: no warning, no fixes', () => {
    const sine = Float64Array.from({ length: 500 }, (_, i) => Math.sin(i / 5))
    const c = checkExtrapolation(sine, { transform: 'none', split, scaling: 'minmax' })
    expect(c.warn).toBe(false)
    expect(c.fixes).toEqual([])
  })
})
