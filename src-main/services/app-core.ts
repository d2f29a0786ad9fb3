/**
 * The application core: opens the data directory, owns the worker pool, implements every operation of
 * the contract and publishes its events. It knows nothing of Electron or HTTP.
 */
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import type { Handlers } from '../../src-shared/contract'
import { GbmParams, SineParams, type BackendName } from '../../src-shared/domain'
import { ApiError } from '../../src-shared/errors'
import { EXAMPLES } from '../../src-shared/examples'
import { DATABASE_FILE, openDatabase } from '../store/database'
import { DatasetsRepo } from '../store/datasets-repo'
import { ensureReserve } from '../store/disk-reserve'
import { damagedDatabaseError, isDamagedDatabase } from '../store/storage-errors'
import { RunsRepo } from '../store/runs-repo'
import { defaultPoolSize, WorkerPool } from '../workers/worker-pool'
import { DatasetsService } from './datasets-service'
import { createDispatcher, type Dispatch } from './dispatcher'
import { EventBus } from './event-bus'
import { saveRunFiles } from './run-files'
import { RunsService } from './runs-service'
import { UploadStore } from './uploads'
import type { ShellAdapter } from './shell'
import { RegistryService } from './registry-service'
import { RegistryRepo } from '../store/registry-repo'
import { newId } from './ids'
import { PathGrants } from './path-grants'
import { APP_VERSION } from './version'
import { PlacementRepo } from '../store/placement-repo'
import type { RemotePort } from './remote-port'
import { RemoteSettings } from './remote-settings'
import { RunOwnership, type OwnershipOptions } from './run-ownership'

const DIALOG_FILTERS = {
  csv: [{ name: 'CSV', extensions: ['csv', 'tsv', 'txt'] }],
  text: [{ name: 'Text', extensions: ['txt', 'md', 'text'] }],
  any: [
    { name: 'Data', extensions: ['csv', 'tsv', 'txt', 'md'] },
    { name: 'All files', extensions: ['*'] }
  ]
}

export interface CoreOptions {
  dataDir: string
  /** Path of the built train worker (or a test bootstrap). */
  workerScript: string | URL
  workerExecArgv?: string[]
  workers?: number
  backends?: BackendName[]
  /** Diagnostics: workers run a full GC after every epoch (soak test). */
  workerGcEachEpoch?: boolean
  /** better-sqlite3 build for Electron's ABI, when it differs from Node's. */
  nativeBinding?: string
  /** Native dialogs and the file manager (the desktop shell only). */
  shell?: ShellAdapter
  /** A queue URL from the command line (--queue); it wins over the saved one. */
  queueUrl?: string
  /** Opens the queue behind a URL (src-main/remote); without it, runs train locally only. */
  connectQueue?: (url: string) => RemotePort
  /** Heartbeat and orphan-check timing (tests shorten them). */
  ownership?: OwnershipOptions
  /** Seconds between resumable checkpoints of a run (default 30, or RNN_LAB_CHECKPOINT_SECONDS). */
  checkpointSeconds?: number
  /** Bytes a new run may use (default: the machine's free memory); a run needing more is refused. */
  freeMemory?: () => number
}

function checkpointSeconds(options: CoreOptions): number {
  const env = Number(process.env.RNN_LAB_CHECKPOINT_SECONDS)
  return options.checkpointSeconds ?? (process.env.RNN_LAB_CHECKPOINT_SECONDS && env >= 0 ? env : 30)
}

export class AppCore {
  readonly db: Database.Database
  readonly events = new EventBus()
  /** Paths the person chose (dialogs, drops, CLI arguments), held by opaque ids. */
  readonly grants = new PathGrants()
  readonly pool: WorkerPool
  readonly datasets: DatasetsService
  readonly uploads: UploadStore
  readonly runs: RunsService
  readonly registry: RegistryService
  readonly runsRepo: RunsRepo
  readonly registryRepo: RegistryRepo
  readonly handlers: Handlers
  readonly dispatch: Dispatch
  /** Runs found queued or running at start whose process had ended, now marked interrupted. */
  readonly interruptedAtStart: number
  readonly remote: RemoteSettings
  readonly ownership: RunOwnership

