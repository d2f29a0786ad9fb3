/**
 * The "New run" form as editable fields (numbers may be blank while typing), the conversion to the
 * candidate `ForecastConfig` that `ForecastConfig.safeParse` validates, and the helpers the form's parts share.
 */
import type { RunConfig } from '../../src-shared/run-config'
import { formatPath } from '../../src-shared/validation'
import type { Activation, Cell, Layout, ModelConfig } from '../../src-shared/model-config'
import type { ForecastConfig } from '../../src-shared/forecast-config'

export type Num = number | null
export type Optimizer = ForecastConfig['training']['optimizer']
export type Scaling = ForecastConfig['scaling']
export type Loss = ForecastConfig['training']['loss']
export type ScheduleType = 'none' | 'step' | 'plateau'

export interface RunForm {
  datasetId: string
  name: string
  layout: Layout
  window: Num
  horizon: Num
  features: string[]
  target: string
  scaling: Scaling
  transform: ForecastConfig['transform']
  split: { train: Num; val: Num; test: Num }
  cell: Cell
  layers: { units: Num }[]
  bidirectional: boolean
  dropout: Num
  recurrentDropout: Num
  activation: Activation
  recurrentActivation: Activation
  epochs: Num
  batchSize: Num
  optimizer: Optimizer
  learningRate: Num
  momentum: Num
  /** Blank: no clipping. */
  clipNorm: Num
  loss: Loss
  earlyStopping: boolean
  patience: Num
  restoreBest: boolean
  schedule: ScheduleType
  stepEvery: Num
  stepFactor: Num
  plateauPatience: Num
  plateauFactor: Num
  minLearningRate: Num
  seed: Num
  /** Blank: detect the period from the training part. */
  seasonalPeriod: Num
  /** Blank: use the window. */
  movingAverageWindow: Num
}

export const MAX_LAYERS = 4
export const OPTIMIZERS: { value: Optimizer; label: string }[] = [
  { value: 'adam', label: 'Adam' },
  { value: 'rmsprop', label: 'RMSprop' },
  { value: 'sgd', label: 'SGD' }
]
export const LOSSES: { value: Loss; label: string; help: string }[] = [
  { value: 'mse', label: 'MSE', help: 'Mean squared error' },
  { value: 'mae', label: 'MAE', help: 'Mean absolute error: robust to outliers' },
  { value: 'huber', label: 'Huber', help: 'Squared for small errors, absolute for large' }
]
export const LOSS_SHORT: Record<Loss, string> = { mse: 'MSE', mae: 'MAE', huber: 'Huber' }

/** The loss a run trains on, for axis titles: language models always use cross-entropy. */
/** What the new-run form opens with when it copies a run ("Clone and edit"). */
export interface InitialRun {
  /** "<run> (copy)" */
  name: string
  config: RunConfig
}

export function lossLabel(c: { task: string; training: { loss: Loss } }): string {
  return c.task === 'text' ? 'cross-entropy (nats)' : LOSS_SHORT[c.training.loss]
}
export const TRANSFORMS: { value: ForecastConfig['transform']; label: string }[] = [
  { value: 'none', label: 'Levels (as imported)' },
  { value: 'logReturns', label: 'Log returns (prices)' }
]

export const SCALINGS: { value: Scaling; label: string }[] = [
  { value: 'minmax', label: 'Min–max to [0, 1]' },
  { value: 'zscore', label: 'Z-score' },
  { value: 'none', label: 'None' }
]

/** Svelte's number binding gives undefined (or NaN) for a blank field; the form keeps null. */
export const numOrNull = (v: Num | undefined): Num => (v === undefined || v === null || Number.isNaN(v) ? null : v)
export const isPosInt = (n: Num | undefined): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1

/** Everything but the dataset and name, from a parsed config (the sine example, a previous run). */
export function fieldsOf(c: ForecastConfig): Omit<RunForm, 'datasetId' | 'name'> {
  const s = c.training.lrSchedule
  return {
    layout: c.layout,
    window: c.window,
    horizon: c.horizon,
    features: [...c.features],
    target: c.target,
    scaling: c.scaling,
    transform: c.transform,
    split: { ...c.split },
    cell: c.model.cell,
    layers: c.model.layers.map((l) => ({ units: l.units })),
    bidirectional: c.model.bidirectional,
    dropout: c.model.dropout,
    recurrentDropout: c.model.recurrentDropout,
    activation: c.model.activation,
    recurrentActivation: c.model.recurrentActivation,
    epochs: c.training.epochs,
    batchSize: c.training.batchSize,
    optimizer: c.training.optimizer,
    learningRate: c.training.learningRate,
    momentum: c.training.momentum,
    clipNorm: c.training.clipNorm,
    loss: c.training.loss,
    earlyStopping: c.training.earlyStopping !== null,
    patience: c.training.earlyStopping?.patience ?? 5,
    restoreBest: c.training.earlyStopping?.restoreBest ?? true,
    schedule: s?.type ?? 'none',
    stepEvery: s?.type === 'step' ? s.every : 10,
    stepFactor: s?.factor ?? 0.5,
    plateauPatience: s?.type === 'plateau' ? s.patience : 3,
    plateauFactor: s?.factor ?? 0.5,
    minLearningRate: s?.type === 'plateau' ? s.minLearningRate : 1e-6,
    seed: c.training.seed,
    seasonalPeriod: c.evaluation.seasonalPeriod,
    movingAverageWindow: c.evaluation.movingAverageWindow
  }
}

