/**
 * The forecasting run's configuration (`task: "forecast"`), and the parts a language model's config
 * (text-config.ts) shares with it: cells, layouts, activations, the model and training schemas.
 * experiment.ts joins the two into ExperimentConfig, the one schema for `rnn-lab train`'s config file,
 * the UI forms and the stored run. Field paths in validation messages (`model.layers[0].units`) follow
 * this shape.
 */
import { z } from 'zod'
import { layoutLeaks } from './layout-leaks'

export const CELLS = ['simple_rnn', 'lstm', 'gru'] as const
export type Cell = (typeof CELLS)[number]
export const CELL_LABELS: Record<Cell, string> = { simple_rnn: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' }

export const LAYOUTS = ['many-to-one', 'many-to-many', 'one-to-many', 'encoder-decoder'] as const
export type Layout = (typeof LAYOUTS)[number]
export const LAYOUT_LABELS: Record<Layout, string> = {
  'many-to-one': 'Many-to-one',
  'many-to-many': 'Many-to-many',
  'one-to-many': 'One-to-many',
  'encoder-decoder': 'Encoder–decoder'
}

/** The activations Keras offers for recurrent layers, by their Keras names. */
export const ACTIVATIONS = [
  'tanh',
  'sigmoid',
  'hard_sigmoid',
  'relu',
  'elu',
  'selu',
  'softsign',
  'softplus',
  'swish',
  'gelu',
  'linear'
] as const
export type Activation = (typeof ACTIVATIONS)[number]

export const LayerConfig = z.strictObject({
  units: z.number().int().min(1).max(1024)
})

export const ModelConfig = z.strictObject({
  cell: z.enum(CELLS),
  layers: z.array(LayerConfig).min(1).max(4),
  bidirectional: z.boolean().default(false),
  dropout: z.number().min(0).max(0.9).default(0),
  recurrentDropout: z.number().min(0).max(0.9).default(0),
  activation: z.enum(ACTIVATIONS).default('tanh'),
  /** Keras's default gate activation is sigmoid (tfjs defaults to hard sigmoid; we follow Keras). */
  recurrentActivation: z.enum(ACTIVATIONS).default('sigmoid')
})
export type ModelConfig = z.infer<typeof ModelConfig>

export const LrSchedule = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('step'), every: z.number().int().min(1).max(10_000), factor: z.number().gt(0).lt(1) }),
  z.strictObject({
    type: z.literal('plateau'),
    patience: z.number().int().min(1).max(1000),
    factor: z.number().gt(0).lt(1),
    minLearningRate: z.number().min(0).default(1e-6)
  })
])
export type LrSchedule = z.infer<typeof LrSchedule>

export const TrainingConfig = z.strictObject({
  epochs: z.number().int().min(1).max(10_000),
  batchSize: z.number().int().min(1).max(4096).default(32),
  optimizer: z.enum(['adam', 'rmsprop', 'sgd']).default('adam'),
  learningRate: z.number().positive().max(10).default(0.001),
  /** SGD momentum (0 = plain SGD). */
  momentum: z.number().min(0).lt(1).default(0),
  /** Clip the gradients' global norm to this value (Keras `clipnorm`). */
  clipNorm: z.number().positive().max(1e6).nullable().default(null),
  loss: z.enum(['mse', 'mae', 'huber']).default('mse'),
  earlyStopping: z
    .strictObject({
      patience: z.number().int().min(1).max(1000),
      restoreBest: z.boolean().default(true)
    })
    .nullable()
    .default(null),
  lrSchedule: LrSchedule.nullable().default(null),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(42)
})
export type TrainingConfig = z.infer<typeof TrainingConfig>

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

export const RunConfig = z
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
export type RunConfig = z.infer<typeof RunConfig>
/** What a caller may send: defaults filled in by the schema. */
export type RunConfigInput = z.input<typeof RunConfig>

/** Steps the model reads and writes for a layout. */
export function layoutShape(c: Pick<RunConfig, 'layout' | 'window' | 'horizon'>): {
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
export function sineExampleConfig(): RunConfig {
  return RunConfig.parse({
    window: 20,
    features: ['value'],
    target: 'value',
    model: { cell: 'simple_rnn', layers: [{ units: 32 }] },
    training: { epochs: 20, batchSize: 32, learningRate: 0.005, seed: 42 }
  })
}
