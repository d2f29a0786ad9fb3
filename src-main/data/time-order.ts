/**
 * Time ordering and regularity checks for an imported time column (epoch ms, UTC).
 */
import { allMidnight, isoString } from './dates'

export type TimeOrder = 'ascending' | 'descending' | 'unsorted'

/** Is the column non-decreasing, non-increasing (newest first, e.g. Nasdaq exports) or neither? */
export function timeOrder(t: Float64Array): TimeOrder {
  let up = true
  let down = true
  for (let i = 1; i < t.length && (up || down); i++) {
    if (t[i] < t[i - 1]) up = false
    else if (t[i] > t[i - 1]) down = false
  }
  if (up) return 'ascending'
  return down ? 'descending' : 'unsorted'
}

/** Row permutation that sorts by time, stable for equal timestamps. */
export function sortPermutation(t: Float64Array): Uint32Array {
  const idx = new Uint32Array(t.length)
  for (let i = 0; i < idx.length; i++) idx[i] = i
  idx.sort((a, b) => t[a] - t[b] || a - b)
  return idx
}

export interface TimeReport {
  duplicates: { count: number; examples: string[] }
  gaps: { count: number; examples: { after: string; before: string }[] }
  /** Median step in ms (0 when fewer than two distinct timestamps). */
  medianStep: number
  /** Steps are counted in business days (daily data without weekend timestamps). */
  businessDays: boolean
}

const DAY = 86_400_000
const MAX_EXAMPLES = 5

/** Business days strictly after `a` up to and including `b` (both at UTC midnight or within a day). */
function businessDaysBetween(a: number, b: number): number {
  const da = Math.floor(a / DAY)
  const db = Math.floor(b / DAY)
  let n = 0
  // whole weeks contribute 5 business days each
  const weeks = Math.floor((db - da) / 7)
  n += weeks * 5
  for (let d = da + weeks * 7 + 1; d <= db; d++) {
    const wd = (d + 4) % 7 // 1970-01-01 was a Thursday (4)
    if (wd !== 0 && wd !== 6) n++
  }
  return n
}

/**
 * Duplicate timestamps and gaps in an ascending time column. A gap is a step longer than 1.5×
 * the median step. Daily data with no Saturday/Sunday timestamps (stock prices) is measured in
 * business days, so weekends are not gaps but market holidays are.
 */
export function timeReport(t: Float64Array): TimeReport {
  const n = t.length
  const duplicates = { count: 0, examples: [] as string[] }
  const gaps = { count: 0, examples: [] as { after: string; before: string }[] }
  if (n < 2) return { duplicates, gaps, medianStep: 0, businessDays: false }
  const dateOnly = allMidnight(t)
  const iso = (x: number): string => isoString(x, dateOnly)
  const steps = new Float64Array(n - 1)
  let m = 0
  let weekend = false
  for (let i = 0; i < n; i++) {
    const wd = (Math.floor(t[i] / DAY) + 4) % 7
    if (wd === 0 || wd === 6) weekend = true
    if (i === 0) continue
    const s = t[i] - t[i - 1]
    if (s === 0) {
      duplicates.count++
      if (duplicates.examples.length < MAX_EXAMPLES) duplicates.examples.push(iso(t[i]))
    } else steps[m++] = s
  }
  if (m === 0) return { duplicates, gaps, medianStep: 0, businessDays: false }
  const sorted = steps.subarray(0, m).sort()
  const medianStep = sorted[(m - 1) >> 1] // lower median: with as many long steps as short ones, the short one is the cadence
  const businessDays = !weekend && medianStep === DAY
  for (let i = 1; i < n; i++) {
    const s = t[i] - t[i - 1]
    if (s === 0) continue
    const big = businessDays ? businessDaysBetween(t[i - 1], t[i]) > 1.5 : s > 1.5 * medianStep
    if (big) {
      gaps.count++
      if (gaps.examples.length < MAX_EXAMPLES) gaps.examples.push({ after: iso(t[i - 1]), before: iso(t[i]) })
    }
  }
  return { duplicates, gaps, medianStep, businessDays }
}
