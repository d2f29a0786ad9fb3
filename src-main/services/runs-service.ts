/**
 * Runs: validates a config against its dataset, records the run, queues it on the worker pool and is
 * the one writer of everything the workers report (status, epochs, checkpoints, metrics), emitting
 * contract events. Also samples from and forecasts with a finished run's saved model.
 */
import { existsSync, rmSync } from 'node:fs'
import { freemem, hostname } from 'node:os'
import { join } from 'node:path'
import { calendarLabel, detectCalendar, futureTimes } from '../../src-shared/calendar'
import { intervalAround } from '../../src-shared/conformal'
import type { DatasetSummary, Predictions, RunDetail, RunMetrics, RunSummary } from '../../src-shared/domain'
import { checkExtrapolation } from '../../src-shared/extrapolation'
import type { RunQuery } from '../../src-shared/run-query'
import { ApiError } from '../../src-shared/errors'
import type { RunTarget } from '../../src-shared/remote'
import { configLabel, type RunConfig } from '../../src-shared/run-config'
import { forecastMemory, refuseIfTooLarge, type MemoryEstimate } from '../../src-shared/memory-estimate'
import { summarizeModel } from '../../src-shared/model-summary'
import { checkForecastShape } from '../../src-shared/prepare'
import type { ForecastConfig } from '../../src-shared/forecast-config'
import { summarizeTextModel } from '../../src-shared/text-model-summary'
import type { TextConfig } from '../../src-shared/text-config'
import { readCheckpointState } from '../engine/checkpoint'
import { maxStepsAhead } from '../engine/forecast-ahead'
import type { RunsRepo } from '../store/runs-repo'
import type { JobPayload, JobResult } from '../workers/protocol'
import type { JobEnd, JobListener, WorkerPool } from '../workers/worker-pool'
import { isStorageError, storageError } from '../store/storage-errors'
import { releaseReserve } from '../store/disk-reserve'
import type { DatasetsService } from './datasets-service'
import type { EventBus } from './event-bus'
import { newId } from './ids'
import { isSafeId, requireInside, resolveInside } from './safe-paths'
import { ownerIsGone, type RunOwner } from './process-identity'
import { DEFAULT_STALE_MS } from './run-ownership'
import type { RemoteEnd, RemoteMessage, RemotePort, TrainPayload } from './remote-port'
import type { PlacementRepo } from '../store/placement-repo'

/** How the core reaches the queue: the placement records, the port (null: no queue), the UI's default. */
export interface RemoteAccess {
  placement: PlacementRepo
  port(): RemotePort | null
  defaultTarget(): RunTarget
}

export interface RunsServiceOptions {
  appVersion: string
  dataDir: string
  /** This core's identity, recorded on every run it trains. */
  owner: RunOwner
  /** Least milliseconds between two resumable checkpoints of a run. */
  checkpointEveryMs: number
  /** Bytes a new run may use (default: the machine's free memory); a run needing more is refused. */
  freeMemory?: () => number
  /** Remote workers (src-main/remote through a RemotePort); without it, runs train here only. */
  remote?: RemoteAccess
}

const issue = (path: string, message: string) => new ApiError('VALIDATION', `${path}: ${message}`, { issues: [{ path, message }] })

/** A job's payload, the buffers that move to the worker with it, and the run's size. */
interface PreparedJob {
  payload: JobPayload
  /** Buffers read for this job alone: they move to the worker without a copy. */
  transfer: ArrayBuffer[]
  params: number
  /** The memory the run needs (forecasts; null for language models). */
  memory: MemoryEstimate | null
}

/** The distinct buffers behind typed arrays that each own their whole buffer (safe to give up). */
function ownBuffers(arrays: ArrayBufferView[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>()
  for (const a of arrays) {
    if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) out.add(a.buffer)
  }
  return [...out]
}

export class RunsService {
  private readonly active = new Map<string, Promise<void>>()
  /** Ends of runs the database could not take (a full disk): recorded when it can again. */
  private readonly unrecorded = new Map<string, string>()
  /** Diagnostics hook (soak test): the worker's tensor count after each epoch of a run. */
  onWorkerEpoch: ((runId: string, numTensors: number) => void) | null = null

  constructor(
    private readonly repo: RunsRepo,
    private readonly datasets: DatasetsService,
    private readonly pool: WorkerPool,
    private readonly events: EventBus,
    private readonly options: RunsServiceOptions
  ) {}

