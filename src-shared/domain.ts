/**
 * Domain records shared by the core, both transports and the renderer. Each is a zod schema
 * (runtime validation at the boundaries) with its TypeScript type inferred from it.
 */
import { z } from 'zod'
import { CsvImportSummary, ImportOptions, TextImportOptions, TextStats } from './dataset-import'
import { RunConfig } from './run-config'
import { Seed } from './model-config'
import { RangeCheck } from './extrapolation'

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted'] as const
export const RunStatus = z.enum(RUN_STATUSES)
export type RunStatus = z.infer<typeof RunStatus>
export const FINISHED_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled', 'interrupted']

export const ColumnInfo = z.object({
  name: z.string(),
  type: z.enum(['number', 'time', 'category', 'index']),
  missing: z.number().int().nonnegative()
})
export type ColumnInfo = z.infer<typeof ColumnInfo>

export const SineParams = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  length: z.number().int().min(20).max(1_000_000).default(1000),
  /** Cycles per time step: 0.02 is one period every 50 steps. */
  frequency: z.number().positive().max(0.5).default(0.02),
  amplitude: z.number().positive().max(1e6).default(1),
  /** Standard deviation of added Gaussian noise, in the units of the wave. */
  noise: z.number().min(0).max(1e6).default(0),
  seed: Seed.default(42)
})
export type SineParams = z.infer<typeof SineParams>

export const SeriesPreview = z.object({
  /** Index of each kept point in the full series (the preview may be decimated). */
  index: z.array(z.number()),
  columns: z.array(z.object({ name: z.string(), values: z.array(z.number().nullable()) }))
})
export type SeriesPreview = z.infer<typeof SeriesPreview>

/** Where an import reads from: a path on the machine running the core, or a file uploaded to `serve`. */
export const FileSource = z.discriminatedUnion('kind', [
  /** A file the person chose (desktop dialog, drop, CLI argument), by its opaque grant id; never a raw path. */
  z.strictObject({ kind: z.literal('grant'), grant: z.string().min(1).max(100) }),
  z.strictObject({ kind: z.literal('upload'), uploadId: z.string().regex(/^up_[a-z0-9_]+$/) })
])
export type FileSource = z.infer<typeof FileSource>

export const GbmParams = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  startPrice: z.number().positive().max(1e7).default(100),
  /** Annual drift, 0.05 = 5 % a year. */
  drift: z.number().min(-5).max(5).default(0.08),
  /** Annual volatility, 0.2 = 20 %. */
  volatility: z.number().min(0).max(5).default(0.25),
  days: z.number().int().min(30).max(100_000).default(1260),
  seed: Seed.default(7),
  startDate: z.iso.date().optional()
})
export type GbmParams = z.infer<typeof GbmParams>

/**
 * How a dataset was made, by its origin: the generator's parameters, or what an import stored about
 * itself and the options it ran with. Text datasets (`kind: 'text'`) have `origin: 'text'`.
 */
export const DatasetParams = z.discriminatedUnion('origin', [
  SineParams.omit({ name: true }).extend({ origin: z.literal('sine') }),
  GbmParams.omit({ name: true }).extend({ origin: z.literal('gbm') }),
  z.object({ origin: z.literal('csv'), import: CsvImportSummary, options: ImportOptions }),
  z.object({
    origin: z.literal('text'),
    /** A generated text (the examples' verse) has only its length and vocabulary. */
    text: TextStats.partial().required({ length: true, vocabulary: true, vocabularySize: true }),
    options: TextImportOptions.optional()
  })
])
export type DatasetParams = z.infer<typeof DatasetParams>
export type DatasetOrigin = DatasetParams['origin']

export const DatasetSummary = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['series', 'text']),
  source: z.string(),
  rows: z.number().int(),
  columns: z.array(ColumnInfo),
  hash: z.string(),
  params: DatasetParams.nullable(),
  createdAt: z.string()
})
export type DatasetSummary = z.infer<typeof DatasetSummary>

export const DatasetDetail = DatasetSummary.extend({
  preview: SeriesPreview,
  /** For text datasets: the first characters of the stored text. */
  textSample: z.string().nullable().default(null)
})
export type DatasetDetail = z.infer<typeof DatasetDetail>

