/**
 * The configuration of a language-model run on a text dataset: sequences of `sequenceLength` tokens,
 * next-token targets (many-to-one: the token after the sequence; many-to-many: the sequence shifted by
 * one), one-hot or embedding input, softmax over the vocabulary with sparse categorical cross-entropy.
 */
import { z } from 'zod'
import { layoutLeaks } from './layout-leaks'
import { ModelConfig, TrainingConfig } from './model-config'

export const TEXT_LAYOUTS = ['many-to-one', 'many-to-many'] as const

export const SamplingConfig = z.strictObject({
  temperature: z.number().gt(0).max(10).default(0.5),
  /** Sample among the k most likely tokens only (null: all). */
  topK: z.number().int().min(1).max(100_000).nullable().default(null),
  length: z.number().int().min(1).max(10_000).default(200),
  /** Text the sample starts from; empty takes the start of the validation part. */
  prime: z.string().max(2000).default('')
})
export type SamplingConfig = z.infer<typeof SamplingConfig>

export const TextConfig = z
  .strictObject({
    task: z.literal('text'),
    layout: z.enum(TEXT_LAYOUTS).default('many-to-many'),
    sequenceLength: z.number().int().min(1).max(2000).default(40),
    /** Tokens between the starts of consecutive sequences; null: the sequence length (many-to-many) or 3. */
    stride: z.number().int().min(1).max(2000).nullable().default(null),
    /** Must match how the dataset was imported (char or word level). */
    vocabulary: z.enum(['char', 'word']).default('char'),
    input: z.enum(['onehot', 'embedding']).default('onehot'),
    embeddingDim: z.number().int().min(2).max(1024).default(32),
    split: z
      .strictObject({ train: z.number().gt(0).max(1), val: z.number().min(0).lt(1) })
      .refine((s) => Math.abs(s.train + s.val - 1) < 1e-6, { message: 'train + val must add up to 1' })
      .default({ train: 0.9, val: 0.1 }),
    model: ModelConfig,
    training: TrainingConfig,
    sampling: SamplingConfig.default({ temperature: 0.5, topK: null, length: 200, prime: '' })
  })
  .superRefine((c, ctx) => {
    for (const leak of layoutLeaks(c)) ctx.addIssue({ code: 'custom', path: leak.path.split('.'), message: leak.message })
  })
export type TextConfig = z.infer<typeof TextConfig>

export function textStride(c: Pick<TextConfig, 'stride' | 'layout' | 'sequenceLength'>): number {
  return c.stride ?? (c.layout === 'many-to-many' ? c.sequenceLength : 3)
}

/** The course's character LM examples on the short original verse. */
export function charLmExampleConfig(layout: (typeof TEXT_LAYOUTS)[number] = 'many-to-one'): TextConfig {
  return TextConfig.parse({
    task: 'text',
    layout,
    sequenceLength: 10,
    stride: 1,
    split: { train: 1, val: 0 },
    model: { cell: 'lstm', layers: [{ units: 75 }] },
    training: { epochs: layout === 'many-to-one' ? 40 : 150, batchSize: 32, learningRate: 0.02, seed: 42 },
    sampling: { temperature: 0.2, length: 120, prime: 'The little' }
  })
}