  list(query: RunQuery): RunSummary[] {
    return this.repo.list(query)
  }

  get(id: string): RunDetail {
    const run = this.repo.detail(id)
    if (!run) throw new ApiError('NOT_FOUND', `No run with id "${id}"`, { id })
    return run
  }

  /** Where a run's model files live: <data dir>/runs/<run id>/ (an unsafe id is refused). */
  artifactsDir(id: string): string {
    if (!isSafeId(id)) throw new ApiError('FORBIDDEN', `Run id "${id.slice(0, 100)}" cannot name a folder`)
    return resolveInside(join(this.options.dataDir, 'runs'), id)
  }

  private forecastPayload(dataset: DatasetSummary, config: ForecastConfig, id: string): PreparedJob {
    if (dataset.kind !== 'series') throw issue('datasetId', `"${dataset.name}" is a text dataset; a forecast needs a time series`)
    const numeric = new Set(dataset.columns.filter((c) => c.type === 'number').map((c) => c.name))
    config.features.forEach((f, i) => {
      if (!numeric.has(f)) throw issue(`config.features[${i}]`, `"${f}" is not a numeric column of ${dataset.name}`)
    })
    if (!numeric.has(config.target)) throw issue('config.target', `"${config.target}" is not a numeric column of ${dataset.name}`)
    // Throws a VALIDATION error naming config.window when a split cannot hold one window.
    checkForecastShape(dataset.rows, config)
    const params = summarizeModel(config).totalParams
    const memory = forecastMemory(config, dataset.rows, params)
    // Only the columns the run reads, each in a buffer of its own that moves to the worker.
    const columns = this.datasets.columns(dataset.id, [...new Set([...config.features, config.target])])
    return {
      payload: { type: 'train-forecast', config, columns, artifactsDir: this.artifactsDir(id), checkpoint: this.plan(null) },
      transfer: ownBuffers(Object.values(columns)),
      params,
      memory
    }
  }

  private textPayload(dataset: DatasetSummary, config: TextConfig, id: string): PreparedJob {
    if (dataset.kind !== 'text') throw issue('datasetId', `"${dataset.name}" is a time series; a language model needs a text dataset`)
    const text = this.datasets.text(dataset.id)
    if (text.vocabulary !== config.vocabulary) {
      throw issue(
        'config.vocabulary',
        `"${dataset.name}" was imported at ${text.vocabulary} level; import it again at ${config.vocabulary} level`
      )
    }
    const trainTokens = config.split.val === 0 ? text.ids.length : Math.floor(text.ids.length * config.split.train)
    if (trainTokens <= config.sequenceLength) {
      throw issue('config.sequenceLength', `the training part has ${trainTokens} tokens, too few for sequences of ${config.sequenceLength}`)
    }
    return {
      payload: { type: 'train-text', config, text, artifactsDir: this.artifactsDir(id), checkpoint: this.plan(null) },
      transfer: ownBuffers([text.ids as ArrayBufferView]),
      params: summarizeTextModel(config, text.tokens.length).totalParams,
      memory: null
    }
  }

  private plan(resumeFrom: string | null) {
    return { everyMs: this.options.checkpointEveryMs, resumeFrom }
  }

  /**
   * Seconds per epoch from a probe of a few batches in a worker (validates like `start`), and the
   * memory the run will need beside what is free.
   */
  async estimate(req: { datasetId: string; config: RunConfig }) {
    const dataset = this.datasets.require(req.datasetId)
    const { config } = req
    const { payload, transfer, memory } =
      config.task === 'text' ? this.textPayload(dataset, config, 'probe') : this.forecastPayload(dataset, config, 'probe')
    let probe: JobPayload
    if (payload.type === 'train-text') probe = { type: 'probe-text', config: payload.config, text: payload.text }
    else if (payload.type === 'train-forecast') probe = { type: 'probe-forecast', config: payload.config, columns: payload.columns }
    else throw new ApiError('INTERNAL', `cannot probe a ${payload.type} job`)
    const freeBytes = (this.options.freeMemory ?? freemem)()
    const r = await this.job(probe, transfer)
    if (r.kind !== 'probe') throw new ApiError('INTERNAL', 'The probe returned no timing')
    return {
      secondsPerEpoch: (r.msPerBatch * r.batchesPerEpoch) / 1000,
      batchesPerEpoch: r.batchesPerEpoch,
      msPerBatch: r.msPerBatch,
      probeBatches: r.probeBatches,
      backend: r.backend,
      memory: memory && { bytes: memory.bytes, freeBytes, fits: memory.bytes <= freeBytes, parts: memory.parts }
    }
  }

