import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DATABASE_FILE, openDatabase } from '../../src-main/store/database'
import { SCHEMA_VERSION } from '../../src-main/store/migrations'
import { RunsRepo } from '../../src-main/store/runs-repo'
import { tempDir } from '../helpers/core'

let cleanup = () => {}
afterEach(() => cleanup())

describe('SQLite store (real files)', () => {
  it('opens with WAL, foreign keys and a busy timeout at the latest schema', () => {
    const t = tempDir()
    cleanup = t.cleanup
    const db = openDatabase(t.dir)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000)
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    db.close()
  })

  it('upgrades a file written by schema version 1, keeping its runs', () => {
    const t = tempDir()
    cleanup = t.cleanup
    // A file as version 1 of the app left it.
    const old = openDatabase(t.dir, { schemaVersion: 1 })
    expect(old.pragma('user_version', { simple: true })).toBe(1)
    old
      .prepare(
        `INSERT INTO datasets (id, name, kind, source, rows, columns_json, hash, created_at)
         VALUES ('ds1', 'Sine', 'series', 'generated:sine', 3, '[]', 'h', '2026-01-01T00:00:00Z')`
      )
      .run()
    old
      .prepare(
        `INSERT INTO runs (id, dataset_id, dataset_hash, name, status, config_json, app_version, created_at)
         VALUES ('r1', 'ds1', 'h', 'old run', 'completed', '{"training":{"seed":7}}', '0.0.1', '2026-01-01T00:00:00Z')`
      )
      .run()
    old.prepare(`INSERT INTO run_epochs VALUES ('r1', 1, 0.5, 0.6, 10)`).run()
    old.close()

    const db = openDatabase(t.dir)
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    const row = db.prepare('SELECT name, seed, parameter_count FROM runs WHERE id = ?').get('r1')
    expect(row).toEqual({ name: 'old run', seed: 7, parameter_count: 0 })
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_epochs').get()).toEqual({ n: 1 })
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'settings'").get()).toEqual({ name: 'settings' })
    db.close()
  })

  it('refuses a file from a newer version with a clear message', () => {
    const t = tempDir()
    cleanup = t.cleanup
    const raw = new Database(join(t.dir, DATABASE_FILE))
    raw.pragma('user_version = 99')
    raw.close()
    expect(() => openDatabase(t.dir)).toThrow(/newer RNN Lab \(schema 99/)
  })

  it('marks runs a crash left queued or running as interrupted, keeping their epochs', () => {
    const t = tempDir()
    cleanup = t.cleanup
    const db = openDatabase(t.dir)
    db.prepare(
      `INSERT INTO datasets (id, name, kind, source, rows, columns_json, hash, created_at)
       VALUES ('ds1', 'Sine', 'series', 'generated:sine', 3, '[]', 'h', '2026-01-01T00:00:00Z')`
    ).run()
    const repo = new RunsRepo(db)
    for (const [id, status] of [
      ['a', 'running'],
      ['b', 'queued'],
      ['c', 'completed']
    ]) {
      db.prepare(
        `INSERT INTO runs (id, dataset_id, dataset_hash, name, status, config_json, app_version, created_at)
         VALUES (?, 'ds1', 'h', ?, ?, '{}', '0.1.0', '2026-01-01T00:00:00Z')`
      ).run(id, id, status)
    }
    repo.appendEpoch('a', { epoch: 1, loss: 1, valLoss: null, elapsedMs: 1, learningRate: 0.01 })
    repo.appendEpoch('a', { epoch: 2, loss: 0.5, valLoss: null, elapsedMs: 2, learningRate: 0.01 })
    expect(repo.markInterrupted()).toBe(2)
    const statuses = db.prepare('SELECT id, status FROM runs ORDER BY id').all()
    expect(statuses).toEqual([
      { id: 'a', status: 'interrupted' },
      { id: 'b', status: 'interrupted' },
      { id: 'c', status: 'completed' }
    ])
    expect(repo.epochs('a').map((e) => e.epoch)).toEqual([1, 2])
    db.close()
  })
})
