/**
 * The forecasting run's configuration (`task: "forecast"`): window, horizon, features and target,
 * scaling and transform, the split and the baselines' settings, with the shared model and training
 * part (model-config.ts). Field paths in validation messages (`model.layers[0].units`) follow this shape.
 */
import { z } from 'zod'
import { layoutLeaks } from './layout-leaks'
import { LAYOUTS, ModelConfig, TrainingConfig } from './model-config'

export const Split = z
  .strictObject({
    train: z.number().gt(0).lt(1),
    val: z.number().min(0).lt(1),
    test: z.number().gt(0).lt(1)
  })
  .refine((s) => Math.abs(s.train + s.val + s.test - 1) < 1e-6, {
    message: 'train + val + test must add up to 1'
  })

export const EvaluationConfig = z.strictObject({
  /** Period of the seasonal-naive baseline; null detects it from the training part. */
  seasonalPeriod: z.number().int().min(2).max(10_000).nullable().default(null),
  /** Values averaged by the moving-average baseline; null uses the window. */
  movingAverageWindow: z.number().int().min(1).max(10_000).nullable().default(null),
  /**
   * Walk-forward backtest: 0 for none, else k folds over the part after the training split; fold i
   * retrains from scratch on everything before its block (expanding window) and scores that block.
   */
  backtestFolds: z.number().int().min(0).max(20).default(0)
})

export const ForecastConfig = z
  .strictObject({
    task: z.literal('forecast').default('forecast'),
    layout: z.enum(LAYOUTS).default('many-to-one'),
    /** Past steps per input (one-to-many uses one step). */
    window: z.number().int().min(1).max(5000),
    /** Future steps per forecast (many-to-many forecasts one step at every position). */
    horizon: z.number().int().min(1).max(365).default(1),
    features: z.array(z.string().min(1)).min(1).max(64),
    target: z.string().min(1),
    scaling: z.enum(['minmax', 'zscore', 'none']).default('minmax'),
    /**
     * 'logReturns' models ln(x_t / x_{t-1}) of every feature instead of its level (prices); forecasts are
     * turned back into levels from the last known value, so metrics stay in original units.
     */
    transform: z.enum(['none', 'logReturns']).default('none'),
    split: Split.default({ train: 0.7, val: 0.15, test: 0.15 }),
    model: ModelConfig,
    training: TrainingConfig,
    evaluation: EvaluationConfig.default({ seasonalPeriod: null, movingAverageWindow: null, backtestFolds: 0 })
  })
  .superRefine((c, ctx) => {
    if (c.layout === 'many-to-many' && c.horizon !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['horizon'],
        message: 'many-to-many predicts the next step at every position: horizon must be 1'
      })
    }
    for (const leak of layoutLeaks(c)) ctx.addIssue({ code: 'custom', path: leak.path.split('.'), message: leak.message })
  })
export type ForecastConfig = z.infer<typeof ForecastConfig>
/** What a caller may send: defaults filled in by the schema. */
export type ForecastConfigInput = z.input<typeof ForecastConfig>

/** Steps the model reads and writes for a layout. */
export function layoutShape(c: Pick<ForecastConfig, 'layout' | 'window' | 'horizon'>): {
  inputSteps: number
  outputSteps: number
  sequenceOutput: boolean
} {
  switch (c.layout) {
    case 'many-to-one':
      return { inputSteps: c.window, outputSteps: c.horizon, sequenceOutput: false }
    case 'many-to-many':
      return { inputSteps: c.window, outputSteps: c.window, sequenceOutput: true }
    case 'one-to-many':
      return { inputSteps: 1, outputSteps: c.horizon, sequenceOutput: true }
    case 'encoder-decoder':
      return { inputSteps: c.window, outputSteps: c.horizon, sequenceOutput: true }
  }
}

/** The course's SimpleRNN sine example, as the UI and CLI offer it. */
export function sineExampleConfig(): ForecastConfig {
  return ForecastConfig.parse({
    window: 20,
    features: ['value'],
    target: 'value',
    model: { cell: 'simple_rnn', layers: [{ units: 32 }] },
    training: { epochs: 20, batchSize: 32, learningRate: 0.005, seed: 42 }
  })
}
