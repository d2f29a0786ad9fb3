/**
 * The model and training part every run's configuration shares — a forecast (forecast-config.ts) and a
 * language model (text-config.ts): cells, layouts, activations, the layer stack, the optimizer and its
 * schedule. run-config.ts joins the two tasks into RunConfig.
 */
import { z } from 'zod'

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

/** A seed of the seeded generators (mulberry32): an unsigned 32-bit integer. */
export const Seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1)

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
  seed: Seed.default(42)
})
export type TrainingConfig = z.infer<typeof TrainingConfig>
