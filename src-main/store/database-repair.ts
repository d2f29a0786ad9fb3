/**
 * The database's health for `rnn-lab doctor`: SQLite's `PRAGMA integrity_check`, and, on request only,
 * moving a damaged file aside (with its -wal and -shm) so that the next start creates a new one.
 */
import Database from 'better-sqlite3'
import { existsSync, renameSync } from 'node:fs'

export interface Integrity {
  ok: boolean
  /** SQLite's findings ('ok', or up to 20 problems), or why the file could not be read at all. */
  problems: string[]
}

export function checkIntegrity(file: string, nativeBinding?: string): Integrity {
  if (!existsSync(file)) return { ok: true, problems: [] }
  let db: Database.Database | null = null
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) })
    const rows = db.pragma('integrity_check(20)') as { integrity_check: string }[]
    const problems = rows.map((r) => r.integrity_check).filter((p) => p !== 'ok')
    return { ok: problems.length === 0, problems }
  } catch (err) {
    return { ok: false, problems: [(err as Error).message] }
  } finally {
    db?.close()
  }
}

/** Renames the database and its WAL files to `<file>.damaged-<time>`; returns the new path. */
export function moveAside(file: string, now = new Date()): string {
  const target = `${file}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`
  for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix)
  renameSync(file, target)
  return target
}
