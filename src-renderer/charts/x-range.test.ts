import { describe, expect, it } from 'vitest'
import { thinBoundTicks, xRange } from './x-range'

describe('the x range of a line chart', () => {
  it("ends at the data's last x, not at a rounded tick beyond it (2,518 rows: 0–2,517, not 3,000)", () => {
    const index = Array.from({ length: 2518 }, (_, i) => i)
    expect(xRange([index])).toEqual({ min: 0, max: 2517 })
  })

  it('spans all series, skips non-finite x, and widens to the fixed ends (1 for epochs, the planned epochs)', () => {
    expect(
      xRange([
        [3, 4, NaN],
        [2, 7]
      ])
    ).toEqual({ min: 2, max: 7 })
    expect(xRange([[1, 2, 3]], 1, 20)).toEqual({ min: 1, max: 20 })
    expect(xRange([[0.25, 0.5]], 0)).toEqual({ min: 0, max: 0.5 })
  })

  it('is null with fewer than two distinct x values (Chart.js picks the axis)', () => {
    expect(xRange([])).toBeNull()
    expect(xRange([[1]], 1)).toBeNull()
  })
})

describe('the end ticks of an axis that ends at the data', () => {
  const ticks = (...values: number[]) => values.map((value) => ({ value }))

  it('drop the round tick crowding an end tick, by the gap given (wider for dates)', () => {
    // 0 … 2,500 and the end 2,516: 2,500 is 16 / 500 of a step away, so it goes.
    expect(thinBoundTicks(ticks(0, 500, 1000, 1500, 2000, 2500, 2516), 0, 2516, 0.5)).toEqual(ticks(0, 500, 1000, 1500, 2000, 2516))
    // A start at 3 beside 5 (a step of 5): 5 goes; the end 40 is a round tick and stays.
    expect(thinBoundTicks(ticks(3, 5, 10, 15, 20, 40), 3, 40, 0.5)).toEqual(ticks(3, 10, 15, 20, 40))
    // Six of seven days between the last date tick and the end: apart enough for numbers, not for dates.
    expect(thinBoundTicks(ticks(0, 7, 14, 20), 0, 20, 0.5)).toEqual(ticks(0, 7, 14, 20))
    expect(thinBoundTicks(ticks(0, 7, 14, 20), 0, 20, 1)).toEqual(ticks(0, 7, 20))
  })

  it('leave the ticks of a zoomed view (no end ticks) and short lists alone', () => {
    expect(thinBoundTicks(ticks(10, 20, 30, 40), 8, 41, 1)).toEqual(ticks(10, 20, 30, 40))
    expect(thinBoundTicks(ticks(0, 1, 1.2), 0, 1.2, 1)).toEqual(ticks(0, 1, 1.2))
  })
})
