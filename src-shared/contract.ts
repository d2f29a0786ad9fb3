/**
 * The one API contract of RNN Lab: every operation (request → response) and every event, each with
 * its zod schema. The core implements it (src-main/services), Electron IPC and HTTP/WebSocket bind it
 * (src-main/electron, src-main/server), and the renderer and CLI call it through `createClient`.
 */
import { z } from 'zod'
import {
  AppInfo,
  BackendReport,
  DatasetDetail,
  DatasetSummary,
  EpochRecord,
  RunDetail,
  RunMetrics,
  RunStatus,
  RunSummary,
  FileSource,
  GbmParams,
  SineParams
} from './domain'
import { CsvImportSummary, ImportOptions, ImportPreview, TextImportOptions, TextPreview, TextStats } from './dataset-import'
import { RunConfig } from './run-config'
import { Seed } from './model-config'
import { RangeCheck } from './extrapolation'
import { RunQuery } from './run-query'
import { SweepSpec } from './sweep'
import { QueueUrl, RemoteStatus, RunTarget } from './remote'

const Settings = z.object({
  /** Saved worker count; null uses the default. */
  workers: z.number().int().nullable(),
  defaultWorkers: z.number().int(),
  /** Workers of the pool running now (changes apply at the next start). */
  runningWorkers: z.number().int(),
  /** `--workers` was given, and wins over the saved value. */
  workersFromCommandLine: z.boolean()
})

const Sweep = z.object({
  id: z.string(),
  name: z.string(),
  datasetId: z.string().nullable(),
  baseConfig: z.unknown(),
  spec: z.unknown(),
  createdAt: z.string(),
  runs: z.number().int(),
  completed: z.number().int()
})
const SavedView = z.object({ id: z.string(), name: z.string(), state: z.unknown(), createdAt: z.string() })

const Id = z.strictObject({ id: z.string().min(1).max(100) })
/** The saved weights an answer came from (by default: those the run's metrics describe). */
const UsedCheckpoint = z.object({
  kind: z.enum(['best', 'final']),
  epoch: z.number().int().nullable(),
  /** Whether these are the weights the run's test metrics (or validation figures) were computed with. */
  matchesMetrics: z.boolean()
})
const Empty = z.strictObject({}).default({})
/** An opaque id for a path the person chose (dialog, drop, command line); see path-grants.ts. */
const Grant = z.string().min(1).max(100)
const Chosen = z.object({ grant: Grant.nullable(), name: z.string().nullable() })