  private get remote(): RemoteAccess | null {
    return this.options.remote ?? null
  }

  start(req: { datasetId: string; name?: string; config: RunConfig; target?: RunTarget }): RunSummary {
    const dataset = this.datasets.require(req.datasetId)
    const { config } = req
    const target = req.target ?? this.remote?.defaultTarget() ?? 'local'
    const port = target === 'local' ? null : this.requireQueue()
    const id = newId('run')
    const { payload, params, memory, transfer } =
      config.task === 'text' ? this.textPayload(dataset, config, id) : this.forecastPayload(dataset, config, id)
    // A run that would not fit in the memory left here is refused before anything is stored (a
    // worker machine has memory of its own).
    if (memory && !port) refuseIfTooLarge(memory, (this.options.freeMemory ?? freemem)())
    this.repo.insert({
      id,
      name: req.name ?? `${configLabel(config)} · ${dataset.name}`,
      datasetId: dataset.id,
      datasetHash: dataset.hash,
      config,
      appVersion: this.options.appVersion,
      parameterCount: params,
      owner: this.options.owner
    })
    if (port) {
      // Owned by this core like a local run, but it may outlive it: its results wait in Redis.
      const gpu = target === 'remote-gpu'
      const queue = port.queueFor(gpu)
      this.remote!.placement.markRemote(id, queue)
      const followed = { runId: id, queue, artifactsDir: this.artifactsDir(id), attempt: 1 }
      this.emitStatus(id)
      this.track(id, (listener) => port.submit(followed, payload as TrainPayload, gpu, listener))
      return this.repo.get(id)!
    }
    this.launch(id, payload, transfer)
    return this.repo.get(id)!
  }

  private requireQueue(): RemotePort {
    const port = this.remote?.port()
    if (!port)
      throw new ApiError('NOT_AVAILABLE', 'No queue is configured: start with --queue redis://… or set one in Settings → Remote workers')
    const why = port.unavailable()
    if (why) throw new ApiError('NOT_AVAILABLE', why)
    return port
  }

  /** Follows again the remote runs a previous core left unfinished (their results wait in Redis). */
  followRemoteRuns(): number {
    const port = this.remote?.port()
    if (!port) return 0
    const ids = this.remote!.placement.unfinishedRemote().filter((id) => !this.active.has(id))
    for (const id of ids) {
      const run = this.repo.get(id)!
      const followed = { runId: id, queue: run.remoteQueue!, artifactsDir: this.artifactsDir(id), attempt: run.attempt }
      this.track(id, (listener) => port.follow(followed, listener))
    }
    return ids.length
  }

  /**
   * Continues an interrupted run from its checkpoint (weights, optimizer, epoch, RNG position): epochs
   * after the checkpoint's are trained again, into the same run record.
   */
  resume(id: string): RunSummary {
    const run = this.get(id)
    if (run.status !== 'interrupted')
      throw new ApiError('CONFLICT', `Run "${run.name}" is ${run.status}; only interrupted runs can be resumed`)
    const checkpoint = run.artifacts.find((a) => a.kind === 'checkpoint')
    if (!checkpoint || !existsSync(checkpoint.path)) {
      throw new ApiError('CONFLICT', `Run "${run.name}" stopped before its first checkpoint; re-run it instead`)
    }
    const dataset = run.datasetId ? this.datasets.require(run.datasetId) : null
    if (!dataset || dataset.hash !== run.datasetHash) throw new ApiError('CONFLICT', `The dataset of run "${run.name}" is gone or changed`)
    const { config } = run
    const { payload, transfer } = config.task === 'text' ? this.textPayload(dataset, config, id) : this.forecastPayload(dataset, config, id)
    // The checkpoint's own state is the truth: the killed process may not have recorded its last epochs.
    const { history } = readCheckpointState(checkpoint.path)
    if (!this.repo.reopenForResume(id, this.options.owner, history)) {
      throw new ApiError('CONFLICT', `Run "${run.name}" is being resumed elsewhere`)
    }
    this.launch(id, { ...payload, checkpoint: this.plan(checkpoint.path) } as JobPayload, transfer)
    return this.repo.get(id)!
  }