  constructor(readonly options: CoreOptions) {
    this.db = openDatabase(options.dataDir, { nativeBinding: options.nativeBinding })
    ensureReserve(options.dataDir)
    const runsRepo = (this.runsRepo = new RunsRepo(this.db))
    this.registryRepo = new RegistryRepo(this.db)
    this.ownership = new RunOwnership(runsRepo, options.ownership)
    this.interruptedAtStart = this.reclaimAtStart()
    // --workers beats the saved setting, which beats the default (cores − 1).
    const savedWorkers = this.registryRepo.setting('workers')
    this.pool = new WorkerPool({
      size: options.workers ?? (typeof savedWorkers === 'number' ? savedWorkers : undefined),
      script: options.workerScript,
      execArgv: options.workerExecArgv,
      backends: options.backends,
      gcEachEpoch: options.workerGcEachEpoch
    })
    this.uploads = new UploadStore(options.dataDir, this.grants)
    const datasetsRepo = new DatasetsRepo(this.db)
    this.datasets = new DatasetsService(datasetsRepo, this.uploads, this.events)
    this.remote = new RemoteSettings(this.registryRepo, options)
    this.runs = new RunsService(runsRepo, this.datasets, this.pool, this.events, {
      appVersion: APP_VERSION,
      dataDir: options.dataDir,
      owner: this.ownership.owner,
      checkpointEveryMs: checkpointSeconds(options) * 1000,
      freeMemory: options.freeMemory,
      remote: {
        placement: new PlacementRepo(this.db),
        port: () => this.remote.port,
        defaultTarget: () => this.remote.defaultTarget()
      }
    })
    this.startOwnership()
    this.registry = new RegistryService(runsRepo, datasetsRepo, this.registryRepo, this.runs, this.events, this.grants)
    this.handlers = {
      'settings.get': async () => this.settings(),
      'settings.set': async ({ workers }) => {
        this.registryRepo.setSetting('workers', workers)
        return this.settings()
      },
      'app.info': async () => ({
        appVersion: APP_VERSION,
        dataDir: options.dataDir,
        databasePath: join(options.dataDir, DATABASE_FILE),
        workers: this.pool.size,
        platform: `${process.platform}-${process.arch}`
      }),
      'system.backends': async () => this.pool.reports(),
      'datasets.list': async () => this.datasets.list(),
      'datasets.get': async ({ id }) => this.datasets.get(id),
      'datasets.generateSine': async (p) => this.datasets.generateSine(p),
      'datasets.generateStock': async (p) => this.datasets.generateStock(p),
      'datasets.generateText': async (p) => this.datasets.generateText(p),
      'datasets.previewCsv': async ({ source, options }) => this.datasets.previewCsv(source, options),
      'datasets.importCsv': async (req) => this.datasets.importCsv(req),
      'datasets.previewText': async ({ source, options }) => this.datasets.previewText(source, options),
      'datasets.importText': async (req) => this.datasets.importText(req),
      'datasets.delete': async ({ id, runs }) => this.deleteDataset(id, runs),
      'examples.list': async () =>
        EXAMPLES.map((e) => ({ id: e.id, title: e.title, description: e.description, task: e.config().task, config: e.config() })),
      'examples.run': async ({ id }) => this.runExample(id),
      'runs.list': async (query) => this.runs.list(query),
      'runs.update': async (req) => this.registry.update(req),
      'runs.tags': async () => this.runsRepo.allTags(),
      'runs.compare': async ({ ids }) => this.registry.compare(ids),
      'runs.rerun': async ({ id, target }) => this.registry.rerun(id, target),
      'runs.export': async ({ id, folder, subfolder }) => this.registry.exportRun(id, folder, subfolder),
      'runs.import': async ({ bundle }) => this.registry.importRun(bundle),
      'runs.saveFiles': async ({ id, what, checkpoint }) => {
        const run = this.runs.get(id)
        const dir = await this.requireShell().chooseFolder({
          title: `Save the ${what === 'model' ? 'model' : 'predictions'} of "${run.name}"`
        })
        return { dir, files: dir ? saveRunFiles(run, what, checkpoint, dir) : [] }
      },
      'sweeps.create': async (req) => this.registry.createSweep(req),
      'sweeps.list': async () => this.registryRepo.sweeps(),
      'views.list': async () => this.registryRepo.views(),
      'views.save': async ({ id, name, state }) =>
        this.registryRepo.saveView({ id: id ?? newId('run').replace('run_', 'view_'), name, state }),
      'views.delete': async ({ id }) => ({ deleted: this.registryRepo.deleteView(id) }),
      'shell.chooseFile': async ({ kind }) => this.chooseFile(kind),
      'shell.chooseFolder': async ({ title }) => {
        const path = await this.requireShell().chooseFolder({ title: title ?? 'Choose a folder' })
        return this.chosen(path, 'write')
      },
      'shell.reveal': async ({ grant }) => {
        await this.requireShell().reveal(this.grants.resolve(grant, 'any'))
        return { ok: true }
      },
      'runs.get': async ({ id }) => this.runs.get(id),
      'runs.start': async (req) => this.runs.start(req),
      'remote.status': async () => this.remote.status(),
      'remote.configure': async (req) => {
        this.remote.configure(req)
        this.runs.followRemoteRuns()
        return this.remote.status()
      },
      'runs.estimate': async (req) => this.runs.estimate(req),
      'runs.check': async (req) => this.runs.check(req),
      'runs.sample': async (req) => this.runs.sample(req),
      'runs.predict': async (req) => this.runs.predict(req),
      'runs.cancel': async ({ id }) => this.runs.cancel(id),
      'runs.resume': async ({ id }) => this.runs.resume(id),
      'runs.delete': async ({ id }) => ({ deleted: this.runs.delete(id) })
    }
    this.dispatch = createDispatcher(this.handlers, console.error, join(options.dataDir, DATABASE_FILE))
    this.runs.followRemoteRuns()
  }