export const operations = {
  'app.info': { request: Empty, response: AppInfo },
  /** Preferences kept in the database. The worker count applies at the next start. */
  'settings.get': { request: Empty, response: Settings },
  'settings.set': { request: z.strictObject({ workers: z.number().int().min(1).max(32).nullable() }), response: Settings },
  'system.backends': { request: Empty, response: z.array(BackendReport.extend({ worker: z.number().int() })) },
  'datasets.list': { request: Empty, response: z.array(DatasetSummary) },
  'datasets.get': { request: Id, response: DatasetDetail },
  'datasets.generateSine': { request: SineParams, response: DatasetSummary },
  'datasets.generateStock': { request: GbmParams, response: DatasetSummary },
  'datasets.generateText': {
    request: z.strictObject({ name: z.string().trim().min(1).max(200).optional() }).default({}),
    response: DatasetSummary
  },
  /** What the importer understands of a CSV file, before anything is stored. */
  'datasets.previewCsv': {
    request: z.strictObject({ source: FileSource, options: ImportOptions.optional() }),
    response: ImportPreview
  },
  'datasets.importCsv': {
    request: z.strictObject({
      source: FileSource,
      name: z.string().trim().min(1).max(200).optional(),
      options: ImportOptions.optional(),
      /** Chosen by the caller to match `datasets.importProgress` events. */
      importId: z.string().max(100).optional()
    }),
    response: z.object({ dataset: DatasetSummary, duplicateOf: z.string().nullable(), report: CsvImportSummary })
  },
  'datasets.previewText': {
    request: z.strictObject({ source: FileSource, options: TextImportOptions.optional() }),
    response: TextPreview
  },
  'datasets.importText': {
    request: z.strictObject({
      source: FileSource,
      name: z.string().trim().min(1).max(200).optional(),
      options: TextImportOptions.optional(),
      importId: z.string().max(100).optional()
    }),
    response: z.object({ dataset: DatasetSummary, duplicateOf: z.string().nullable(), report: TextStats })
  },
  /**
   * Deletes a dataset. Its runs are kept by default (records, metrics and models stay; re-run becomes
   * impossible); `runs: 'delete'` deletes them too (refused while one of them is queued or running).
   */
  'datasets.delete': {
    request: z.strictObject({ id: z.string().min(1).max(100), runs: z.enum(['keep', 'delete']).default('keep') }),
    response: z.object({ deleted: z.boolean(), runsKept: z.number().int(), runsDeleted: z.number().int() })
  },
  /** The course examples: a built-in dataset and a ready configuration each. */
  'examples.list': {
    request: Empty,
    response: z.array(
      z.object({ id: z.string(), title: z.string(), description: z.string(), task: z.enum(['forecast', 'text']), config: RunConfig })
    )
  },
  /** Creates (or reuses) the example's dataset and starts its run. */
  'examples.run': { request: z.strictObject({ id: z.string().min(1).max(100) }), response: RunSummary },
  /** Filter and sort by dataset, tag, status, sweep, name, and any metric or config field. */
  'runs.list': { request: RunQuery, response: z.array(RunSummary) },
  'runs.update': {
    request: z.strictObject({
      id: z.string().min(1).max(100),
      name: z.string().trim().min(1).max(200).optional(),
      notes: z.string().max(20_000).nullable().optional(),
      tags: z.array(z.string().trim().min(1).max(50)).max(50).optional()
    }),
    response: RunSummary
  },
  'runs.tags': { request: Empty, response: z.array(z.object({ tag: z.string(), runs: z.number().int() })) },
  /** Runs side by side: their details and a config diff listing only the fields that differ. */
  'runs.compare': {
    request: z.strictObject({ ids: z.array(z.string().min(1).max(100)).min(1).max(50) }),
    response: z.object({
      runs: z.array(RunDetail),
      configDiff: z.array(
        z.object({ path: z.string(), values: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]).optional()) })
      ),
      /** Ids asked for that are no longer there (deleted). */
      missing: z.array(z.string()).default([])
    })
  },
  /** A new run from a run's stored config and dataset (refused if that dataset is gone or changed). */
  'runs.rerun': { request: Id.extend({ target: RunTarget.optional() }), response: RunSummary },
  /**
   * Writes a run bundle (run.json, predictions.csv, model/) into a folder granted for writing (its own
   * subfolder named after the run with `subfolder`). Answers a read grant of the bundle (to reveal it).
   */
  'runs.export': {
    request: z.strictObject({ id: z.string().min(1).max(100), folder: Grant, subfolder: z.boolean().default(false) }),
    response: z.object({ dir: z.string(), files: z.array(z.string()), grant: Grant })
  },
  /**
   * Desktop only (NOT_AVAILABLE on serve, which downloads them from RUN_FILES_PATH): asks for a folder
   * with the native dialog and writes the run's model (TF.js and Keras-named: model.json + weights each)
   * or its predictions CSV there. `dir: null` when the dialog was cancelled.
   */
  'runs.saveFiles': {
    request: z.strictObject({
      id: z.string().min(1).max(100),
      what: z.enum(['model', 'predictions']),
      checkpoint: z.enum(['best', 'final']).default('best')
    }),
    response: z.object({ dir: z.string().nullable(), files: z.array(z.string()) })
  },
  /** Imports a granted bundle folder; a run id that is taken or unsafe gets a new id (`importedFrom`). */
  'runs.import': { request: z.strictObject({ bundle: Grant }), response: RunSummary },
  'sweeps.create': {
    request: z.strictObject({
      datasetId: z.string().min(1),
      name: z.string().trim().min(1).max(200).optional(),
      base: z.unknown(),
      spec: SweepSpec,
      /** Every trial to the local pool or to the queue (default: the Remote workers setting). */
      target: RunTarget.optional()
    }),
    response: z.object({ sweep: Sweep, runs: z.array(RunSummary) })
  },
  'sweeps.list': { request: Empty, response: z.array(Sweep) },
  'views.list': { request: Empty, response: z.array(SavedView) },
  'views.save': {
    request: z.strictObject({
      id: z.string().max(100).optional(),
      name: z.string().trim().min(1).max(200),
      state: z.record(z.string(), z.unknown())
    }),
    response: SavedView
  },
  'views.delete': { request: Id, response: z.object({ deleted: z.boolean() }) },
  /**
   * Desktop only (NOT_AVAILABLE on serve): native dialogs and the file manager. A chosen file is
   * granted for reading, a chosen folder for writing; the renderer holds the grant, never the path.
   */
  'shell.chooseFile': {
    request: z.strictObject({ kind: z.enum(['csv', 'text', 'any']).default('any') }),
    response: Chosen
  },
  'shell.chooseFolder': {
    request: z.strictObject({ title: z.string().max(200).optional() }).default({}),
    response: Chosen
  },
  'shell.reveal': { request: z.strictObject({ grant: Grant }), response: z.object({ ok: z.boolean() }) },
  'runs.get': { request: Id, response: RunDetail },
  'runs.start': {
    request: z.strictObject({
      datasetId: z.string().min(1),
      name: z.string().trim().min(1).max(200).optional(),
      config: RunConfig,
      /** The local pool or the queue (default: the Remote workers setting). */
      target: RunTarget.optional()
    }),
    response: RunSummary
  },
  /** The queue of remote workers: its (redacted) URL, connection, the workers heartbeating, jobs. */
  'remote.status': { request: Empty, response: RemoteStatus },
  /**
   * Saves the queue URL (kept in the settings table of the database, password included; never sent
   * back) and whether new runs go to it. A URL given on the command line wins for that session.
   */
  'remote.configure': {
    request: z.strictObject({ url: QueueUrl.nullable().optional(), sendRuns: z.boolean().optional() }),
    response: RemoteStatus
  },
  /**
   * Seconds per epoch of a config on a dataset, from a quick probe (a few batches trained in a worker
   * with a throw-away model), and the memory the run will need. Nothing is stored.
   */
  'runs.estimate': {
    request: z.strictObject({ datasetId: z.string().min(1), config: RunConfig }),
    response: z.object({
      secondsPerEpoch: z.number(),
      batchesPerEpoch: z.number().int(),
      msPerBatch: z.number(),
      probeBatches: z.number().int(),
      backend: z.string(),
      /** The memory the run will need (≈; forecasts only, null for language models) beside what is free. */
      memory: z
        .object({
          bytes: z.number(),
          freeBytes: z.number(),
          fits: z.boolean(),
          parts: z.record(z.string(), z.number())
        })
        .nullable()
    })
  },
  /**
   * What to know before training a config: how much of the validation and test target lies outside
   * the training range, and the changes that help. Nothing is stored.
   */
  'runs.check': {
    request: z.strictObject({ datasetId: z.string().min(1), config: RunConfig }),
    response: z.object({ extrapolation: RangeCheck.nullable() })
  },
  /** Language-model runs: generate text from the saved model. */
  'runs.sample': {
    request: z.strictObject({
      id: z.string().min(1).max(100),
      prime: z.string().max(2000).optional(),
      temperature: z.number().gt(0).max(10).optional(),
      topK: z.number().int().min(1).max(100_000).nullable().optional(),
      length: z.number().int().min(1).max(10_000).optional(),
      seed: Seed.optional(),
      checkpoint: z.enum(['best', 'final']).optional()
    }),
    response: z.object({ text: z.string(), checkpoint: UsedCheckpoint })
  },
  /** Forecasting runs: `steps` values beyond the end of the data, from the saved model. */
  'runs.predict': {
    request: z.strictObject({
      id: z.string().min(1).max(100),
      steps: z.number().int().min(1).max(10_000).default(1),
      checkpoint: z.enum(['best', 'final']).optional()
    }),
    response: z.object({
      steps: z.array(
        z.object({
          step: z.number().int(),
          time: z.string().nullable(),
          value: z.number(),
          /** Split-conformal bounds; null beyond the calibrated horizon or without a validation part. */
          lower80: z.number().nullable().default(null),
          upper80: z.number().nullable().default(null),
          lower95: z.number().nullable().default(null),
          upper95: z.number().nullable().default(null)
        })
      ),
      checkpoint: UsedCheckpoint,
      /** How the dates were continued: "business days (…)", "monthly", "every 1 h"; null without a time column. */
      calendar: z.string().nullable().default(null)
    })
  },
  'runs.cancel': { request: Id, response: RunSummary },
  /** Continues an interrupted run from its last checkpoint (weights, optimizer state, epoch, RNG) into the same record. */
  'runs.resume': { request: Id, response: RunSummary },
  'runs.delete': { request: Id, response: z.object({ deleted: z.boolean() }) }
} as const