  /** Queues a recorded run's job on this machine's pool (its buffers move to the worker). */
  private launch(id: string, payload: JobPayload, transfer: ArrayBuffer[] = []): void {
    this.remote?.placement.setLocal(id, hostname())
    this.emitStatus(id)
    this.track(id, (listener) => this.pool.run(id, payload, listener, transfer))
  }

  /**
   * Records what a job reports, then its end, whichever way it trains (the pool here, or a remote
   * worker through the queue, whose results are acknowledged once recorded).
   */
  private track(id: string, execute: (listener: (msg: RemoteMessage | Parameters<JobListener>[0]) => void) => Promise<RemoteEnd>): void {
    let storageFailure: string | null = null
    const done = execute((msg) => {
      if (storageFailure) return
      try {
        this.onJobMessage(id, msg)
      } catch (err) {
        // The disk under the data folder failed (full, read-only): stop the run, keep what was stored.
        storageFailure = isStorageError(err) ? storageError(err, "recording the run's progress").message : String((err as Error).message)
        void this.cancelJob(id).catch(() => {})
      }
    })
      .then(async (end) => {
        // The queue was closed while following: the results stay in Redis for the next core.
        if (end.type === 'detached') return
        const recorded = this.recordEnd(id, storageFailure ? { type: 'failed', jobId: id, error: storageFailure } : end)
        if (recorded && this.repo.get(id)?.remoteQueue) await this.remote?.port()?.acknowledge(id)
      })
      .catch((err) => console.error(`rnn-lab: could not record the end of run ${id}:`, err))
      .finally(() => this.active.delete(id))
    this.active.set(id, done)
  }

  private async cancelJob(id: string): Promise<void> {
    const run = this.repo.get(id)
    const port = run?.remoteQueue ? this.remote?.port() : null
    if (port && run?.remoteQueue) await port.cancel(id, run.remoteQueue)
    else this.pool.cancel(id)
  }

  /**
   * Records a job's end (true once stored); when the disk refuses even that, the run ends failed with
   * the one STORAGE message.
   */
  private recordEnd(id: string, end: JobEnd): boolean {
    try {
      this.finish(id, end)
      return true
    } catch (err) {
      const message = isStorageError(err) ? storageError(err, 'recording the end of the run').message : String((err as Error).message)
      this.unrecorded.set(id, end.type === 'failed' ? end.error : message)
      // A full disk: the data folder's reserve makes room for the one row that says so.
      if (isStorageError(err)) releaseReserve(this.options.dataDir)
      this.recordPendingEnds()
      if (this.unrecorded.has(id)) console.error(`rnn-lab: run ${id}: ${message}`)
      return false
    }
  }

  /** Retries ends the database refused (called periodically): the run becomes failed with its reason. */
  recordPendingEnds(): void {
    for (const [id, error] of this.unrecorded) {
      try {
        this.finish(id, { type: 'failed', jobId: id, error })
        this.unrecorded.delete(id)
      } catch {
        return
      }
    }
  }

  /** Emits a run's current record (after another process's run was found interrupted). */
  announce(id: string): void {
    this.emitStatus(id)
  }

  private onJobMessage(id: string, msg: RemoteMessage | Parameters<JobListener>[0]): void {
    switch (msg.type) {
      case 'attempt': {
        // A newer attempt replaces the epochs of the one it follows (a restart from scratch).
        const placed = this.remote?.placement.place(id, msg)
        if (placed && msg.attempt > 1) this.emitStatus(id)
        break
      }
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
        this.onWorkerEpoch?.(id, msg.numTensors)
        break
      case 'artifact':
        this.repo.addArtifact(id, msg.artifact)
        break
      case 'model':
        // The engine's own count replaces the summary's (they agree; tests hold them to it).
        this.repo.setParameterCount(id, msg.parameterCount)
        break
    }
  }