export const BackendName = z.enum(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'])
export type BackendName = z.infer<typeof BackendName>

export const BackendAttempt = z.object({
  backend: BackendName,
  status: z.enum(['used', 'skipped', 'failed']),
  reason: z.string()
})
export type BackendAttempt = z.infer<typeof BackendAttempt>

export const BackendReport = z.object({
  selected: BackendName,
  attempts: z.array(BackendAttempt),
  tfjsVersion: z.string(),
  /** The fused RNN kernels: 'WebAssembly SIMD', or why the layers fall back to tfjs ops. */
  kernels: z.string().default('not checked')
})
export type BackendReport = z.infer<typeof BackendReport>

/**
 * Which weights made a run's metrics and samples: the final ones, or the best (lowest validation loss)
 * when early stopping restored them. `predict` and `sample` use the same checkpoint by default.
 */
export const EvaluatedWith = z.object({
  checkpoint: z.enum(['best', 'final']),
  /** The epoch whose weights these are. */
  epoch: z.number().int(),
  epochsRun: z.number().int(),
  epochsPlanned: z.number().int(),
  /** Early stopping ended training before epochsPlanned. */
  stoppedEarly: z.boolean()
})
export type EvaluatedWith = z.infer<typeof EvaluatedWith>

/** Language-model evaluation, in nats per token, beside a unigram (token frequency) baseline. */
export const TextMetrics = z.object({
  evaluatedOn: z.enum(['val', 'train']),
  loss: z.number(),
  bitsPerToken: z.number(),
  perplexity: z.number(),
  accuracy: z.number(),
  trainAccuracy: z.number(),
  unigramLoss: z.number(),
  beatsUnigram: z.boolean(),
  vocabularySize: z.number().int(),
  evaluatedWith: EvaluatedWith.nullable().default(null),
  /** The prime the final sample starts with (absent on runs from before it was stored). */
  prime: z.string().optional()
})
export type TextMetrics = z.infer<typeof TextMetrics>

export const ErrorMetrics = z.object({
  rmse: z.number(),
  mae: z.number(),
  mape: z.number().nullable(),
  smape: z.number(),
  r2: z.number().nullable(),
  /** MAE over the in-sample MAE of one-step persistence on the training part; below 1 beats it. */
  mase: z.number().nullable().default(null),
  /** Share of forecasts moving the same way as the actual from the last known value. */
  directionalAccuracy: z.number().nullable().default(null),
  /** Share of actual values inside the 80 % / 95 % forecast intervals (the model only). */
  coverage80: z.number().nullable().optional(),
  coverage95: z.number().nullable().optional()
})
export type ErrorMetrics = z.infer<typeof ErrorMetrics>

export const BASELINE_NAMES = ['persistence', 'seasonalNaive', 'drift', 'movingAverage'] as const
export type BaselineName = (typeof BASELINE_NAMES)[number]

/**
 * Split-conformal forecast intervals of a run: per-step half-widths calibrated on the validation
 * windows (src-shared/conformal.ts), with the coverage measured on the test windows.
 */
export const ForecastIntervals = z.object({
  method: z.literal('split-conformal'),
  calibrationWindows: z.number().int(),
  /** additive: ŷ ± q; multiplicative (log-return models): [ŷ·e^−q, ŷ·e^q], in price levels. */
  scale: z.enum(['additive', 'multiplicative']),
  steps: z.array(
    z.object({
      step: z.number().int(),
      /** Half-widths (additive: original units; multiplicative: in log space). Infinity is stored as null. */
      q80: z.number().nullable(),
      q95: z.number().nullable(),
      coverage80: z.number().nullable(),
      coverage95: z.number().nullable()
    })
  )
})
export type ForecastIntervals = z.infer<typeof ForecastIntervals>

export const RunMetrics = z.object({
  test: ErrorMetrics,
  /** Naive forecasts on exactly the same test windows. Seasonal naive is null without a period. */
  baselines: z.object({
    persistence: ErrorMetrics,
    seasonalNaive: ErrorMetrics.nullable().default(null),
    drift: ErrorMetrics.nullable().default(null),
    movingAverage: ErrorMetrics.nullable().default(null)
  }),
  /** The model's MASE (same as test.mase), kept at the top for lists. */
  mase: z.number().nullable(),
  beatsPersistence: z.boolean(),
  testWindows: z.number().int(),
  seasonalPeriod: z.number().int().nullable().default(null),
  /** Walk-forward backtest (expanding window, retrained per fold), when asked for. */
  backtest: z
    .object({
      folds: z.array(
        z.object({
          fold: z.number().int(),
          trainRows: z.number().int(),
          testRows: z.number().int(),
          rmse: z.number(),
          persistenceRmse: z.number(),
          mase: z.number().nullable()
        })
      ),
      mean: z.object({ rmse: z.number(), persistenceRmse: z.number() }),
      sd: z.object({ rmse: z.number(), persistenceRmse: z.number() })
    })
    .nullable()
    .default(null),
  evaluatedWith: EvaluatedWith.nullable().default(null),
  /** Null without a validation part (the intervals are calibrated on it). */
  intervals: ForecastIntervals.nullable().default(null),
  /** How much of the validation and test target lies outside the training range. */
  extrapolation: RangeCheck.nullable().default(null),
  /** RMSE per forecast step (1..horizon), model and persistence. */
  perHorizon: z.array(z.object({ step: z.number().int(), model: z.number(), persistence: z.number() })).default([])
})
export type RunMetrics = z.infer<typeof RunMetrics>

export const EpochRecord = z.object({
  epoch: z.number().int().min(1),
  loss: z.number(),
  valLoss: z.number().nullable(),
  /** Milliseconds since the run started training, at the end of this epoch (cumulative). */
  elapsedMs: z.number(),
  /** The learning rate used in this epoch (schedules change it). */
  learningRate: z.number().nullable().default(null),
  /** Language models: next-token accuracy on the validation part (whole) and the training part (its first 4,096 windows). */
  accuracy: z.number().nullable().default(null),
  valAccuracy: z.number().nullable().default(null),
  /** Language models: the text generated at the end of the epoch, after its prime. */
  sample: z.string().nullable().default(null),
  /** Language models: the prime the epoch's sample continues (null before primes were stored). */
  samplePrime: z.string().nullable().default(null)
})
export type EpochRecord = z.infer<typeof EpochRecord>

export const RunSummary = z.object({
  id: z.string(),
  name: z.string(),
  datasetId: z.string().nullable(),
  datasetName: z.string().nullable(),
  datasetHash: z.string(),
  status: RunStatus,
  config: RunConfig,
  backend: BackendName.nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  epochsDone: z.number().int(),
  lastLoss: z.number().nullable(),
  lastValLoss: z.number().nullable(),
  bestValLoss: z.number().nullable().default(null),
  bestEpoch: z.number().int().nullable().default(null),
  tags: z.array(z.string()).default([]),
  notes: z.string().nullable().default(null),
  /** The run id in the bundle it was imported from, when that id was taken or unsafe. */
  importedFrom: z.string().nullable().default(null),
  sweepId: z.string().nullable().default(null),
  /** Forecasting runs: test metrics beside the baselines. */
  metrics: RunMetrics.nullable(),
  /** Language-model runs: validation loss, bits per token, perplexity, accuracy, unigram baseline. */
  textMetrics: TextMetrics.nullable().default(null),
  error: z.string().nullable(),
  /** The machine that trained it: its host name and worker id ('local' for this machine's pool). */
  trainedOn: z.object({ host: z.string(), workerId: z.string() }).nullable().default(null),
  /** Runs sent to the queue: its name ('train' or 'train-gpu'); null for local runs. */
  remoteQueue: z.string().nullable().default(null),
  /** Which attempt the stored epochs belong to, and why it exists when it is not the first. */
  attempt: z.number().int().default(1),
  attemptNote: z.string().nullable().default(null)
})
export type RunSummary = z.infer<typeof RunSummary>

/** The test forecasts of one step ahead (1..horizon), with their intervals when calibrated. */
export const StepPredictions = z.object({
  step: z.number().int(),
  /** Row of each forecast target in the series. */
  index: z.array(z.number()),
  /** Epoch ms of each target when the dataset has a time column. */
  time: z.array(z.number()).default([]),
  actual: z.array(z.number()),
  predicted: z.array(z.number()),
  persistence: z.array(z.number()),
  lower80: z.array(z.number()).default([]),
  upper80: z.array(z.number()).default([]),
  lower95: z.array(z.number()).default([]),
  upper95: z.array(z.number()).default([])
})
export type StepPredictions = z.infer<typeof StepPredictions>

export const Predictions = z.object({
  /** Position of each target in the original series (step 1, as in `steps[0]`). */
  index: z.array(z.number()),
  actual: z.array(z.number()),
  predicted: z.array(z.number()),
  persistence: z.array(z.number()),
  /** Every step ahead (runs recorded before these existed have none). */
  steps: z.array(StepPredictions).default([])
})
export type Predictions = z.infer<typeof Predictions>

export const Artifact = z.object({
  /**
   * 'final': the weights after the last epoch; 'best': those of the lowest validation loss so far;
   * 'checkpoint': the resumable state (weights, optimizer, epoch, RNG) of `epoch`, saved during training.
   */
  kind: z.enum(['best', 'final', 'checkpoint']),
  /** Folder holding model.json and its weights (TF.js layers format). */
  path: z.string(),
  bytes: z.number().int(),
  epoch: z.number().int().nullable()
})
export type Artifact = z.infer<typeof Artifact>

export const RunDetail = RunSummary.extend({
  epochs: z.array(EpochRecord),
  backendAttempts: z.array(BackendAttempt),
  appVersion: z.string(),
  tfjsVersion: z.string().nullable(),
  predictions: Predictions.nullable(),
  parameterCount: z.number().int(),
  artifacts: z.array(Artifact).default([]),
  /** Language models: the sample generated from the prime after training. */
  finalSample: z.string().nullable().default(null)
})
export type RunDetail = z.infer<typeof RunDetail>

export const AppInfo = z.object({
  appVersion: z.string(),
  dataDir: z.string(),
  databasePath: z.string(),
  workers: z.number().int(),
  platform: z.string()
})
export type AppInfo = z.infer<typeof AppInfo>