/**
 * The object handed to `ForecastConfig.safeParse`. Blank required numbers stay null (so the schema says
 * "Enter a number" instead of filling in a default); fields a layout or cell ignores get a value
 * that cannot fail (the one-to-many window, the many-to-many horizon, GRU's recurrent dropout).
 */
export function toCandidate(f: RunForm): unknown {
  const n = numOrNull
  const lrSchedule =
    f.schedule === 'step'
      ? { type: 'step', every: n(f.stepEvery), factor: n(f.stepFactor) }
      : f.schedule === 'plateau'
        ? { type: 'plateau', patience: n(f.plateauPatience), factor: n(f.plateauFactor), minLearningRate: n(f.minLearningRate) ?? 0 }
        : null
  return {
    layout: f.layout,
    window: f.layout === 'one-to-many' && !isPosInt(f.window) ? 1 : n(f.window),
    horizon: f.layout === 'many-to-many' ? 1 : n(f.horizon),
    features: f.features,
    target: f.target,
    scaling: f.scaling,
    transform: f.transform,
    split: { train: n(f.split.train), val: n(f.split.val), test: n(f.split.test) },
    model: {
      cell: f.cell,
      layers: f.layers.map((l) => ({ units: n(l.units) })),
      bidirectional: f.bidirectional,
      dropout: n(f.dropout),
      recurrentDropout: f.cell === 'gru' ? 0 : n(f.recurrentDropout),
      activation: f.activation,
      recurrentActivation: f.recurrentActivation
    },
    training: {
      epochs: n(f.epochs),
      batchSize: n(f.batchSize),
      optimizer: f.optimizer,
      learningRate: n(f.learningRate),
      momentum: f.optimizer === 'sgd' ? n(f.momentum) : 0,
      clipNorm: n(f.clipNorm),
      loss: f.loss,
      earlyStopping: f.earlyStopping ? { patience: n(f.patience), restoreBest: f.restoreBest } : null,
      lrSchedule,
      seed: n(f.seed)
    },
    evaluation: { seasonalPeriod: n(f.seasonalPeriod), movingAverageWindow: n(f.movingAverageWindow) }
  }
}

type Issue = {
  path: readonly PropertyKey[]
  code: string
  message: string
  expected?: unknown
  origin?: unknown
  minimum?: unknown
  maximum?: unknown
  inclusive?: boolean
  format?: unknown
}

const bound = (v: unknown): string => (typeof v === 'bigint' ? v.toString() : typeof v === 'number' ? v.toLocaleString('en-US') : String(v))

/** The schema's issue in the words of a form: "Enter a number", "At least 1", "Less than 1". */
export function issueMessage(issue: Issue): string {
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'Enter a number'
  if (issue.code === 'invalid_type' && issue.expected === 'int') return 'Enter a whole number'
  if (issue.code === 'invalid_format' && issue.format === 'safeint') return 'Enter a whole number'
  if (issue.origin === 'number' && issue.code === 'too_small')
    return issue.inclusive ? `At least ${bound(issue.minimum)}` : `More than ${bound(issue.minimum)}`
  if (issue.origin === 'number' && issue.code === 'too_big')
    return issue.inclusive ? `At most ${bound(issue.maximum)}` : `Less than ${bound(issue.maximum)}`
  return issue.message
}

/** One message per field path (`model.layers[0].units`), first issue wins. */
export function issuesByPath(issues: readonly Issue[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of issues) out[formatPath(issue.path)] ??= issueMessage(issue)
  return out
}

/** The id of the element that holds a field's error message (for aria-describedby). */
export const errorId = (key: string): string => `cfg-${key.replace(/[^a-zA-Z0-9]+/g, '-')}-error`

/** The errors every run form has: the schema's, one per field path, plus no dataset chosen and a too long name. */
export function formErrors(
  parsed: { success: true } | { success: false; error: { issues: readonly Issue[] } },
  f: Pick<RunForm, 'datasetId' | 'name'>
): Record<string, string> {
  const out: Record<string, string> = parsed.success ? {} : issuesByPath(parsed.error.issues)
  if (!f.datasetId) out.datasetId = 'Choose a dataset'
  if (f.name.trim().length > 200) out.name = 'At most 200 characters'
  return out
}

/** The model part of a form as the Keras-style summary reads it (dropout counts no parameters); units checked first. */
export function summaryModel(f: Pick<RunForm, 'cell' | 'layers' | 'bidirectional' | 'activation' | 'recurrentActivation'>): ModelConfig {
  return {
    cell: f.cell,
    layers: f.layers.map((l) => ({ units: l.units as number })),
    bidirectional: f.bidirectional,
    dropout: 0,
    recurrentDropout: 0,
    activation: f.activation,
    recurrentActivation: f.recurrentActivation
  }
}
