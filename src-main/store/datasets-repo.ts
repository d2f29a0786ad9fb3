/** Datasets and their column data (stored as Float64 BLOBs, so a run names exactly what it used). */
import type Database from 'better-sqlite3'
import type { ColumnInfo, DatasetParams, DatasetSummary } from '../../src-shared/domain'
import { readDatasetParams } from './stored-dataset-params'

export interface StoredText {
  vocabulary: 'char' | 'word'
  tokens: string[]
  ids: Uint8Array | Uint16Array | Uint32Array
  sample: string
}

export interface NewDataset {
  id: string
  name: string
  kind: 'series' | 'text'
  source: string
  columns: ColumnInfo[]
  data: Float64Array[]
  params: DatasetParams | null
  hash: string
}

interface DatasetRow {
  id: string
  name: string
  kind: 'series' | 'text'
  source: string
  rows: number
  columns_json: string
  params_json: string | null
  hash: string
  created_at: string
}

function toSummary(r: DatasetRow): DatasetSummary {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    source: r.source,
    rows: r.rows,
    columns: JSON.parse(r.columns_json),
    params: readDatasetParams(r.source, r.params_json),
    hash: r.hash,
    createdAt: r.created_at
  }
}

export class DatasetsRepo {
  constructor(private readonly db: Database.Database) {}

  insert(d: NewDataset): DatasetSummary {
    const rows = d.data[0]?.length ?? 0
    const createdAt = new Date().toISOString()
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO datasets (id, name, kind, source, rows, columns_json, params_json, hash, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
        )
        .run(d.id, d.name, d.kind, d.source, rows, JSON.stringify(d.columns), d.params ? JSON.stringify(d.params) : null, d.hash, createdAt)
      const col = this.db.prepare('INSERT INTO dataset_columns (dataset_id, position, name, data) VALUES (?, ?, ?, ?)')
      d.data.forEach((values, i) => {
        col.run(d.id, i, d.columns[i].name, Buffer.from(values.buffer, values.byteOffset, values.byteLength))
      })
    })()
    return this.get(d.id)!
  }

  list(): DatasetSummary[] {
    return (this.db.prepare('SELECT * FROM datasets ORDER BY created_at DESC, id').all() as DatasetRow[]).map(toSummary)
  }

  get(id: string): DatasetSummary | null {
    const row = this.db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as DatasetRow | undefined
    return row ? toSummary(row) : null
  }

  findByHash(hash: string): DatasetSummary | null {
    const row = this.db.prepare('SELECT * FROM datasets WHERE hash = ? ORDER BY created_at LIMIT 1').get(hash) as DatasetRow | undefined
    return row ? toSummary(row) : null
  }

  /** The numeric columns by name. */
  /** The columns of a series dataset (only those named, when `names` is given), each in its own buffer. */
  columns(id: string, names?: string[]): Record<string, Float64Array> {
    const only = names ? ` AND name IN (${names.map(() => '?').join(', ')})` : ''
    const rows = this.db
      .prepare(`SELECT name, data FROM dataset_columns WHERE dataset_id = ?${only} ORDER BY position`)
      .all(id, ...(names ?? [])) as {
      name: string
      data: Buffer
    }[]
    const out: Record<string, Float64Array> = {}
    for (const r of rows) {
      // Copy into an aligned buffer: SQLite hands back a Buffer that may not be 8-byte aligned.
      const copy = new Uint8Array(r.data.byteLength)
      copy.set(r.data)
      out[r.name] = new Float64Array(copy.buffer)
    }
    return out
  }

  /** The token ids and vocabulary of a text dataset. */
  text(id: string): StoredText | null {
    const row = this.db.prepare('SELECT * FROM dataset_text WHERE dataset_id = ?').get(id) as
      { vocabulary: 'char' | 'word'; tokens_json: string; id_bytes: 1 | 2 | 4; ids: Buffer; sample: string } | undefined
    if (!row) return null
    const copy = new Uint8Array(row.ids.byteLength)
    copy.set(row.ids)
    const ids = row.id_bytes === 1 ? copy : row.id_bytes === 2 ? new Uint16Array(copy.buffer) : new Uint32Array(copy.buffer)
    return { vocabulary: row.vocabulary, tokens: JSON.parse(row.tokens_json), ids, sample: row.sample }
  }

  /** The sample only (dataset pages), without loading the ids. */
  textSample(id: string): string | null {
    const row = this.db.prepare('SELECT sample FROM dataset_text WHERE dataset_id = ?').get(id) as { sample: string } | undefined
    return row?.sample ?? null
  }

  insertText(d: Omit<NewDataset, 'data' | 'columns'> & { text: StoredText }): DatasetSummary {
    const createdAt = new Date().toISOString()
    const { ids } = d.text
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO datasets (id, name, kind, source, rows, columns_json, params_json, hash, created_at)
           VALUES (?, ?, 'text', ?, ?, '[]', ?, ?, ?)`
        )
        .run(d.id, d.name, d.source, ids.length, d.params ? JSON.stringify(d.params) : null, d.hash, createdAt)
      this.db
        .prepare('INSERT INTO dataset_text (dataset_id, vocabulary, tokens_json, id_bytes, ids, sample) VALUES (?, ?, ?, ?, ?, ?)')
        .run(
          d.id,
          d.text.vocabulary,
          JSON.stringify(d.text.tokens),
          ids.BYTES_PER_ELEMENT,
          Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength),
          d.text.sample
        )
    })()
    return this.get(d.id)!
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM datasets WHERE id = ?').run(id).changes > 0
  }
}
