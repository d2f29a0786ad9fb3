/** Residual statistics and a Freedman–Diaconis histogram, for the run page's residual chart. */

export interface Bin {
  from: number
  to: number
  count: number
}

export interface Histogram {
  bins: Bin[]
  /** 'freedman-diaconis', or 'fixed' (~20 bins) when the interquartile range is zero. */
  rule: 'freedman-diaconis' | 'fixed'
}

export interface Summary {
  n: number
  mean: number
  /** Sample standard deviation (n − 1); 0 for a single value. */
  sd: number
  min: number
  max: number
}

/** actual − predicted, pairwise, skipping pairs that are not finite numbers. */
export function residuals(actual: readonly number[], predicted: readonly number[]): number[] {
  const n = Math.min(actual.length, predicted.length)
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const r = actual[i] - predicted[i]
    if (Number.isFinite(r)) out.push(r)
  }
  return out
}

export function summarize(values: readonly number[]): Summary | null {
  const n = values.length
  if (n === 0) return null
  let sum = 0
  let min = Infinity
  let max = -Infinity
  for (const v of values) {
    sum += v
    if (v < min) min = v
    if (v > max) max = v
  }
  const mean = sum / n
  let ss = 0
  for (const v of values) ss += (v - mean) ** 2
  return { n, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, min, max }
}

/** Quantile of sorted values by linear interpolation (type 7, as numpy and R default). */
function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo)
}

/**
 * Bins by the Freedman–Diaconis rule (width 2·IQR·n^(−1/3)), kept between `minBins` and `maxBins`;
 * `fallbackBins` equal bins when the IQR is zero. All values equal: one bin around them.
 */
export function histogram(values: readonly number[], { minBins = 5, maxBins = 60, fallbackBins = 20 } = {}): Histogram {
  const finite = values.filter((v) => Number.isFinite(v))
  if (finite.length === 0) return { bins: [], rule: 'fixed' }
  const sorted = [...finite].sort((a, b) => a - b)
  const min = sorted[0]
  const max = sorted[sorted.length - 1]
  const range = max - min
  if (range === 0) {
    const half = Math.abs(min) * 0.05 || 0.5
    return { bins: [{ from: min - half, to: max + half, count: finite.length }], rule: 'fixed' }
  }
  const iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25)
  const width = (2 * iqr) / Math.cbrt(sorted.length)
  const fd = width > 0 && Number.isFinite(width)
  const count = fd ? Math.min(maxBins, Math.max(minBins, Math.ceil(range / width))) : fallbackBins
  const step = range / count
  const bins: Bin[] = Array.from({ length: count }, (_, i) => ({
    from: min + i * step,
    to: i === count - 1 ? max : min + (i + 1) * step,
    count: 0
  }))
  for (const v of sorted) bins[Math.min(count - 1, Math.floor((v - min) / step))].count++
  return { bins, rule: fd ? 'freedman-diaconis' : 'fixed' }
}
