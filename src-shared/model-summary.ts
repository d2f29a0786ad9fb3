/**
 * Keras-compatible model summary (layers, output shapes, parameter counts), computed without tfjs so
 * that the UI can show it before anything is built. The engine's built models must agree (tested).
 */
import type { RunConfig } from './run-config'

export type Cell = 'simple_rnn' | 'lstm' | 'gru'

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

export function summarizeModel(config: Pick<RunConfig, 'window' | 'horizon' | 'features' | 'model'>): ModelSummary {
  const { window, horizon } = config
  const { cell, layers, bidirectional } = config.model
  const out: LayerSummary[] = []
  let inputDim = config.features.length
  layers.forEach((layer, i) => {
    const last = i === layers.length - 1
    const one = recurrentParams(cell, inputDim, layer.units)
    const width = bidirectional ? 2 * layer.units : layer.units
    out.push({
      name: `${bidirectional ? 'bidirectional' : cell}_${i + 1}`,
      type: bidirectional ? `Bidirectional(${TYPE_NAMES[cell]})` : TYPE_NAMES[cell],
      outputShape: last ? [width] : [window, width],
      params: bidirectional ? 2 * one : one
    })
    inputDim = width
  })
  out.push({ name: 'dense', type: 'Dense', outputShape: [horizon], params: denseParams(inputDim, horizon) })
  return { layers: out, totalParams: out.reduce((s, l) => s + l.params, 0) }
}

export function formatShape(shape: number[]): string {
  return `(None, ${shape.join(', ')})`
}
