/**
 * Datasets: generated examples (sine, GBM stock, an original verse) and imports of a person's CSV and
 * text files. Stores the parsed data with a content hash, never just a path; the same content twice
 * gives back the stored dataset.
 */
import { ApiError } from '../../src-shared/errors'
import type { ColumnInfo, DatasetDetail, DatasetParams, DatasetSummary, FileSource, GbmParams, SineParams } from '../../src-shared/domain'
import {
  ImportOptions,
  TextImportOptions,
  type CsvImportSummary,
  type ImportPreview,
  type TextPreview,
  type TextStats
} from '../../src-shared/dataset-import'
import { decimateIndices } from '../../src-shared/decimate'
import { generateSine, sineName } from '../../src-shared/sine'
import { importCsv, type CsvImportResult } from '../data/csv-import'
import { previewCsv } from '../data/csv-preview'
import { generateGbmStock, ORIGINAL_VERSE } from '../data/generators'
import { hashColumns, hashText } from '../data/hash'
import { importText, previewText, type TextImportResult } from '../data/text-import'
import { ImportError } from '../data/import-error'
import type { DatasetsRepo, StoredText } from '../store/datasets-repo'
import type { EventBus } from './event-bus'
import { newId } from './ids'
import type { UploadStore } from './uploads'

export const PREVIEW_POINTS = 2000
const PROGRESS_INTERVAL_MS = 100

/** An importer's refusal as a contract error: message with file, line and column; details for UIs. */
export function importRefusal(err: unknown, displayName?: string): unknown {
  if (!(err instanceof ImportError)) return err
  // Uploads are stored under an id: the message names the file as the user knows it.
  const file = displayName ?? err.file
  const message = err.message.startsWith(err.file) ? file + err.message.slice(err.file.length) : err.message
  return new ApiError('IMPORT', message, {
    file,
    line: err.line ?? null,
    column: err.column ?? null,
    columnName: err.columnName ?? null,
    importCode: err.code
  })
}

