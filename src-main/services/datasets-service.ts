/** Datasets: the built-in generators now, imports later. Stores parsed data, never just a path. */
import { ApiError } from '../../src-shared/errors'
import type { DatasetDetail, DatasetSummary, SineParams } from '../../src-shared/domain'
import { decimateIndices } from '../../src-shared/decimate'
import { generateSine, sineName } from '../../src-shared/sine'
import { hashColumns } from '../data/hash'
import type { DatasetsRepo } from '../store/datasets-repo'
import { newId } from './ids'

export const PREVIEW_POINTS = 2000

export class DatasetsService {
  constructor(private readonly repo: DatasetsRepo) {}

  list(): DatasetSummary[] {
    return this.repo.list()
  }

  require(id: string): DatasetSummary {
    const d = this.repo.get(id)
    if (!d) throw new ApiError('NOT_FOUND', `No dataset with id "${id}"`, { id })
    return d
  }

  get(id: string): DatasetDetail {
    const summary = this.require(id)
    const columns = this.repo.columns(id)
    const first = columns[summary.columns[0]?.name]
    const index = first ? decimateIndices(first, PREVIEW_POINTS) : []
    return {
      ...summary,
      preview: {
        index,
        columns: summary.columns.map((c) => ({
          name: c.name,
          values: index.map((i) => {
            const v = columns[c.name][i]
            return Number.isFinite(v) ? v : null
          })
        }))
      }
    }
  }

  columns(id: string): Record<string, Float64Array> {
    return this.repo.columns(id)
  }

  /** Generates the course's sine wave. The same parameters again give back the stored dataset. */
  generateSine(p: SineParams): DatasetSummary {
    const values = generateSine(p)
    const hash = hashColumns(['value'], [values])
    const existing = this.repo.findByHash(hash)
    if (existing) return existing
    const { name, ...params } = p
    return this.repo.insert({
      id: newId('ds'),
      name: name ?? sineName(p),
      kind: 'series',
      source: 'generated:sine',
      columns: [{ name: 'value', type: 'number', missing: 0 }],
      data: [values],
      params,
      hash
    })
  }

  delete(id: string): boolean {
    this.require(id)
    return this.repo.delete(id)
  }
}
