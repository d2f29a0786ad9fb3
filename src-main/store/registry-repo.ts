/**
 * The registry's tables beside the runs: sweeps (and which runs belong to one), saved comparison
 * views, and settings (key → JSON value).
 */
import type Database from 'better-sqlite3'

export interface SweepRow {
  id: string
  name: string
  datasetId: string | null
  baseConfig: unknown
  spec: unknown
  createdAt: string
}

export interface SavedView {
  id: string
  name: string
  state: unknown
  createdAt: string
}

export class RegistryRepo {
  constructor(private readonly db: Database.Database) {}

  insertSweep(s: Omit<SweepRow, 'createdAt'>): SweepRow {
    const createdAt = new Date().toISOString()
    this.db
      .prepare('INSERT INTO sweeps (id, name, dataset_id, base_config_json, spec_json, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(s.id, s.name, s.datasetId, JSON.stringify(s.baseConfig), JSON.stringify(s.spec), createdAt)
    return { ...s, createdAt }
  }

  setRunSweep(runId: string, sweepId: string): void {
    this.db.prepare('UPDATE runs SET sweep_id = ? WHERE id = ?').run(sweepId, runId)
  }

  sweeps(): (SweepRow & { runs: number; completed: number })[] {
    const rows = this.db
      .prepare(
        `SELECT s.*, (SELECT COUNT(*) FROM runs r WHERE r.sweep_id = s.id) AS runs,
           (SELECT COUNT(*) FROM runs r WHERE r.sweep_id = s.id AND r.status = 'completed') AS completed
         FROM sweeps s ORDER BY s.created_at DESC`
      )
      .all() as {
      id: string
      name: string
      dataset_id: string | null
      base_config_json: string
      spec_json: string
      created_at: string
      runs: number
      completed: number
    }[]
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      datasetId: r.dataset_id,
      baseConfig: JSON.parse(r.base_config_json),
      spec: JSON.parse(r.spec_json),
      createdAt: r.created_at,
      runs: r.runs,
      completed: r.completed
    }))
  }

  setting(key: string): unknown {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined
    return row ? JSON.parse(row.value) : undefined
  }

  setSetting(key: string, value: unknown): void {
    if (value === null || value === undefined) this.db.prepare('DELETE FROM settings WHERE key = ?').run(key)
    else this.db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(key, JSON.stringify(value))
  }

  saveView(v: Omit<SavedView, 'createdAt'>): SavedView {
    const createdAt = new Date().toISOString()
    this.db
      .prepare('INSERT OR REPLACE INTO saved_views (id, name, state_json, created_at) VALUES (?, ?, ?, ?)')
      .run(v.id, v.name, JSON.stringify(v.state), createdAt)
    return { ...v, createdAt }
  }

  views(): SavedView[] {
    return (
      this.db.prepare('SELECT * FROM saved_views ORDER BY created_at DESC').all() as {
        id: string
        name: string
        state_json: string
        created_at: string
      }[]
    ).map((r) => ({ id: r.id, name: r.name, state: JSON.parse(r.state_json), createdAt: r.created_at }))
  }

  deleteView(id: string): boolean {
    return this.db.prepare('DELETE FROM saved_views WHERE id = ?').run(id).changes > 0
  }
}
