/**
 * After the fast pass of a CSV import: the rows as columns (time first), then rows without a timestamp
 * dropped, time order (newest-first reversed, unsorted sorted), missing values dropped or filled, and
 * the output columns with categories one-hot encoded.
 */
import type { ColumnRole, MissingStrategy } from '../../src-shared/dataset-import'
import { columnWhere, MAX_CATEGORIES, type ColumnPlan } from './csv-plan'
import { ImportError } from './import-error'
import { forwardFill, interpolate } from './missing-values'
import { sortPermutation, timeOrder, timeReport } from './time-order'

export interface ImportedColumn {
  name: string
  type: 'number' | 'time'
  role: Exclude<ColumnRole, 'ignored'>
  /** Time columns: epoch ms (UTC). One-hot columns: 0/1. */
  values: Float64Array
}

/** The imported rows: time column first (when present), then numeric, then category codes. */
export interface Table {
  cols: Float64Array[]
  rows: number
  droppedRows: number
  warnings: string[]
}

export function tableOf(plan: ColumnPlan, rows: number, warnings: string[]): Table {
  const cols = [
    ...(plan.hasTime ? [plan.time.subarray(0, rows)] : []),
    ...plan.nums.map((p) => p.values.subarray(0, rows)),
    ...plan.cats.map((p) => p.codes.subarray(0, rows))
  ]
  return { cols, rows, droppedRows: 0, warnings }
}

/** Missing values per column (time included) and values too large to be numbers, with their warnings. */
export function missingReport(plan: ColumnPlan, table: Table, strategy: MissingStrategy) {
  const missing: Record<string, number> = {}
  if (plan.timeName !== undefined) missing[plan.timeName] = plan.timeMissing
  for (const p of plan.nums) missing[p.col.name] = p.missing
  for (const p of plan.cats) missing[p.col.name] = p.missing
  const invalid: Record<string, number> = {}
  for (const p of plan.nums.filter((p) => p.invalid > 0)) {
    invalid[p.col.name] = p.invalid
    table.warnings.push(
      `Column "${p.col.name}": ${p.invalid} value(s) too large to be a number (e.g. ${JSON.stringify(p.invalidExample)}) were treated as missing (${strategy}).`
    )
  }
  return { missing, invalid }
}

function keepRows(table: Table, keep: Uint8Array, count: number): void {
  table.cols = table.cols.map((c) => {
    const out = new Float64Array(count)
    let w = 0
    for (let i = 0; i < table.rows; i++) if (keep[i]) out[w++] = c[i]
    return out
  })
  table.droppedRows += table.rows - count
  table.rows = count
}

export function dropRowsWithoutTime(table: Table, plan: ColumnPlan): void {
  if (!plan.hasTime || plan.timeMissing === 0) return
  const keep = new Uint8Array(table.rows)
  let c = 0
  const time = table.cols[0]
  for (let i = 0; i < table.rows; i++) {
    if (time[i] !== time[i]) continue // NaN: no timestamp
    keep[i] = 1
    c++
  }
  keepRows(table, keep, c)
  table.warnings.push(`${plan.timeMissing} row(s) without a timestamp were dropped.`)
}

/** Puts rows in ascending time order; says whether the file was newest-first, with duplicates and gaps. */
export function orderByTime(table: Table, plan: ColumnPlan): { descending: boolean; report?: ReturnType<typeof timeReport> } {
  if (!plan.hasTime || table.rows === 0) return { descending: false }
  const order = timeOrder(table.cols[0])
  if (order === 'descending') for (const c of table.cols) c.reverse()
  else if (order === 'unsorted') {
    const perm = sortPermutation(table.cols[0])
    table.cols = table.cols.map((c) => {
      const out = new Float64Array(table.rows)
      for (let i = 0; i < table.rows; i++) out[i] = c[perm[i]]
      return out
    })
    table.warnings.push('Rows were not in time order; they have been sorted by time.')
  }
  const report = timeReport(table.cols[0])
  if (report.duplicates.count > 0)
    table.warnings.push(`${report.duplicates.count} duplicate timestamp(s), e.g. ${report.duplicates.examples[0]}.`)
  return { descending: order === 'descending', report }
}

/** Drops rows with a missing value, or fills them (forward, or interpolated over time or position). */
export function fillMissing(path: string, table: Table, plan: ColumnPlan, strategy: MissingStrategy): void {
  const off = plan.hasTime ? 1 : 0
  const valueCols = table.cols.slice(off)
  if (strategy === 'drop') {
    const keep = new Uint8Array(table.rows)
    let c = 0
    for (let i = 0; i < table.rows; i++) {
      let ok = 1
      for (const v of valueCols) if (v[i] !== v[i]) ok = 0
      keep[i] = ok
      c += ok
    }
    if (c < table.rows) keepRows(table, keep, c)
  } else {
    const x = plan.hasTime && strategy === 'interpolate' ? table.cols[0] : undefined
    valueCols.forEach((v, q) => {
      const isCat = q >= plan.nums.length
      const ok = strategy === 'ffill' || isCat ? forwardFill(v) : interpolate(v, x)
      if (!ok && !isCat) {
        const p = plan.nums[q]
        throw new ImportError('NO_NUMBERS', path, `chosen as ${p.col.role} but every value is missing`, columnWhere(p.col))
      }
    })
  }
  if (table.rows === 0) throw new ImportError('NO_DATA', path, `no rows left after dropping rows with missing values (missing: 'drop')`)
}

/** The time column, then numeric and one-hot columns in file order; categories with too many values excluded. */
export function outputColumns(table: Table, plan: ColumnPlan): { columns: ImportedColumn[]; categories: Record<string, string[]> } {
  const off = plan.hasTime ? 1 : 0
  const byIndex: { index: number; cols: ImportedColumn[] }[] = plan.nums.map((p, q) => ({
    index: p.col.index,
    cols: [{ name: p.col.name, type: 'number', role: p.col.role as 'feature' | 'target', values: table.cols[off + q] }]
  }))
  const categories: Record<string, string[]> = {}
  plan.cats.forEach((p, q) => {
    if (p.overflow) {
      table.warnings.push(`Column "${p.col.name}" has more than ${MAX_CATEGORIES} categories; it was excluded.`)
      return
    }
    const codes = table.cols[off + plan.nums.length + q]
    const sorted = [...p.names].sort()
    categories[p.col.name] = sorted
    byIndex.push({ index: p.col.index, cols: sorted.map((name) => oneHot(`${p.col.name}=${name}`, codes, p.map.get(name) as number)) })
  })
  byIndex.sort((a, b) => a.index - b.index)
  const time: ImportedColumn[] =
    plan.hasTime && plan.timeName !== undefined ? [{ name: plan.timeName, type: 'time', role: 'time', values: table.cols[0] }] : []
  return { columns: [...time, ...byIndex.flatMap((b) => b.cols)], categories }
}

function oneHot(name: string, codes: Float64Array, code: number): ImportedColumn {
  const v = new Float64Array(codes.length)
  for (let i = 0; i < codes.length; i++) v[i] = codes[i] === code ? 1 : 0
  return { name, type: 'number', role: 'categorical', values: v }
}