/**
 * Events pushed to every client. One naming convention for operations and events: `<area>.<name>`, where the
 * area is the same plural namespace (`runs.*`, `datasets.*`) or the singular front-end area (`ui.*`).
 */
export const events = {
  /** The desktop menu asks the UI to import this file (File → Import…, or a file opened with the app). */
  'ui.importFile': z.object({ grant: z.string(), name: z.string() }),
  /** A desktop menu command for the UI: export the run on screen, open the run form or settings. */
  'ui.command': z.object({ command: z.enum(['exportRun', 'newRun', 'openSettings']) }),
  /** A dataset was added or deleted (by this window, another one, or the CLI's shared core). */
  'datasets.changed': z.object({ id: z.string(), change: z.enum(['added', 'deleted']) }),
  /** Bytes read so far by an import (throttled). */
  'datasets.importProgress': z.object({ importId: z.string(), bytesRead: z.number(), totalBytes: z.number() }),
  /** A run changed status (queued → running → completed/failed/cancelled). */
  'runs.status': z.object({ run: RunSummary }),
  /** Throttled batch progress, at most 10 a second per run. */
  'runs.progress': z.object({
    runId: z.string(),
    epoch: z.number().int(),
    epochs: z.number().int(),
    batch: z.number().int(),
    batches: z.number().int(),
    loss: z.number().nullable(),
    etaMs: z.number().nullable()
  }),
  /** One finished epoch, already stored. */
  'runs.epoch': z.object({ runId: z.string(), record: EpochRecord }),
  'runs.finished': z.object({
    runId: z.string(),
    status: RunStatus,
    metrics: RunMetrics.nullable(),
    error: z.string().nullable()
  })
} as const

export type Operations = typeof operations
export type OperationName = keyof Operations
export type Request<K extends OperationName> = z.input<Operations[K]['request']>
export type ParsedRequest<K extends OperationName> = z.output<Operations[K]['request']>
export type Response<K extends OperationName> = z.output<Operations[K]['response']>

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<K extends EventName> = z.output<Events[K]>
export type AnyEvent = { [K in EventName]: { name: K; payload: EventPayload<K> } }[EventName]

export const OPERATION_NAMES = Object.keys(operations) as OperationName[]

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(operations, name)
}

/** The handlers a core must provide: one per operation, taking the validated request. */
export type Handlers = { [K in OperationName]: (req: ParsedRequest<K>) => Promise<Response<K>> }

export { IPC_INVOKE_CHANNEL, IPC_EVENT_CHANNEL, HTTP_API_PREFIX, WS_EVENTS_PATH, TOKEN_COOKIE, UPLOAD_PATH } from './channels'
