/**
 * Forecasts beyond the end of the data with a trained model: from the last window, `steps` values in
 * original units. A univariate model (its only feature is the target) feeds its forecasts back in
 * (recursive forecasting); a model with other features can only forecast its own horizon.
 */
import type * as TF from '@tensorflow/tfjs'
import { logReturns, prepareForecast, scale, unscale } from '../../src-shared/prepare'
import { layoutShape, type ForecastConfig } from '../../src-shared/forecast-config'
import type { Tfjs } from './backends'

export function maxStepsAhead(config: ForecastConfig): number {
  const univariate = config.features.length === 1 && config.features[0] === config.target
  return univariate ? 10_000 : config.layout === 'many-to-many' ? 1 : config.horizon
}

export function forecastAhead(
  tf: Tfjs,
  model: TF.LayersModel,
  config: ForecastConfig,
  columns: Record<string, Float64Array>,
  steps: number
): number[] {
  const limit = maxStepsAhead(config)
  if (steps > limit) {
    throw new Error(
      `steps: this model forecasts at most ${limit} step(s) ahead (its features other than the target are unknown beyond the data)`
    )
  }
  const prep = prepareForecast(columns, config)
  const { inputSteps } = layoutShape(config)
  const f = config.features.length
  const returns = config.transform === 'logReturns'
  // The model reads what it was trained on: levels, or log returns (one value shorter).
  const series = config.features.map((name, j) => (returns ? logReturns(columns[name], `config.features[${j}]`) : columns[name]))
  const rows = series[0].length
  let level = columns[config.target][columns[config.target].length - 1]
  // The last window of scaled inputs.
  const window: number[][] = []
  for (let t = rows - inputSteps; t < rows; t++) window.push(series.map((c, j) => scale(prep.scalers[j], c[t])))
  const out: number[] = []
  while (out.length < steps) {
    const next = tf.tidy(() => {
      const x = tf.tensor3d(Float32Array.from(window.flat()), [1, inputSteps, f])
      return Array.from((model.predict(x) as TF.Tensor).dataSync())
    })
    // many-to-many's last output is the next step; the others give `outputSteps` future steps.
    const scaled = config.layout === 'many-to-many' ? [next[next.length - 1]] : next
    for (const v of scaled) {
      if (out.length >= steps) break
      const value = unscale(prep.targetScaler, v)
      if (returns) {
        level *= Math.exp(value)
        out.push(level)
      } else out.push(value)
      window.shift()
      window.push([v]) // univariate here: the target is the only feature, already scaled alike
    }
  }
  return out
}