  private finish(id: string, end: JobEnd): void {
    if (end.type === 'completed') {
      const r = end.result
      if (r.kind === 'forecast') this.repo.finish(id, 'completed', this.withDataContext(id, r.metrics, r.predictions))
      else if (r.kind === 'text') this.repo.finish(id, 'completed', { textMetrics: r.metrics, finalSample: r.sample })
      this.dropCheckpoint(id)
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
  }

  /** A completed run needs no resumable checkpoint: its best and final models stay. */
  private dropCheckpoint(id: string): void {
    this.repo.removeArtifact(id, 'checkpoint')
    rmSync(join(this.artifactsDir(id), 'checkpoint'), { recursive: true, force: true })
  }

  /** Adds what the dataset knows to a forecast's results: the time of each target, the range check. */
  private withDataContext(id: string, metrics: RunMetrics, predictions: Predictions): { metrics: RunMetrics; predictions: Predictions } {
    const run = this.repo.get(id)
    if (!run?.datasetId || run.config.task !== 'forecast') return { metrics, predictions }
    const dataset = this.datasets.require(run.datasetId)
    const columns = this.datasets.columns(run.datasetId)
    const timeCol = dataset.columns.find((c) => c.type === 'time')
    if (timeCol) for (const s of predictions.steps) s.time = s.index.map((i) => columns[timeCol.name][i])
    metrics.extrapolation = checkExtrapolation(columns[run.config.target], run.config)
    return { metrics, predictions }
  }

  /** What to know about a config before training it: how much of the target lies outside the training range. */
  check(req: { datasetId: string; config: RunConfig }) {
    const dataset = this.datasets.require(req.datasetId)
    const { config } = req
    if (config.task !== 'forecast' || dataset.kind !== 'series') return { extrapolation: null }
    const target = this.datasets.columns(dataset.id)[config.target]
    if (!target) throw issue('config.target', `"${config.target}" is not a column of ${dataset.name}`)
    checkForecastShape(dataset.rows, config)
    return { extrapolation: checkExtrapolation(target, config) }
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
    const cancelJob = () =>
      this.cancelJob(id).catch((err) => console.error(`rnn-lab: could not cancel run ${id}: ${(err as Error).message}`))
    if (this.active.has(id)) void cancelJob()
    else {
      // Not training here: another live process's run is refused; one nobody trains any more ends now.
      this.refuseIfTrainedElsewhere(run, 'cancel')
      this.unrecorded.delete(id)
      // A queued job of that run is cancelled too (when the queue is open here).
      if (run.remoteQueue) void cancelJob()
      this.finish(id, { type: 'cancelled', jobId: id })
    }
    return this.repo.get(id)!
  }

  private refuseIfTrainedElsewhere(run: RunSummary, action: string): void {
    const owner = this.repo.owner(run.id)
    if (!owner || owner.instance === this.options.owner.instance) return
    if (!ownerIsGone(owner, this.options.owner, Date.now(), DEFAULT_STALE_MS)) {
      throw new ApiError(
        'CONFLICT',
        `Run "${run.name}" is being trained by another RNN Lab process (pid ${owner.pid} on ${owner.host}); ${action} it there`
      )
    }
  }

  delete(id: string): boolean {
    const run = this.get(id)
    if (this.active.has(id)) throw new ApiError('CONFLICT', `Run "${run.name}" is ${run.status}: cancel it before deleting it`)
    if (run.status === 'queued' || run.status === 'running') this.refuseIfTrainedElsewhere(run, 'delete')
    this.unrecorded.delete(id)
    const deleted = this.repo.delete(id)
    // A run stored under an unsafe id (imported by an older version) has no folder of its own to remove.
    if (isSafeId(id)) rmSync(this.artifactsDir(id), { recursive: true, force: true })
    return deleted
  }

  /** A finished run's saved model of that kind (best or final), inside the data folder. */
  modelDir(run: RunDetail, kind: 'best' | 'final'): string {
    const artifact = run.artifacts.find((a) => a.kind === kind)
    if (!artifact) throw new ApiError('CONFLICT', `Run "${run.name}" has no saved ${kind} model (status ${run.status})`)
    return requireInside(this.options.dataDir, artifact.path)
  }

  /**
   * The saved model of a finished run: by default the checkpoint its metrics were computed with (as
   * recorded; for runs recorded before that, the one the config implies: best when early stopping
   * restored it, else final).
   */
  private checkpoint(run: RunDetail, asked?: 'best' | 'final') {
    const evaluated = run.metrics?.evaluatedWith ?? run.textMetrics?.evaluatedWith ?? null
    const implied = run.config.training.earlyStopping?.restoreBest && run.artifacts.some((a) => a.kind === 'best') ? 'best' : 'final'
    const metricsKind = evaluated?.checkpoint ?? implied
    const kind = asked ?? metricsKind
    const artifact = run.artifacts.find((a) => a.kind === kind)
    if (!artifact) throw new ApiError('CONFLICT', `Run "${run.name}" has no saved ${kind} model (status ${run.status})`)
    return {
      dir: requireInside(this.options.dataDir, artifact.path),
      used: { kind, epoch: artifact.epoch, matchesMetrics: kind === metricsKind }
    }
  }

  private async job(payload: JobPayload, transfer: ArrayBuffer[] = []): Promise<JobResult> {
    const end = await this.pool.run(newId('run').replace('run_', 'job_'), payload, undefined, transfer)
    if (end.type === 'completed') return end.result
    throw new ApiError(end.type === 'cancelled' ? 'CANCELLED' : 'INTERNAL', end.type === 'failed' ? end.error : 'Cancelled')
  }

  async sample(req: {
    id: string
    prime?: string
    temperature?: number
    topK?: number | null
    length?: number
    seed?: number
    checkpoint?: 'best' | 'final'
  }) {
    const run = this.get(req.id)
    if (run.config.task !== 'text') throw issue('id', `run "${run.name}" is a forecast; sampling needs a language model`)
    if (!run.datasetId) throw new ApiError('CONFLICT', `The dataset of run "${run.name}" was deleted; its vocabulary is gone`)
    const text = this.datasets.text(run.datasetId)
    const s = run.config.sampling
    const checkpoint = this.checkpoint(run, req.checkpoint)
    const result = await this.job({
      type: 'sample',
      config: run.config,
      text: { vocabulary: text.vocabulary, tokens: text.tokens },
      modelDir: checkpoint.dir,
      prime: req.prime ?? s.prime,
      temperature: req.temperature ?? s.temperature,
      topK: req.topK === undefined ? s.topK : req.topK,
      length: req.length ?? s.length,
      seed: req.seed ?? run.config.training.seed
    })
    return { text: result.kind === 'sample' ? result.text : '', checkpoint: checkpoint.used }
  }

  async predict(req: { id: string; steps: number; checkpoint?: 'best' | 'final' }) {
    const run = this.get(req.id)
    if (run.config.task !== 'forecast') throw issue('id', `run "${run.name}" is a language model; use sampling`)
    if (!run.datasetId) throw new ApiError('CONFLICT', `The dataset of run "${run.name}" was deleted`)
    const limit = maxStepsAhead(run.config)
    if (req.steps > limit) throw issue('steps', `this model forecasts at most ${limit} step(s) ahead (it has features besides the target)`)
    const dataset = this.datasets.require(run.datasetId)
    const columns = this.datasets.columns(run.datasetId)
    const checkpoint = this.checkpoint(run, req.checkpoint)
    const result = await this.job({
      type: 'predict',
      config: run.config,
      columns,
      modelDir: checkpoint.dir,
      steps: req.steps
    })
    const values = result.kind === 'predict' ? result.values : []
    const timeCol = dataset.columns.find((c) => c.type === 'time')
    const times = timeCol ? futureTimes(columns[timeCol.name], values.length) : null
    // Intervals only for the steps they were calibrated for (1..horizon), from the checkpoint the
    // metrics describe; a recursive forecast further ahead has none (its errors compound unmeasured).
    const intervals = checkpoint.used.matchesMetrics ? run.metrics?.intervals : null
    const band = (i: number, q: number | null | undefined) =>
      q === null || q === undefined ? null : intervalAround(values[i], q, intervals!.scale)
    const steps = values.map((value, i) => {
      const q = intervals?.steps[i]
      const b80 = band(i, q?.q80)
      const b95 = band(i, q?.q95)
      return {
        step: i + 1,
        time: times?.[i] !== undefined ? new Date(times[i]).toISOString() : null,
        value,
        lower80: b80?.[0] ?? null,
        upper80: b80?.[1] ?? null,
        lower95: b95?.[0] ?? null,
        upper95: b95?.[1] ?? null
      }
    })
    return { steps, checkpoint: checkpoint.used, calendar: timeCol ? calendarLabel(detectCalendar(columns[timeCol.name])) : null }
  }

  /** Resolves when a run's job has ended and its result is stored (tests, CLI). */
  async whenDone(id: string): Promise<void> {
    await this.active.get(id)
  }

  async drain(): Promise<void> {
    await Promise.all([...this.active.values()])
  }
}
