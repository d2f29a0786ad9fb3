/**
 * The numbers behind a line chart as table rows (its text alternative, the "Show data" disclosure):
 * one row per x value present in any column, in x order, one cell per column, empty where a column
 * has no value at that x.
 */
import { fmtNum } from '../lib/format'

export interface TableColumn {
  label: string
  x: readonly number[]
  y: readonly (number | null)[]
}

export function chartTable(columns: readonly TableColumn[], fmtX: (x: number) => string): string[][] {
  const byX = new Map<number, (number | null)[]>()
  columns.forEach((c, j) => {
    const n = Math.min(c.x.length, c.y.length)
    for (let i = 0; i < n; i++) {
      let row = byX.get(c.x[i])
      if (!row) byX.set(c.x[i], (row = columns.map(() => null)))
      row[j] = c.y[i]
    }
  })
  const xs = [...byX.keys()].sort((a, b) => a - b)
  return xs.map((x) => [fmtX(x), ...byX.get(x)!.map((y) => fmtNum(y))])
}
