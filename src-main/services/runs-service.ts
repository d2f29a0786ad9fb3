/**
 * Runs: validates a config against its dataset, records the run, queues it on the worker pool and is
 * the one writer of everything the workers report (status, epochs, metrics), emitting contract events.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { ApiError } from '../../src-shared/errors'
import type { RunDetail, RunStatus, RunSummary } from '../../src-shared/domain'
import { summarizeModel } from '../../src-shared/model-summary'
import { prepareForecast } from '../../src-shared/prepare'
import { CELL_LABELS, type RunConfig } from '../../src-shared/run-config'
import type { RunsRepo } from '../store/runs-repo'
import type { WorkerPool } from '../workers/worker-pool'
import type { DatasetsService } from './datasets-service'
import type { EventBus } from './event-bus'
import { newId } from './ids'

export class RunsService {
  private readonly active = new Map<string, Promise<void>>()

  constructor(
    private readonly repo: RunsRepo,
    private readonly datasets: DatasetsService,
    private readonly pool: WorkerPool,
    private readonly events: EventBus,
    private readonly appVersion: string,
    private readonly dataDir: string
  ) {}

  list(filter: { datasetId?: string; status?: RunStatus }): RunSummary[] {
    return this.repo.list(filter)
  }

  get(id: string): RunDetail {
    const run = this.repo.detail(id)
    if (!run) throw new ApiError('NOT_FOUND', `No run with id "${id}"`, { id })
    return run
  }

  start(req: { datasetId: string; name?: string; config: RunConfig }): RunSummary {
    const dataset = this.datasets.require(req.datasetId)
    const { config } = req
    if (dataset.kind !== 'series') {
      throw new ApiError('VALIDATION', `datasetId: "${dataset.name}" is a text dataset; a forecast needs a time series`, {
        issues: [{ path: 'datasetId', message: 'a forecast needs a time series' }]
      })
    }
    const numeric = new Set(dataset.columns.filter((c) => c.type === 'number').map((c) => c.name))
    config.features.forEach((f, i) => {
      if (!numeric.has(f)) {
        throw new ApiError('VALIDATION', `config.features[${i}]: "${f}" is not a numeric column of ${dataset.name}`, {
          issues: [{ path: `config.features[${i}]`, message: 'not a numeric column of the dataset' }]
        })
      }
    })
    if (!numeric.has(config.target)) {
      throw new ApiError('VALIDATION', `config.target: "${config.target}" is not a numeric column of ${dataset.name}`, {
        issues: [{ path: 'config.target', message: 'not a numeric column of the dataset' }]
      })
    }
    const columns = this.datasets.columns(dataset.id)
    // Throws a VALIDATION error naming config.window when a split cannot hold one window.
    prepareForecast(columns, config)

    const id = newId('run')
    const run = this.repo.insert({
      id,
      name: req.name ?? `${CELL_LABELS[config.model.cell]}(${config.model.layers.map((l) => l.units).join(',')}) w${config.window} · ${dataset.name}`,
      datasetId: dataset.id,
      datasetHash: dataset.hash,
      config,
      appVersion: this.appVersion,
      parameterCount: summarizeModel(config).totalParams
    })
    this.events.emit('run.status', { run })
    const done = this.pool
      .run(id, config, columns, (msg) => {
        switch (msg.type) {
          case 'started':
            this.repo.markStarted(id, msg.report.selected, msg.report.attempts, msg.report.tfjsVersion)
            this.emitStatus(id)
            break
          case 'progress':
            this.events.emit('run.progress', { runId: id, ...msg.progress })
            break
          case 'epoch':
            this.repo.appendEpoch(id, msg.record)
            this.events.emit('run.epoch', { runId: id, record: msg.record })
            break
          case 'artifact':
            this.repo.addArtifact(id, msg.artifact)
            break
        }
      }, this.artifactsDir(id))
      .then((end) => {
        if (end.type === 'completed') {
          this.repo.finish(id, 'completed', { metrics: end.metrics, predictions: end.predictions })
        } else if (end.type === 'cancelled') {
          this.repo.finish(id, 'cancelled', { error: 'Cancelled by the user' })
        } else {
          this.repo.finish(id, 'failed', { error: end.error })
        }
        const final = this.repo.get(id)
        if (final) {
          this.events.emit('run.status', { run: final })
          this.events.emit('run.finished', { runId: id, status: final.status, metrics: final.metrics, error: final.error })
        }
      })
      .finally(() => this.active.delete(id))
    this.active.set(id, done)
    return run
  }

  /** Where a run's model files live: <data dir>/runs/<run id>/. */
  artifactsDir(id: string): string {
    return join(this.dataDir, 'runs', id)
  }

  private emitStatus(id: string): void {
    const run = this.repo.get(id)
    if (run) this.events.emit('run.status', { run })
  }

  cancel(id: string): RunSummary {
    const run = this.get(id)
    if (run.status !== 'queued' && run.status !== 'running') {
      throw new ApiError('CONFLICT', `Run "${run.name}" is ${run.status}; only queued or running runs can be cancelled`)
    }
    this.pool.cancel(id)
    return this.repo.get(id)!
  }

  delete(id: string): boolean {
    const run = this.get(id)
    if (run.status === 'queued' || run.status === 'running') {
      throw new ApiError('CONFLICT', `Run "${run.name}" is ${run.status}: cancel it before deleting it`)
    }
    const deleted = this.repo.delete(id)
    rmSync(this.artifactsDir(id), { recursive: true, force: true })
    return deleted
  }

  /** Resolves when a run's job has ended and its result is stored (tests, CLI). */
  async whenDone(id: string): Promise<void> {
    await this.active.get(id)
  }

  async drain(): Promise<void> {
    await Promise.all([...this.active.values()])
  }
}
