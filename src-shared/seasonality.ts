/**
 * Seasonal period detection from the autocorrelation function of the (training) series: the lag of the
 * highest local ACF peak between 2 and maxLag that stands above a noise threshold (2/√n).
 */
export function autocorrelation(values: ArrayLike<number>, maxLag: number): Float64Array {
  const n = values.length
  let mean = 0
  for (let i = 0; i < n; i++) mean += values[i]
  mean /= n
  let denom = 0
  for (let i = 0; i < n; i++) denom += (values[i] - mean) ** 2
  const acf = new Float64Array(maxLag + 1)
  if (denom === 0) return acf
  for (let lag = 0; lag <= maxLag; lag++) {
    let s = 0
    for (let i = lag; i < n; i++) s += (values[i] - mean) * (values[i - lag] - mean)
    acf[lag] = s / denom
  }
  return acf
}

/** Detected period, or null when no lag shows a clear seasonal peak. */
export function detectSeasonalPeriod(values: ArrayLike<number>, maxLag = Math.min(400, Math.floor(values.length / 2))): number | null {
  if (values.length < 8 || maxLag < 2) return null
  // Seasonality is judged on first differences, so a trend does not pass for a long season.
  const diff = new Float64Array(values.length - 1)
  for (let i = 1; i < values.length; i++) diff[i - 1] = values[i] - values[i - 1]
  const acf = autocorrelation(diff, Math.min(maxLag, diff.length - 1))
  // Above the white-noise band (2/√n) and at least 0.2, so random walks (stocks) show no season.
  const threshold = Math.max(2 / Math.sqrt(diff.length), 0.2)
  let best: number | null = null
  for (let lag = 2; lag < acf.length - 1; lag++) {
    if (acf[lag] > threshold && acf[lag] >= acf[lag - 1] && acf[lag] >= acf[lag + 1]) {
      if (best === null || acf[lag] > acf[best] + 1e-9) best = lag
    }
  }
  return best
}
