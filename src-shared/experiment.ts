/**
 * Any run's configuration: a forecast on a time series (`task: 'forecast'`, the default) or a language
 * model on a text (`task: 'text'`). The contract, the store and the CLI config files use this union.
 */
import { z } from 'zod'
import { CELL_LABELS, RunConfig } from './run-config'
import { TextConfig } from './text-config'

export const ExperimentConfig = z.discriminatedUnion('task', [RunConfig, TextConfig])
export type ExperimentConfig = z.infer<typeof ExperimentConfig>
export type ExperimentConfigInput = z.input<typeof ExperimentConfig>

/** A short label such as `LSTM(64) w30` or `GRU(128) L64 char`. */
export function configLabel(c: ExperimentConfig): string {
  const cell = `${c.model.bidirectional ? 'Bi-' : ''}${CELL_LABELS[c.model.cell]}(${c.model.layers.map((l) => l.units).join(',')})`
  return c.task === 'text' ? `${cell} L${c.sequenceLength} ${c.vocabulary}` : `${cell} w${c.window}`
}
