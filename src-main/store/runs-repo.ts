/** Runs and their per-epoch metrics. The core is the only writer; every write is one transaction. */
import type Database from 'better-sqlite3'
import type { z } from 'zod'
import type { EpochRecord } from '../../src-shared/domain'
import type {
  Artifact,
  BackendAttempt,
  BackendName,
  Predictions,
  RunDetail,
  RunMetrics,
  RunStatus,
  RunSummary,
  TextMetrics
} from '../../src-shared/domain'
import type { RunConfig } from '../../src-shared/run-config'
import type { RUN_COLUMNS, RunQuery } from '../../src-shared/run-query'
import type { RecordedOwner, RunOwner } from '../services/process-identity'

export interface NewRun {
  id: string
  name: string
  datasetId: string
  datasetHash: string
  config: RunConfig
  appVersion: string
  parameterCount: number
  /** The process that trains it (none: a run recorded by a tool, treated as orphaned while unfinished). */
  owner?: RunOwner
}

/** A queued or running run and the process that owns it. */
export type UnfinishedRun = RecordedOwner & { id: string }

/** An epoch as callers give it: the language-model figures are optional. */
export type EpochInput = z.input<typeof EpochRecord>

interface EpochRow {
  epoch: number
  loss: number
  val_loss: number | null
  elapsed_ms: number
  learning_rate: number | null
  accuracy: number | null
  val_accuracy: number | null
  sample: string | null
  sample_prime: string | null
}

interface RunRow {
  id: string
  dataset_id: string | null
  dataset_name: string | null
  dataset_hash: string
  name: string
  status: RunStatus
  config_json: string
  backend: BackendName | null
  backend_attempts_json: string | null
  app_version: string
  tfjs_version: string | null
  created_at: string
  started_at: string | null
  finished_at: string | null
  error: string | null
  metrics_json: string | null
  predictions_json: string | null
  text_metrics_json: string | null
  final_sample: string | null
  parameter_count: number
  epochs_done: number
  last_loss: number | null
  last_val_loss: number | null
  best_val_loss: number | null
  best_epoch: number | null
  tags: string | null
  notes: string | null
  sweep_id: string | null
  remote_queue: string | null
  worker_host: string | null
  worker_id: string | null
  attempt: number
  attempt_note: string | null
  imported_from: string | null
}

const SELECT_RUN = `
  SELECT r.*, d.name AS dataset_name,
    (SELECT group_concat(tag, char(31)) FROM run_tags t WHERE t.run_id = r.id) AS tags
  FROM runs r LEFT JOIN datasets d ON d.id = r.dataset_id`

/** SQL for a run field of a query; JSON paths are bound parameters, never spliced into the SQL. */
const COLUMN_SQL: Record<(typeof RUN_COLUMNS)[number], string> = {
  name: 'r.name',
  createdAt: 'r.created_at',
  status: 'r.status',
  epochsDone: 'r.epochs_done',
  lastLoss: 'r.last_loss',
  lastValLoss: 'r.last_val_loss',
  bestValLoss: 'r.best_val_loss',
  parameterCount: 'r.parameter_count',
  seed: 'r.seed',
  backend: 'r.backend'
}
const JSON_COLUMN = { config: 'r.config_json', metrics: 'r.metrics_json', textMetrics: 'r.text_metrics_json' } as const
const OPS = { eq: '=', ne: 'IS NOT', lt: '<', le: '<=', gt: '>', ge: '>=' } as const

function fieldSql(field: string): { sql: string; args: unknown[] } {
  if (field in COLUMN_SQL) return { sql: COLUMN_SQL[field as keyof typeof COLUMN_SQL], args: [] }
  const dot = field.indexOf('.')
  const root = field.slice(0, dot) as keyof typeof JSON_COLUMN
  return { sql: `json_extract(${JSON_COLUMN[root]}, ?)`, args: [`$${field.slice(dot)}`] }
}

function toSummary(r: RunRow): RunSummary {
  return {
    id: r.id,
    name: r.name,
    datasetId: r.dataset_id,
    datasetName: r.dataset_name,
    datasetHash: r.dataset_hash,
    status: r.status,
    config: JSON.parse(r.config_json),
    backend: r.backend,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    epochsDone: r.epochs_done,
    lastLoss: r.last_loss,
    lastValLoss: r.last_val_loss,
    bestValLoss: r.best_val_loss,
    bestEpoch: r.best_epoch,
    tags: r.tags ? r.tags.split('\u001f').sort() : [],
    notes: r.notes,
    importedFrom: r.imported_from ?? null,
    sweepId: r.sweep_id,
    metrics: r.metrics_json ? (JSON.parse(r.metrics_json) as RunMetrics) : null,
    textMetrics: r.text_metrics_json ? (JSON.parse(r.text_metrics_json) as TextMetrics) : null,
    error: r.error,
    trainedOn: r.worker_host ? { host: r.worker_host, workerId: r.worker_id ?? '' } : null,
    remoteQueue: r.remote_queue,
    attempt: r.attempt,
    attemptNote: r.attempt_note
  }
}

