/** Dates for the x axis of charts whose x values are data rows: from a (possibly decimated) preview, or exact. */
import { fmtTimestamp } from './format'

/**
 * The date of any row between the preview's points, interpolated from their timestamps (epoch ms); ''
 * outside the previewed rows. Undefined when there are no timestamps (the axis keeps its row numbers).
 */
export function rowDates(index: readonly number[], times: readonly (number | null)[]): ((row: number) => string) | undefined {
  if (!index.length || !times.length) return undefined
  return (x) => {
    if (x < index[0] || x > index[index.length - 1]) return ''
    let k = index.findIndex((i) => i >= x)
    if (k < 0) k = index.length - 1
    const a = Math.max(0, k - 1)
    const span = index[k] - index[a]
    const ta = times[a] ?? 0
    const tb = times[k] ?? 0
    return fmtTimestamp(span > 0 ? ta + ((tb - ta) * (x - index[a])) / span : tb)
  }
}
