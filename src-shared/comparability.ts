/**
 * What may be compared with what. A training loss means something only with its task, loss function,
 * data and target space (scaling, transform): cross-entropy in nats beside MSE on min–max-scaled prices,
 * or MSE on scaled log returns beside MSE on scaled price levels, are different quantities. Test errors
 * (RMSE, MAE) are reported in the target's original units, so they compare across scalings and
 * transforms of the same target series. Pure: used by the compare view and its tests.
 */
import type { RunConfig } from './run-config'

/** The fields of a run these rules read. */
export interface ComparableRun {
  datasetHash: string
  config: RunConfig
}

/** Which quantity a run's loss is: runs with the same `key` share a loss axis and loss deltas. */
export interface LossMeaning {
  key: string
  /** Axis title with its unit: "Cross-entropy (nats/token)", "MSE (min–max-scaled log returns of Close)". */
  axis: string
  /** Short panel title: "Language model · char" or "Forecast of Close · MSE · log returns · min–max". */
  title: string
}

const LOSS_NAMES = { mse: 'MSE', mae: 'MAE', huber: 'Huber' } as const
const SCALING_NAMES = { minmax: 'min–max-scaled', zscore: 'z-scored', none: 'unscaled' } as const

export function lossMeaning(r: ComparableRun): LossMeaning {
  const c = r.config
  if (c.task === 'text') {
    return {
      key: `text|xent|${c.vocabulary}|${r.datasetHash}`,
      axis: `Cross-entropy (nats/${c.vocabulary === 'char' ? 'character' : 'word'})`,
      title: `Language model · ${c.vocabulary === 'char' ? 'characters' : 'words'}`
    }
  }
  const loss = LOSS_NAMES[c.training.loss]
  const space = c.transform === 'logReturns' ? `log returns of ${c.target}` : c.target
  return {
    key: `forecast|${c.training.loss}|${c.target}|${c.scaling}|${c.transform}|${r.datasetHash}`,
    axis: `${loss} (${SCALING_NAMES[c.scaling]} ${space})`,
    title: `Forecast of ${c.target} · ${loss} on ${SCALING_NAMES[c.scaling]} ${c.transform === 'logReturns' ? 'log returns' : 'levels'}`
  }
}

/** Runs grouped by what their loss means, in first-seen order. */
export function groupByLoss<R extends ComparableRun>(runs: readonly R[]): { meaning: LossMeaning; runs: R[] }[] {
  const groups = new Map<string, { meaning: LossMeaning; runs: R[] }>()
  for (const r of runs) {
    const meaning = lossMeaning(r)
    const g = groups.get(meaning.key) ?? { meaning, runs: [] }
    g.runs.push(r)
    groups.set(meaning.key, g)
  }
  return [...groups.values()]
}

/**
 * What a metric column is measured in, for deltas:
 * - 'loss': the training loss (see lossMeaning);
 * - 'target': forecast errors in the target's original units (same series, any scaling or transform);
 * - 'text': language-model metrics on the same text and vocabulary;
 * - 'any': counts and times (epochs, parameters, seconds) compare across everything.
 */
export type MetricUnit = 'loss' | 'target' | 'text' | 'any'

/** The key two runs must share for a delta of a metric in `unit`; null: the metric does not apply. */
export function unitKey(r: ComparableRun, unit: MetricUnit): string | null {
  const c = r.config
  switch (unit) {
    case 'any':
      return 'any'
    case 'loss':
      return lossMeaning(r).key
    case 'target':
      return c.task === 'forecast' ? `target|${c.target}|${r.datasetHash}` : null
    case 'text':
      return c.task === 'text' ? `text|${c.vocabulary}|${r.datasetHash}` : null
  }
}

/** Whether a delta of a metric in `unit` between `run` and `baseline` means anything. */
export function comparable(run: ComparableRun, baseline: ComparableRun, unit: MetricUnit): boolean {
  const a = unitKey(run, unit)
  return a !== null && a === unitKey(baseline, unit)
}

/** Whether the runs' losses mean different things, though their test errors share original units. */
export function lossesDifferButErrorsCompare(runs: readonly ComparableRun[]): boolean {
  const losses = new Set(runs.map((r) => lossMeaning(r).key))
  const targets = new Set(runs.map((r) => unitKey(r, 'target')))
  return losses.size > 1 && targets.size === 1 && !targets.has(null)
}
