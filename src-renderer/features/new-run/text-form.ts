/**
 * The language-model form: the shared run-form fields (model, training; `layout` and `split.train/val`
 * used for text) plus the text-only fields, and the candidate that `TextConfig.safeParse` validates.
 */
import { charLmExampleConfig, TextConfig, type TEXT_LAYOUTS } from '../../../src-shared/text-config'
import { sineExampleConfig } from '../../../src-shared/forecast-config'
import { fieldsOf, numOrNull, toCandidate, type Num, type RunForm } from '../../lib/run-form'

export type TextLayout = (typeof TEXT_LAYOUTS)[number]

export interface TextForm extends RunForm {
  sequenceLength: Num
  /** Blank: automatic (the sequence length for many-to-many, else 3). */
  stride: Num
  input: 'onehot' | 'embedding'
  embeddingDim: Num
  temperature: Num
  /** Blank: sample among all tokens. */
  topK: Num
  sampleLength: Num
  prime: string
}

/** Defaults for a text someone imported: the char-LM example's model, a validation part, a short run. */
export function defaultTextConfig(): TextConfig {
  const ex = charLmExampleConfig('many-to-many')
  return TextConfig.parse({
    ...ex,
    sequenceLength: 40,
    stride: null,
    split: { train: 0.9, val: 0.1 },
    model: { ...ex.model, layers: [{ units: 128 }] },
    training: { ...ex.training, epochs: 20, learningRate: 0.01 },
    sampling: { temperature: 0.5, topK: null, length: 200, prime: '' }
  })
}

/** The text form's fields from a config; forecast-only fields keep harmless values. */
export function textFieldsOf(c: TextConfig): Omit<TextForm, 'datasetId' | 'name'> {
  const base = fieldsOf(sineExampleConfig())
  const shared = fieldsOf({ ...sineExampleConfig(), model: c.model, training: c.training })
  return {
    ...base,
    ...shared,
    layout: c.layout,
    split: { train: c.split.train, val: c.split.val, test: 0 },
    sequenceLength: c.sequenceLength,
    stride: c.stride,
    input: c.input,
    embeddingDim: c.embeddingDim,
    temperature: c.sampling.temperature,
    topK: c.sampling.topK,
    sampleLength: c.sampling.length,
    prime: c.sampling.prime
  }
}

/** The object handed to `TextConfig.safeParse`. */
export function toTextCandidate(f: TextForm, vocabulary: 'char' | 'word'): unknown {
  const n = numOrNull
  const base = toCandidate(f) as { model: unknown; training: Record<string, unknown> }
  // Language models always train on cross-entropy: the forecast loss choice does not apply.
  const { loss: _loss, ...training } = base.training
  void _loss
  return {
    task: 'text',
    layout: f.layout,
    sequenceLength: n(f.sequenceLength),
    stride: n(f.stride),
    vocabulary,
    input: f.input,
    embeddingDim: f.input === 'embedding' ? n(f.embeddingDim) : (n(f.embeddingDim) ?? 32),
    split: { train: n(f.split.train), val: n(f.split.val) },
    model: base.model,
    training,
    sampling: { temperature: n(f.temperature), topK: n(f.topK), length: n(f.sampleLength), prime: f.prime }
  }
}