export class DatasetsService {
  constructor(
    private readonly repo: DatasetsRepo,
    private readonly uploads: UploadStore,
    private readonly events: EventBus
  ) {}

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
    if (summary.kind === 'text') {
      return { ...summary, preview: { index: [], columns: [] }, textSample: this.repo.textSample(id) ?? '' }
    }
    const columns = this.repo.columns(id)
    const first = columns[summary.columns.find((c) => c.type === 'number')?.name ?? summary.columns[0]?.name]
    const index = first ? decimateIndices(first, PREVIEW_POINTS) : []
    return {
      ...summary,
      textSample: null,
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

  /** The columns of a series dataset, or only those named; each in a buffer of its own. */
  columns(id: string, names?: string[]): Record<string, Float64Array> {
    return this.repo.columns(id, names)
  }

  private insertSeries(
    name: string,
    source: string,
    columns: ColumnInfo[],
    data: Float64Array[],
    params: DatasetParams | null
  ): { dataset: DatasetSummary; duplicateOf: string | null } {
    const hash = hashColumns(
      columns.map((c) => c.name),
      data
    )
    const existing = this.repo.findByHash(hash)
    if (existing) return { dataset: existing, duplicateOf: existing.id }
    const dataset = this.repo.insert({ id: newId('ds'), name, kind: 'series', source, columns, data, params, hash })
    this.events.emit('datasets.changed', { id: dataset.id, change: 'added' })
    return { dataset, duplicateOf: null }
  }

  /** Generates the course's sine wave. The same parameters again give back the stored dataset. */
  generateSine(p: SineParams): DatasetSummary {
    const { name, ...params } = p
    return this.insertSeries(name ?? sineName(p), 'generated:sine', [{ name: 'value', type: 'number', missing: 0 }], [generateSine(p)], {
      origin: 'sine',
      ...params
    }).dataset
  }

  /** A synthetic daily stock (geometric Brownian motion) with Date/Open/High/Low/Close/Volume. */
  generateStock(p: GbmParams): DatasetSummary {
    const { name, ...params } = p
    const s = generateGbmStock(params)
    const names = ['Date', 'Open', 'High', 'Low', 'Close', 'Volume'] as const
    const columns: ColumnInfo[] = names.map((n) => ({ name: n, type: n === 'Date' ? 'time' : 'number', missing: 0 }))
    const data = [s.date, s.open, s.high, s.low, s.close, s.volume]
    const label = name ?? `Synthetic stock (GBM σ=${p.volatility}, seed ${p.seed})`
    return this.insertSeries(label, 'generated:gbm', columns, data, { origin: 'gbm', ...params }).dataset
  }

  private progress(importId: string | undefined) {
    if (!importId) return undefined
    let last = 0
    return (bytesRead: number, totalBytes: number) => {
      const now = Date.now()
      if (now - last < PROGRESS_INTERVAL_MS && bytesRead < totalBytes) return
      last = now
      this.events.emit('datasets.importProgress', { importId, bytesRead, totalBytes })
    }
  }

  async previewCsv(source: FileSource, options?: ImportOptions): Promise<ImportPreview> {
    const file = this.uploads.resolve(source)
    try {
      return { ...(await previewCsv(file.path, options)), file: file.name }
    } catch (err) {
      throw importRefusal(err, file.name)
    }
  }

  async importCsv(req: {
    source: FileSource
    name?: string
    options?: ImportOptions
    importId?: string
  }): Promise<{ dataset: DatasetSummary; duplicateOf: string | null; report: CsvImportSummary }> {
    const file = this.uploads.resolve(req.source)
    let result: CsvImportResult
    try {
      result = await importCsv(file.path, req.options ?? {}, this.progress(req.importId))
    } catch (err) {
      throw importRefusal(err, file.name)
    }
    const { columns: imported, ...rest } = result
    const report: CsvImportSummary = {
      ...rest,
      file: file.name,
      columns: imported.map((c) => ({ name: c.name, type: c.type, role: c.role }))
    }
    const columns: ColumnInfo[] = imported.map((c) => ({ name: c.name, type: c.type, missing: result.missing[c.name] ?? 0 }))
    const stored = this.insertSeries(
      req.name ?? file.name.replace(/\.[^.]+$/, ''),
      `csv:${file.name}`,
      columns,
      imported.map((c) => c.values),
      { origin: 'csv', import: report, options: ImportOptions.parse(req.options ?? {}) }
    )
    this.uploads.remove(req.source)
    return { ...stored, report }
  }

  /** Token ids and vocabulary of a text dataset (for training). */
  text(id: string): StoredText {
    const t = this.repo.text(id)
    if (!t) throw new ApiError('VALIDATION', `Dataset "${id}" is not a text dataset`)
    return t
  }

  private insertText(name: string, source: string, text: StoredText, params: DatasetParams) {
    const hash = hashText(text.vocabulary, text.tokens, text.ids)
    const existing = this.repo.findByHash(hash)
    if (existing) return { dataset: existing, duplicateOf: existing.id }
    const dataset = this.repo.insertText({ id: newId('ds'), name, kind: 'text', source, params, hash, text })
    this.events.emit('datasets.changed', { id: dataset.id, change: 'added' })
    return { dataset, duplicateOf: null }
  }

  /** The short original verse of the character-LM examples, at character level. */
  generateText(p: { name?: string }): DatasetSummary {
    const chars = Array.from(ORIGINAL_VERSE)
    const tokens = [...new Set(chars)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!)
    const index = new Map(tokens.map((t, i) => [t, i]))
    const ids = Uint8Array.from(chars, (c) => index.get(c)!)
    const stats = { length: chars.length, vocabularySize: tokens.length, vocabulary: 'char' as const }
    return this.insertText(
      p.name ?? 'The little lamp (original verse)',
      'generated:verse',
      { vocabulary: 'char', tokens, ids, sample: ORIGINAL_VERSE },
      { origin: 'text', text: stats }
    ).dataset
  }

  async previewText(source: FileSource, options?: TextImportOptions): Promise<TextPreview> {
    const file = this.uploads.resolve(source)
    try {
      return { ...(await previewText(file.path, options)), file: file.name }
    } catch (err) {
      throw importRefusal(err, file.name)
    }
  }

  async importText(req: {
    source: FileSource
    name?: string
    options?: TextImportOptions
    importId?: string
  }): Promise<{ dataset: DatasetSummary; duplicateOf: string | null; report: TextStats }> {
    const file = this.uploads.resolve(req.source)
    let result: TextImportResult
    try {
      result = await importText(file.path, req.options ?? {}, this.progress(req.importId))
    } catch (err) {
      throw importRefusal(err, file.name)
    }
    const { tokens, ids, sample, ...stats } = result
    const report: TextStats = { ...stats, file: file.name }
    const stored = this.insertText(
      req.name ?? file.name.replace(/\.[^.]+$/, ''),
      `text:${file.name}`,
      { vocabulary: report.vocabulary, tokens, ids, sample },
      { origin: 'text', text: report, options: TextImportOptions.parse(req.options ?? {}) }
    )
    this.uploads.remove(req.source)
    return { ...stored, report }
  }

  delete(id: string): boolean {
    this.require(id)
    const deleted = this.repo.delete(id)
    if (deleted) this.events.emit('datasets.changed', { id, change: 'deleted' })
    return deleted
  }
}
