/**
 * The x range a line chart shows when not zoomed: from the fixed lower end (1 for epochs) or the
 * data's first x, to the fixed upper end (the planned epochs while training) or the data's last x.
 * Chart.js left alone rounds the ends outwards to a tick (3,000 for 2,518 rows), so the chart sets
 * both ends itself.
 */
export interface XRange {
  min: number
  max: number
}

export function xRange(xs: Iterable<readonly number[]>, fixedMin?: number, fixedMax?: number): XRange | null {
  let lo = Infinity
  let hi = -Infinity
  for (const list of xs) {
    for (const x of list) {
      if (!Number.isFinite(x)) continue
      if (x < lo) lo = x
      if (x > hi) hi = x
    }
  }
  if (fixedMin !== undefined) lo = Math.min(lo, fixedMin)
  if (fixedMax !== undefined) hi = Math.max(hi, fixedMax)
  return Number.isFinite(lo) && Number.isFinite(hi) && hi > lo ? { min: lo, max: hi } : null
}

/**
 * The axis's ticks without the round tick next to an end tick when the two sit closer than `minGap`
 * (a fraction of the tick step): with the ends at the data (2,516 beside 2,500), Chart.js keeps both
 * and their labels overlap, the wider the labels (dates) the sooner.
 */
export function thinBoundTicks<T extends { value: number }>(ticks: readonly T[], min: number, max: number, minGap: number): T[] {
  if (ticks.length < 4) return [...ticks]
  const out = [...ticks]
  const step = out[2].value - out[1].value
  const last = out.length - 1
  if (out[last].value === max && out[last].value - out[last - 1].value < minGap * step) out.splice(last - 1, 1)
  if (out[0].value === min && out[1].value - out[0].value < minGap * step) out.splice(1, 1)
  return out
}