  /** Runs of ended processes become interrupted; a damaged database says so (path, what to do). */
  private reclaimAtStart(): number {
    try {
      return this.ownership.reclaimOrphans().length
    } catch (err) {
      this.db.close()
      throw isDamagedDatabase(err) ? damagedDatabaseError(err, join(this.options.dataDir, DATABASE_FILE)) : err
    }
  }

  /** Heartbeats for this core's runs; runs of processes that ended meanwhile are announced interrupted. */
  private startOwnership(): void {
    let reported = false
    this.ownership.start(
      (reclaimed) => {
        reclaimed.forEach((id) => this.runs.announce(id))
        this.runs.recordPendingEnds()
      },
      (err) => {
        if (!reported) console.error(`rnn-lab: could not record the runs' heartbeat: ${(err as Error).message}`)
        reported = true
      }
    )
  }

  private settings() {
    const saved = this.registryRepo.setting('workers')
    return {
      workers: typeof saved === 'number' ? saved : null,
      defaultWorkers: defaultPoolSize(),
      runningWorkers: this.pool.size,
      workersFromCommandLine: this.options.workers !== undefined
    }
  }

  /** A file chosen in the native dialog, granted for reading (File → Import…, the import panel). */
  async chooseFile(kind: 'csv' | 'text' | 'any'): Promise<{ grant: string | null; name: string | null }> {
    const path = await this.requireShell().chooseFile({ title: 'Import a dataset', filters: DIALOG_FILTERS[kind] })
    return this.chosen(path, 'read')
  }

  private chosen(path: string | null, access: 'read' | 'write') {
    if (!path) return { grant: null, name: null }
    const grant = this.grants.register(path, access)
    return { grant, name: this.grants.name(grant) }
  }

  private requireShell(): ShellAdapter {
    if (!this.options.shell) throw new ApiError('NOT_AVAILABLE', 'Only the desktop app has native dialogs; in the browser, upload the file')
    return this.options.shell
  }

  /** Deletes a dataset, keeping its runs (they lose re-run) or deleting them first. */
  deleteDataset(id: string, runs: 'keep' | 'delete') {
    const using = this.runs.list({ datasetId: id })
    if (runs === 'keep') return { deleted: this.datasets.delete(id), runsKept: using.length, runsDeleted: 0 }
    const busy = using.filter((r) => r.status === 'queued' || r.status === 'running')
    if (busy.length > 0)
      throw new ApiError(
        'CONFLICT',
        `${busy.map((r) => `"${r.name}"`).join(', ')} ${busy.length === 1 ? 'is' : 'are'} still training: cancel first`
      )
    for (const r of using) this.runs.delete(r.id)
    return { deleted: this.datasets.delete(id), runsKept: 0, runsDeleted: using.length }
  }

  /** Creates (or reuses: same content, same dataset) the example's dataset and starts its run. */
  runExample(id: string) {
    const example = EXAMPLES.find((e) => e.id === id)
    if (!example) throw new ApiError('NOT_FOUND', `No example "${id}" (known: ${EXAMPLES.map((e) => e.id).join(', ')})`)
    const dataset =
      example.dataset === 'sine'
        ? this.datasets.generateSine(SineParams.parse({}))
        : example.dataset === 'stock'
          ? this.datasets.generateStock(GbmParams.parse({}))
          : this.datasets.generateText({})
    return this.runs.start({ datasetId: dataset.id, name: example.title, config: example.config() })
  }

  /** Stops the workers (running runs become interrupted for the next core) and closes the database. */
  async close(): Promise<void> {
    this.ownership.stop()
    await this.remote.close()
    await this.pool.close()
    this.db.close()
  }
}
