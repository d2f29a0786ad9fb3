/**
 * Keras-compatible model summary (layers, output shapes, parameter counts), computed without tfjs so
 * that the UI can show it before anything is built. The engine's built models must agree (tested).
 */
import { type Cell } from './model-config'
import { layoutShape, type ForecastConfig } from './forecast-config'

export type { Cell }

export interface LayerSummary {
  name: string
  type: string
  /** Output shape without the batch dimension, Keras prints it as (None, ...). */
  outputShape: number[]
  params: number
}

export interface ModelSummary {
  layers: LayerSummary[]
  totalParams: number
}

const GATES: Record<Cell, number> = { simple_rnn: 1, lstm: 4, gru: 3 }

/** Parameters of one recurrent layer, as Keras counts them (GRU with reset_after=True). */
export function recurrentParams(cell: Cell, inputDim: number, units: number): number {
  const g = GATES[cell]
  const kernels = g * units * (inputDim + units)
  const bias = cell === 'gru' ? 2 * g * units : g * units
  return kernels + bias
}

export function denseParams(inputDim: number, units: number): number {
  return (inputDim + 1) * units
}

const TYPE_NAMES: Record<Cell, string> = { simple_rnn: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' }

type SummaryInput = Pick<ForecastConfig, 'window' | 'horizon' | 'features' | 'model'> & Partial<Pick<ForecastConfig, 'layout'>>

/** A stack of recurrent layers; the last returns sequences only when asked. */
function recurrentStack(
  out: LayerSummary[],
  model: ForecastConfig['model'],
  inputDim: number,
  steps: number,
  lastReturnsSequences: boolean,
  prefix: string
): number {
  const { cell, layers, bidirectional } = model
  let dim = inputDim
  layers.forEach((layer, i) => {
    const sequences = i < layers.length - 1 || lastReturnsSequences
    const one = recurrentParams(cell, dim, layer.units)
    const width = bidirectional ? 2 * layer.units : layer.units
    out.push({
      name: `${prefix}${bidirectional ? 'bidirectional' : cell}_${i + 1}`,
      type: bidirectional ? `Bidirectional(${TYPE_NAMES[cell]})` : TYPE_NAMES[cell],
      outputShape: sequences ? [steps, width] : [width],
      params: bidirectional ? 2 * one : one
    })
    dim = width
  })
  return dim
}

export function summarizeModel(config: SummaryInput): ModelSummary {
  const layout = config.layout ?? 'many-to-one'
  const { inputSteps, outputSteps } = layoutShape({ layout, window: config.window, horizon: config.horizon })
  const features = config.features.length
  const out: LayerSummary[] = []
  // Dense on a sequence acts on every step, as TimeDistributed(Dense) does (same parameters).
  const timeDistributed = (dim: number) =>
    out.push({ name: 'dense', type: 'Dense (every step)', outputShape: [outputSteps, 1], params: denseParams(dim, 1) })
  switch (layout) {
    case 'many-to-one': {
      const dim = recurrentStack(out, config.model, features, inputSteps, false, '')
      out.push({ name: 'dense', type: 'Dense', outputShape: [config.horizon], params: denseParams(dim, config.horizon) })
      break
    }
    case 'many-to-many':
      timeDistributed(recurrentStack(out, config.model, features, inputSteps, true, ''))
      break
    case 'one-to-many':
      out.push({ name: 'repeat_vector', type: 'RepeatVector', outputShape: [outputSteps, features], params: 0 })
      timeDistributed(recurrentStack(out, config.model, features, outputSteps, true, ''))
      break
    case 'encoder-decoder': {
      const enc = recurrentStack(out, config.model, features, inputSteps, false, 'encoder_')
      out.push({ name: 'repeat_vector', type: 'RepeatVector', outputShape: [outputSteps, enc], params: 0 })
      timeDistributed(recurrentStack(out, config.model, enc, outputSteps, true, 'decoder_'))
      break
    }
  }
  return { layers: out, totalParams: out.reduce((s, l) => s + l.params, 0) }
}

/** Keras's notation; -1 stands for a variable number of time steps (None). */
export function formatShape(shape: number[]): string {
  return `(None, ${shape.map((d) => (d < 0 ? 'None' : d)).join(', ')})`
}
