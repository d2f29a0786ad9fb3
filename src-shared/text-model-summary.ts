/** Keras-style summary of a language model (one-hot or embedding input, recurrent stack, Dense(V)). */
import type { LayerSummary, ModelSummary } from './model-summary'
import { denseParams, recurrentParams } from './model-summary'
import { CELL_LABELS } from './model-config'
import type { TextConfig } from './text-config'

export function summarizeTextModel(
  config: Pick<TextConfig, 'layout' | 'input' | 'embeddingDim' | 'model'> & { sequenceLength?: number },
  vocabSize: number
): ModelSummary {
  const out: LayerSummary[] = []
  // The steps trained on: the sequence length (unknown: -1, which Keras prints as None).
  const steps = config.sequenceLength ?? -1
  let dim = vocabSize
  if (config.input === 'embedding') {
    out.push({ name: 'embedding', type: 'Embedding', outputShape: [steps, config.embeddingDim], params: vocabSize * config.embeddingDim })
    dim = config.embeddingDim
  }
  const { cell, layers, bidirectional } = config.model
  const m2m = config.layout === 'many-to-many'
  layers.forEach((l, i) => {
    const sequences = i < layers.length - 1 || m2m
    const one = recurrentParams(cell, dim, l.units)
    const width = bidirectional ? 2 * l.units : l.units
    out.push({
      name: `${bidirectional ? 'bidirectional' : cell}_${i + 1}`,
      type: bidirectional ? `Bidirectional(${CELL_LABELS[cell]})` : CELL_LABELS[cell],
      outputShape: sequences ? [steps, width] : [width],
      params: bidirectional ? 2 * one : one
    })
    dim = width
  })
  out.push({
    name: 'dense',
    type: m2m ? 'Dense (every step)' : 'Dense',
    outputShape: m2m ? [steps, vocabSize] : [vocabSize],
    params: denseParams(dim, vocabSize)
  })
  return { layers: out, totalParams: out.reduce((s, l) => s + l.params, 0) }
}
