/**
 * Missing-value tokens and the strategies that fill them.
 *
 * Missing: empty, `NA`, `N/A`, `#N/A`, `null`, `NaN`, `-` (case-insensitive, surrounding spaces ignored).
 * In numeric columns a missing value is stored as NaN until a strategy fills it:
 * - 'drop': rows with a missing value in any kept column are removed;
 * - 'ffill': each gap takes the previous valid value;
 * - 'interpolate': linear between the neighbouring valid values, in time when there is a time
 *   column (so uneven steps are respected), else in row order.
 * Leading gaps (before the first valid value) are back-filled with the first valid value for
 * 'ffill' and 'interpolate', and trailing gaps for 'interpolate' are forward-filled: no rows are lost.
 */
const TOKENS = new Set(['', 'na', 'n/a', '#n/a', 'null', 'nan', '-'])

/** Is this raw cell a missing value? */
export function isMissing(raw: string): boolean {
  const n = raw.length
  if (n === 0) return true
  const c0 = raw.charCodeAt(0)
  // fast exit for the common case: starts with a digit or a sign followed by something
  if (c0 >= 48 && c0 <= 57) return false
  if (n > 4) {
    const cl = raw.charCodeAt(n - 1)
    if (c0 === 32 || c0 === 9 || cl === 32 || cl === 9) return isMissing(raw.trim())
    return false
  }
  return TOKENS.has(raw.trim().toLowerCase())
}

/** Fill NaN gaps in place by forward fill; leading gaps are back-filled. Returns false when all values are NaN. */
export function forwardFill(v: Float64Array): boolean {
  let first = -1
  for (let i = 0; i < v.length; i++) {
    if (!Number.isNaN(v[i])) {
      first = i
      break
    }
  }
  if (first < 0) return v.length === 0
  for (let i = 0; i < first; i++) v[i] = v[first]
  for (let i = first + 1; i < v.length; i++) if (Number.isNaN(v[i])) v[i] = v[i - 1]
  return true
}

/**
 * Fill NaN gaps in place by linear interpolation over `x` (row index when omitted);
 * leading gaps are back-filled and trailing gaps forward-filled. Returns false when all values are NaN.
 */
export function interpolate(v: Float64Array, x?: Float64Array): boolean {
  const n = v.length
  let prev = -1
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(v[i])) continue
    if (prev < 0) {
      for (let j = 0; j < i; j++) v[j] = v[i]
    } else if (i - prev > 1) {
      const x0 = x ? x[prev] : prev
      const x1 = x ? x[i] : i
      const y0 = v[prev]
      const y1 = v[i]
      for (let j = prev + 1; j < i; j++) {
        const t = x1 === x0 ? (j - prev) / (i - prev) : ((x ? x[j] : j) - x0) / (x1 - x0)
        v[j] = y0 + (y1 - y0) * t
      }
    }
    prev = i
  }
  if (prev < 0) return n === 0
  for (let j = prev + 1; j < n; j++) v[j] = v[prev]
  return true
}
