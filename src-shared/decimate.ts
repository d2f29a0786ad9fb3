/**
 * Min–max decimation for charts: keeps each bucket's lowest and highest point, so peaks survive while a
 * long series shrinks to about `maxPoints` points, and always the first and the last point, so a chart
 * spans the whole series (its dates match the dataset's time range). Returns the kept indices in
 * ascending order.
 */
export function decimateIndices(values: ArrayLike<number>, maxPoints: number): number[] {
  const n = values.length
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i)
  const buckets = Math.max(1, Math.floor(maxPoints / 2))
  const size = n / buckets
  const out: number[] = []
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size)
    const to = Math.min(n, Math.floor((b + 1) * size))
    let lo = from
    let hi = from
    for (let i = from; i < to; i++) {
      if (values[i] < values[lo]) lo = i
      if (values[i] > values[hi]) hi = i
    }
    if (lo === hi) out.push(lo)
    else out.push(Math.min(lo, hi), Math.max(lo, hi))
  }
  if (out[0] !== 0) out.unshift(0)
  if (out.at(-1) !== n - 1) out.push(n - 1)
  return out
}
