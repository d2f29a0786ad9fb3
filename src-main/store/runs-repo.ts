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
import type { ExperimentConfig } from '../../src-shared/experiment'

export interface NewRun {
  id: string
  name: string
  datasetId: string
  datasetHash: string
  config: ExperimentConfig
  appVersion: string
  parameterCount: number
}

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
}

const SELECT_RUN = `
  SELECT r.*, d.name AS dataset_name,
    (SELECT COUNT(*) FROM run_epochs e WHERE e.run_id = r.id) AS epochs_done,
    (SELECT loss FROM run_epochs e WHERE e.run_id = r.id ORDER BY epoch DESC LIMIT 1) AS last_loss,
    (SELECT val_loss FROM run_epochs e WHERE e.run_id = r.id ORDER BY epoch DESC LIMIT 1) AS last_val_loss
  FROM runs r LEFT JOIN datasets d ON d.id = r.dataset_id`

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
    metrics: r.metrics_json ? (JSON.parse(r.metrics_json) as RunMetrics) : null,
    textMetrics: r.text_metrics_json ? (JSON.parse(r.text_metrics_json) as TextMetrics) : null,
    error: r.error
  }
}

const now = () => new Date().toISOString()

export class RunsRepo {
  constructor(private readonly db: Database.Database) {}

  insert(run: NewRun): RunSummary {
    this.db
      .prepare(
        `INSERT INTO runs (id, dataset_id, dataset_hash, name, status, config_json, app_version, created_at, seed, parameter_count)
         VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)`
      )
      .run(run.id, run.datasetId, run.datasetHash, run.name, JSON.stringify(run.config), run.appVersion, now(), run.config.training.seed, run.parameterCount)
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

  list(filter: { datasetId?: string; status?: RunStatus } = {}): RunSummary[] {
    const where: string[] = []
    const args: unknown[] = []
    if (filter.datasetId) {
      where.push('r.dataset_id = ?')
      args.push(filter.datasetId)
    }
    if (filter.status) {
      where.push('r.status = ?')
      args.push(filter.status)
    }
    const sql = `${SELECT_RUN} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.created_at DESC, r.id`
    return (this.db.prepare(sql).all(...args) as RunRow[]).map(toSummary)
  }

  epochs(id: string): EpochRecord[] {
    return (
      this.db
        .prepare('SELECT * FROM run_epochs WHERE run_id = ? ORDER BY epoch')
        .all(id) as EpochRow[]
    ).map((e) => ({
      epoch: e.epoch,
      loss: e.loss,
      valLoss: e.val_loss,
      elapsedMs: e.elapsed_ms,
      learningRate: e.learning_rate,
      accuracy: e.accuracy,
      valAccuracy: e.val_accuracy,
      sample: e.sample
    }))
  }

  addArtifact(id: string, a: Artifact): void {
    this.db
      .prepare('INSERT OR REPLACE INTO run_artifacts (run_id, kind, path, bytes, epoch, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, a.kind, a.path, a.bytes, a.epoch, now())
  }

  artifacts(id: string): Artifact[] {
    return this.db
      .prepare('SELECT kind, path, bytes, epoch FROM run_artifacts WHERE run_id = ? ORDER BY kind')
      .all(id) as Artifact[]
  }

  markStarted(id: string, backend: BackendName, attempts: BackendAttempt[], tfjsVersion: string): void {
    this.db
      .prepare(
        `UPDATE runs SET status = 'running', started_at = ?, backend = ?, backend_attempts_json = ?, tfjs_version = ?
         WHERE id = ? AND status = 'queued'`
      )
      .run(now(), backend, JSON.stringify(attempts), tfjsVersion, id)
  }

  appendEpoch(id: string, e: EpochInput): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO run_epochs (run_id, epoch, loss, val_loss, elapsed_ms, learning_rate, accuracy, val_accuracy, sample)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(id, e.epoch, e.loss, e.valLoss, e.elapsedMs, e.learningRate ?? null, e.accuracy ?? null, e.valAccuracy ?? null, e.sample ?? null)
  }

  finish(
    id: string,
    status: Extract<RunStatus, 'completed' | 'failed' | 'cancelled'>,
    result: {
      metrics?: RunMetrics | null
      predictions?: Predictions | null
      textMetrics?: TextMetrics | null
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
      .run(status, now(), json(result.metrics), json(result.predictions), json(result.textMetrics), result.finalSample ?? null, result.error ?? null, id)
  }

  /** At start: runs a crash left queued or running become interrupted, keeping their epochs. */
  markInterrupted(): number {
    return this.db
      .prepare(
        `UPDATE runs SET status = 'interrupted', finished_at = ?,
           error = COALESCE(error, 'RNN Lab stopped before this run finished')
         WHERE status IN ('queued', 'running')`
      )
      .run(now()).changes
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM runs WHERE id = ?').run(id).changes > 0
  }
}
