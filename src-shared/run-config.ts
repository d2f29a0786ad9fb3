/**
 * Any run's configuration: a forecast on a time series (`task: 'forecast'`, the default) or a language
 * model on a text (`task: 'text'`). The contract, the store and the CLI config files use this union.
 */
import { z } from 'zod'
import { CELL_LABELS } from './model-config'
import { ForecastConfig } from './forecast-config'
import { TextConfig } from './text-config'

export const RunConfig = z.discriminatedUnion('task', [ForecastConfig, TextConfig])
export type RunConfig = z.infer<typeof RunConfig>
export type RunConfigInput = z.input<typeof RunConfig>

/** A short label such as `LSTM(64) w30` or `GRU(128) L64 char`. */
export function configLabel(c: RunConfig): string {
  const cell = `${c.model.bidirectional ? 'Bi-' : ''}${CELL_LABELS[c.model.cell]}(${c.model.layers.map((l) => l.units).join(',')})`
  return c.task === 'text' ? `${cell} L${c.sequenceLength} ${c.vocabulary}` : `${cell} w${c.window}`
}