const now = () => new Date().toISOString()

export class RunsRepo {
  constructor(private readonly db: Database.Database) {}

  insert(run: NewRun): RunSummary {
    this.db
      .prepare(
        `INSERT INTO runs (id, dataset_id, dataset_hash, name, status, config_json, app_version, created_at, seed, parameter_count,
           owner_pid, owner_started, owner_host, owner_instance, heartbeat_at)
         VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(
        run.id,
        run.datasetId,
        run.datasetHash,
        run.name,
        JSON.stringify(run.config),
        run.appVersion,
        now(),
        run.config.training.seed,
        run.parameterCount,
        run.owner?.pid ?? null,
        run.owner?.started ?? null,
        run.owner?.host ?? null,
        run.owner?.instance ?? null,
        Date.now()
      )
    return this.get(run.id)!
  }

  get(id: string): RunSummary | null {
    const row = this.db.prepare(`${SELECT_RUN} WHERE r.id = ?`).get(id) as RunRow | undefined
    return row ? toSummary(row) : null
  }

  detail(id: string): RunDetail | null {
    const row = this.db.prepare(`${SELECT_RUN} WHERE r.id = ?`).get(id) as RunRow | undefined
    if (!row) return null
    return {
      ...toSummary(row),
      epochs: this.epochs(id),
      backendAttempts: row.backend_attempts_json ? (JSON.parse(row.backend_attempts_json) as BackendAttempt[]) : [],
      appVersion: row.app_version,
      tfjsVersion: row.tfjs_version,
      predictions: row.predictions_json ? (JSON.parse(row.predictions_json) as Predictions) : null,
      parameterCount: row.parameter_count,
      artifacts: this.artifacts(id),
      finalSample: row.final_sample
    }
  }

  list(q: RunQuery = {}): RunSummary[] {
    const where: string[] = []
    const args: unknown[] = []
    const add = (sql: string, ...a: unknown[]) => {
      where.push(sql)
      args.push(...a)
    }
    if (q.datasetId) add('r.dataset_id = ?', q.datasetId)
    if (q.status) add('r.status = ?', q.status)
    if (q.sweepId) add('r.sweep_id = ?', q.sweepId)
    if (q.worker) add('(r.worker_host = ? OR r.worker_id = ?)', q.worker, q.worker)
    if (q.tag) add('EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.id AND t.tag = ?)', q.tag)
    if (q.search) add("r.name LIKE ? ESCAPE '\\'", `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    if (q.ids) add(`r.id IN (${q.ids.map(() => '?').join(',') || 'NULL'})`, ...q.ids)
    for (const c of q.where ?? []) {
      const f = fieldSql(c.field)
      const value = typeof c.value === 'boolean' ? (c.value ? 1 : 0) : c.value
      if (value === null) add(`${f.sql} ${c.op === 'ne' ? 'IS NOT NULL' : 'IS NULL'}`, ...f.args)
      else add(`${f.sql} ${c.op === 'ne' ? '!=' : OPS[c.op]} ?`, ...f.args, value)
    }
    let order = 'r.created_at DESC, r.id'
    const orderArgs: unknown[] = []
    if (q.sort) {
      const f = fieldSql(q.sort.field)
      order = `(${f.sql}) IS NULL, ${f.sql} ${q.sort.direction === 'desc' ? 'DESC' : 'ASC'}, r.created_at DESC, r.id`
      orderArgs.push(...f.args, ...f.args)
    }
    const limit = q.limit ? ` LIMIT ${q.limit} OFFSET ${q.offset ?? 0}` : ''
    const sql = `${SELECT_RUN} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order}${limit}`
    return (this.db.prepare(sql).all(...args, ...orderArgs) as RunRow[]).map(toSummary)
  }

  /** Inserts a run from another installation's bundle, with its epochs, in one transaction. */
  insertImported(run: RunDetail, datasetId: string | null): void {
    const json = (v: unknown) => (v ? JSON.stringify(v) : null)
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO runs (id, dataset_id, dataset_hash, name, status, config_json, backend, backend_attempts_json, app_version,
             tfjs_version, created_at, started_at, finished_at, error, metrics_json, predictions_json, text_metrics_json, final_sample,
             seed, parameter_count, notes)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
        )
        .run(
          run.id,
          datasetId,
          run.datasetHash,
          run.name,
          run.status,
          JSON.stringify(run.config),
          run.backend,
          json(run.backendAttempts),
          run.appVersion,
          run.tfjsVersion,
          run.createdAt,
          run.startedAt,
          run.finishedAt,
          run.error,
          json(run.metrics),
          json(run.predictions),
          json(run.textMetrics),
          run.finalSample,
          run.config.training.seed,
          run.parameterCount,
          run.notes
        )
      this.db.prepare('UPDATE runs SET imported_from = ? WHERE id = ?').run(run.importedFrom ?? null, run.id)
      for (const e of run.epochs) this.appendEpoch(run.id, e)
      this.setTags(run.id, run.tags)
    })()
  }

  setParameterCount(id: string, n: number): void {
    this.db.prepare('UPDATE runs SET parameter_count = ? WHERE id = ?').run(n, id)
  }

  rename(id: string, name: string): void {
    this.db.prepare('UPDATE runs SET name = ? WHERE id = ?').run(name, id)
  }

  setNotes(id: string, notes: string | null): void {
    this.db.prepare('UPDATE runs SET notes = ? WHERE id = ?').run(notes, id)
  }

  setTags(id: string, tags: string[]): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM run_tags WHERE run_id = ?').run(id)
      const ins = this.db.prepare('INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)')
      for (const t of tags) ins.run(id, t)
    })()
  }

  allTags(): { tag: string; runs: number }[] {
    return this.db.prepare('SELECT tag, COUNT(*) AS runs FROM run_tags GROUP BY tag ORDER BY tag').all() as { tag: string; runs: number }[]
  }

  epochs(id: string): EpochRecord[] {
    return (this.db.prepare('SELECT * FROM run_epochs WHERE run_id = ? ORDER BY epoch').all(id) as EpochRow[]).map((e) => ({
      epoch: e.epoch,
      loss: e.loss,
      valLoss: e.val_loss,
      elapsedMs: e.elapsed_ms,
      learningRate: e.learning_rate,
      accuracy: e.accuracy,
      valAccuracy: e.val_accuracy,
      sample: e.sample,
      samplePrime: e.sample_prime
    }))
  }

  addArtifact(id: string, a: Artifact): void {
    this.db
      .prepare('INSERT OR REPLACE INTO run_artifacts (run_id, kind, path, bytes, epoch, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, a.kind, a.path, a.bytes, a.epoch, now())
  }

  removeArtifact(id: string, kind: Artifact['kind']): void {
    this.db.prepare('DELETE FROM run_artifacts WHERE run_id = ? AND kind = ?').run(id, kind)
  }

  artifacts(id: string): Artifact[] {
    return this.db.prepare('SELECT kind, path, bytes, epoch FROM run_artifacts WHERE run_id = ? ORDER BY kind').all(id) as Artifact[]
  }

  markStarted(id: string, backend: BackendName, attempts: BackendAttempt[], tfjsVersion: string): void {
    this.db
      .prepare(
        `UPDATE runs SET status = 'running', started_at = ?, backend = ?, backend_attempts_json = ?, tfjs_version = ?
         WHERE id = ? AND status = 'queued'`
      )
      .run(now(), backend, JSON.stringify(attempts), tfjsVersion, id)
  }

  /** Stores an epoch and updates the run's summary columns, in one transaction. */
  appendEpoch(id: string, e: EpochInput): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT OR REPLACE INTO run_epochs (run_id, epoch, loss, val_loss, elapsed_ms, learning_rate, accuracy, val_accuracy, sample, sample_prime)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
        )
        .run(
          id,
          e.epoch,
          e.loss,
          e.valLoss,
          e.elapsedMs,
          e.learningRate ?? null,
          e.accuracy ?? null,
          e.valAccuracy ?? null,
          e.sample ?? null,
          e.samplePrime ?? null
        )
      this.db
        .prepare(
          `UPDATE runs SET epochs_done = MAX(epochs_done, ?), last_loss = ?, last_val_loss = ?,
             best_epoch = CASE WHEN ? IS NOT NULL AND (best_val_loss IS NULL OR ? < best_val_loss) THEN ? ELSE best_epoch END,
             best_val_loss = CASE WHEN ? IS NOT NULL AND (best_val_loss IS NULL OR ? < best_val_loss) THEN ? ELSE best_val_loss END
           WHERE id = ?`
        )
        .run(e.epoch, e.loss, e.valLoss, e.valLoss, e.valLoss, e.epoch, e.valLoss, e.valLoss, e.valLoss, id)
    })()
  }

  finish(
    id: string,
    status: Extract<RunStatus, 'completed' | 'failed' | 'cancelled'>,
    result: {
      // Inputs: fields with schema defaults may be left out (readers treat them as their defaults).
      metrics?: z.input<typeof RunMetrics> | null
      predictions?: z.input<typeof Predictions> | null
      textMetrics?: z.input<typeof TextMetrics> | null
      finalSample?: string | null
      error?: string | null
    }
  ): void {
    const json = (v: unknown) => (v ? JSON.stringify(v) : null)
    this.db
      .prepare(
        `UPDATE runs SET status = ?, finished_at = ?, metrics_json = ?, predictions_json = ?, text_metrics_json = ?,
           final_sample = ?, error = ?
         WHERE id = ? AND status IN ('queued', 'running')`
      )
      .run(
        status,
        now(),
        json(result.metrics),
        json(result.predictions),
        json(result.textMetrics),
        result.finalSample ?? null,
        result.error ?? null,
        id
      )
  }

  /**
   * Queued or running runs with their owners (the ownership check decides which were orphaned). Runs sent
   * to the queue are left out: their results wait in Redis for the next core that opens the queue.
   */
  unfinished(): UnfinishedRun[] {
    return this.db
      .prepare(
        `SELECT id, owner_pid AS pid, owner_started AS started, owner_host AS host, owner_instance AS instance,
           heartbeat_at AS heartbeatAt
         FROM runs WHERE status IN ('queued', 'running') AND remote_queue IS NULL`
      )
      .all() as UnfinishedRun[]
  }

  /** The process recorded as training a run (null for an unknown run). */
  owner(id: string): RecordedOwner | null {
    const row = this.db
      .prepare(
        `SELECT owner_pid AS pid, owner_started AS started, owner_host AS host, owner_instance AS instance, heartbeat_at AS heartbeatAt
         FROM runs WHERE id = ?`
      )
      .get(id) as RecordedOwner | undefined
    return row ?? null
  }

  /**
   * Runs whose owner ended become interrupted, keeping their epochs (all queued or running ones without ids).
   * Runs sent to the queue never are: their results wait in Redis.
   */
  markInterrupted(ids?: string[]): number {
    const which = ids ? `AND id IN (${ids.map(() => '?').join(',') || 'NULL'})` : ''
    return this.db
      .prepare(
        `UPDATE runs SET status = 'interrupted', finished_at = ?,
           error = COALESCE(error, 'RNN Lab stopped before this run finished')
         WHERE status IN ('queued', 'running') AND remote_queue IS NULL ${which}`
      )
      .run(now(), ...(ids ?? [])).changes
  }

  /** The owner's heartbeat on every queued or running run it owns. */
  heartbeat(owner: RunOwner, at: number): void {
    this.db
      .prepare(
        `UPDATE runs SET heartbeat_at = ? WHERE owner_pid = ? AND owner_started = ? AND owner_host = ? AND owner_instance = ?
           AND status IN ('queued', 'running')`
      )
      .run(at, owner.pid, owner.started, owner.host, owner.instance)
  }

  /**
   * An interrupted run queued again under a new owner for resuming (false when it is not interrupted:
   * another process resumed it first). Its epochs become the checkpoint's `history` (1..k): later
   * ones are trained again, and any the killed process had not stored yet are restored.
   */
  reopenForResume(id: string, owner: RunOwner, history: EpochInput[]): boolean {
    const fromEpoch = history.at(-1)?.epoch ?? 0
    return this.db.transaction(() => {
      const changed = this.db
        .prepare(
          `UPDATE runs SET status = 'queued', finished_at = NULL, error = NULL, metrics_json = NULL, predictions_json = NULL,
             text_metrics_json = NULL, final_sample = NULL,
             owner_pid = ?, owner_started = ?, owner_host = ?, owner_instance = ?, heartbeat_at = ?
           WHERE id = ? AND status = 'interrupted'`
        )
        .run(owner.pid, owner.started, owner.host, owner.instance, Date.now(), id).changes
      if (changed === 0) return false
      this.db.prepare('DELETE FROM run_epochs WHERE run_id = ? AND epoch > ?').run(id, fromEpoch)
      for (const e of history) this.appendEpoch(id, e)
      this.db.prepare("DELETE FROM run_artifacts WHERE run_id = ? AND kind = 'final'").run(id)
      this.db
        .prepare(
          `UPDATE runs SET
             epochs_done = (SELECT COUNT(*) FROM run_epochs e WHERE e.run_id = runs.id),
             last_loss = (SELECT loss FROM run_epochs e WHERE e.run_id = runs.id ORDER BY epoch DESC LIMIT 1),
             last_val_loss = (SELECT val_loss FROM run_epochs e WHERE e.run_id = runs.id ORDER BY epoch DESC LIMIT 1),
             best_val_loss = (SELECT MIN(val_loss) FROM run_epochs e WHERE e.run_id = runs.id),
             best_epoch = (SELECT epoch FROM run_epochs e WHERE e.run_id = runs.id AND val_loss IS NOT NULL ORDER BY val_loss, epoch LIMIT 1)
           WHERE id = ?`
        )
        .run(id)
      return true
    })()
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM runs WHERE id = ?').run(id).changes > 0
  }
}
