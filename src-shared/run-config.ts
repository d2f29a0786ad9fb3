/**
 * The experiment configuration: one schema for the config file of `rnn-lab train`, the UI form and
 * the stored run. Field paths in validation messages (`model.layers.0.units`) follow this shape.
 */
import { z } from 'zod'

export const CELLS = ['simple_rnn', 'lstm'] as const
export const CELL_LABELS: Record<(typeof CELLS)[number], string> = { simple_rnn: 'SimpleRNN', lstm: 'LSTM' }
export const LAYOUTS = ['many-to-one'] as const

export const LayerConfig = z.strictObject({
  units: z.number().int().min(1).max(1024)
})

export const ModelConfig = z.strictObject({
  cell: z.enum(CELLS),
  layers: z.array(LayerConfig).min(1).max(4),
  bidirectional: z.boolean().default(false),
  dropout: z.number().min(0).max(0.9).default(0),
  recurrentDropout: z.number().min(0).max(0.9).default(0)
})
export type ModelConfig = z.infer<typeof ModelConfig>

export const TrainingConfig = z.strictObject({
  epochs: z.number().int().min(1).max(10_000),
  batchSize: z.number().int().min(1).max(4096).default(32),
  optimizer: z.enum(['adam', 'rmsprop', 'sgd']).default('adam'),
  learningRate: z.number().positive().max(10).default(0.001),
  earlyStopping: z.strictObject({ patience: z.number().int().min(1).max(1000) }).nullable().default(null),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(42)
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

export const RunConfig = z.strictObject({
  task: z.literal('forecast').default('forecast'),
  layout: z.enum(LAYOUTS).default('many-to-one'),
  window: z.number().int().min(1).max(5000),
  horizon: z.number().int().min(1).max(365).default(1),
  features: z.array(z.string().min(1)).min(1).max(64),
  target: z.string().min(1),
  scaling: z.enum(['minmax', 'zscore', 'none']).default('minmax'),
  split: Split.default({ train: 0.7, val: 0.15, test: 0.15 }),
  model: ModelConfig,
  training: TrainingConfig
})
export type RunConfig = z.infer<typeof RunConfig>
/** What a caller may send: defaults filled in by the schema. */
export type RunConfigInput = z.input<typeof RunConfig>

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
