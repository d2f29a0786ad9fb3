import { describe, expect, it } from 'vitest'
import { chartTable } from './chart-table'

describe("a line chart's data table", () => {
  it('has one row per x in order and an empty cell where a column has no value there', () => {
    const rows = chartTable(
      [
        { label: 'train', x: [2, 1, 3], y: [0.2, 0.5, 0.1] },
        { label: 'val', x: [1, 3], y: [0.6, null] }
      ],
      String
    )
    expect(rows).toEqual([
      ['1', '0.5', '0.6'],
      ['2', '0.2', '—'],
      ['3', '0.1', '—']
    ])
  })
})
