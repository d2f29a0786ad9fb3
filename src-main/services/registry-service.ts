/**
 * The run registry beyond training: rename, tag and annotate runs, compare them (metrics and a config
 * diff of only the fields that differ), re-run, export and import bundles, sweeps, saved views.
 */
import { cpSync } from 'node:fs'
import { diffConfigs, type DiffRow } from '../../src-shared/config-paths'
import type { RunDetail, RunSummary } from '../../src-shared/domain'
import { ApiError } from '../../src-shared/errors'
import { RunConfig } from '../../src-shared/run-config'
import { expandSweep, type SweepSpec } from '../../src-shared/sweep'
import type { RunTarget } from '../../src-shared/remote'
import { parseOrThrow } from '../../src-shared/validation'
import type { DatasetsRepo } from '../store/datasets-repo'
import type { RegistryRepo } from '../store/registry-repo'
import type { RunsRepo } from '../store/runs-repo'
import type { EventBus } from './event-bus'
import { newId } from './ids'
import type { PathGrants } from './path-grants'
import { bundleModels, readBundle, writeBundle } from './run-bundle'
import { isSafeId, resolveInside } from './safe-paths'
import type { RunsService } from './runs-service'

export class RegistryService {
  constructor(
    private readonly runsRepo: RunsRepo,
    private readonly datasets: DatasetsRepo,
    private readonly registry: RegistryRepo,
    private readonly runs: RunsService,
    private readonly events: EventBus,
    private readonly grants: PathGrants
  ) {}

  update(req: { id: string; name?: string; notes?: string | null; tags?: string[] }): RunSummary {
    this.runs.get(req.id)
    if (req.name !== undefined) this.runsRepo.rename(req.id, req.name)
    if (req.notes !== undefined) this.runsRepo.setNotes(req.id, req.notes)
    if (req.tags !== undefined) this.runsRepo.setTags(req.id, [...new Set(req.tags.map((t) => t.trim()).filter(Boolean))])
    const run = this.runsRepo.get(req.id)!
    this.events.emit('run.status', { run })
    return run
  }

  /** The runs that exist, side by side; ids no longer there are listed in `missing`, not an error. */
  compare(ids: string[]): { runs: RunDetail[]; configDiff: DiffRow[]; missing: string[] } {
    const runs: RunDetail[] = []
    const missing: string[] = []
    for (const id of ids) {
      const run = this.runsRepo.detail(id)
      if (run) runs.push(run)
      else missing.push(id)
    }
    return { runs, configDiff: diffConfigs(runs.map((r) => r.config)), missing }
  }

  /** A new run from a run's stored config on the same data, refused if that dataset is gone or changed. */
  rerun(id: string, target?: RunTarget): RunSummary {
    const run = this.runs.get(id)
    const dataset = run.datasetId ? this.datasets.get(run.datasetId) : this.datasets.findByHash(run.datasetHash)
    if (!dataset) {
      throw new ApiError(
        'CONFLICT',
        `The dataset run "${run.name}" trained on (sha256 ${run.datasetHash.slice(0, 12)}…) is no longer here; import it again to re-run`
      )
    }
    if (dataset.hash !== run.datasetHash) {
      throw new ApiError(
        'CONFLICT',
        `Dataset "${dataset.name}" changed since run "${run.name}" (its content hash differs); the re-run would not be the same experiment`
      )
    }
    return this.runs.start({ datasetId: dataset.id, name: `${run.name} (re-run)`, config: run.config, target })
  }

  /** Writes the bundle into a folder granted for writing (or its new subfolder named after the run). */
  exportRun(id: string, folderGrant: string, subfolder: boolean): { dir: string; files: string[]; grant: string } {
    const run = this.runs.get(id)
    if (run.status === 'queued' || run.status === 'running')
      throw new ApiError('CONFLICT', `Run "${run.name}" is ${run.status}: export it when it has finished`)
    const folder = this.grants.resolve(folderGrant, 'write')
    const dir = subfolder ? resolveInside(folder, run.id) : folder
    const files = writeBundle(run, dir, (a) => this.runs.modelDir(run, a.kind))
    return { dir, files, grant: this.grants.register(dir, 'read') }
  }

  /** Imports a granted bundle folder under its own id, or a new one when that id is taken or unsafe. */
  importRun(bundleGrant: string): RunSummary {
    const dir = this.grants.resolve(bundleGrant, 'read')
    const bundled = readBundle(dir)
    const keepId = isSafeId(bundled.id) && !this.runsRepo.get(bundled.id)
    const id = keepId ? bundled.id : newId('run')
    const artifactsDir = this.runs.artifactsDir(id)
    const artifacts = bundleModels(dir, bundled).map(({ artifact, from }) => {
      const to = resolveInside(artifactsDir, artifact.kind)
      cpSync(from, to, { recursive: true })
      return { ...artifact, path: to }
    })
    const run = { ...bundled, id, artifacts, importedFrom: keepId ? null : bundled.id }
    this.runsRepo.insertImported(run, this.datasets.findByHash(run.datasetHash)?.id ?? null)
    for (const a of artifacts) this.runsRepo.addArtifact(id, a)
    const stored = this.runsRepo.get(id)!
    this.events.emit('run.status', { run: stored })
    return stored
  }

  createSweep(req: { datasetId: string; name?: string; base: unknown; spec: SweepSpec; target?: RunTarget }) {
    let points
    try {
      points = expandSweep(req.base, req.spec)
    } catch (err) {
      throw new ApiError('VALIDATION', `spec: ${(err as Error).message}`)
    }
    // Validate every config first, so a bad combination starts nothing.
    const configs = points.map((p, i) =>
      parseOrThrow(RunConfig, p.config, `config of sweep point ${i + 1} (${JSON.stringify(p.values)})`)
    )
    const sweep = this.registry.insertSweep({
      id: newId('run').replace('run_', 'sw_'),
      name: req.name ?? `Sweep over ${Object.keys(points[0].values).join(', ')}`,
      datasetId: req.datasetId,
      baseConfig: req.base,
      spec: req.spec
    })
    const runs = configs.map((config, i) => {
      const label = Object.entries(points[i].values)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')
      const run = this.runs.start({ datasetId: req.datasetId, name: `${sweep.name} · ${label}`, config, target: req.target })
      this.registry.setRunSweep(run.id, sweep.id)
      return this.runsRepo.get(run.id)!
    })
    return { sweep: { ...sweep, runs: runs.length, completed: 0 }, runs }
  }
}
