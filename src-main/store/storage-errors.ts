/**
 * Turns failures of the disk under the data folder (full, read-only, not permitted, I/O errors) into
 * one clear STORAGE error. SQLite rolls the failed transaction back, so nothing is half-written.
 */
import { ApiError } from '../../src-shared/errors'

const SQLITE_STORAGE = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|PERM)/
const FS_STORAGE = new Set(['ENOSPC', 'EROFS', 'EACCES', 'EPERM', 'EDQUOT', 'EIO'])

const SQLITE_DAMAGED = /^SQLITE_(CORRUPT|NOTADB)/

/** SQLite found the database file damaged (malformed pages, or not a database at all). */
export function isDamagedDatabase(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code
  return typeof code === 'string' && SQLITE_DAMAGED.test(code)
}

/** What a damaged database means and what to do: its path, SQLite's words, the way out. */
export function damagedDatabaseError(err: unknown, databasePath: string): ApiError {
  const said = (err as Error).message
  return new ApiError(
    'STORAGE',
    `The database ${databasePath} is damaged (SQLite: ${said}). Your runs' models under runs/ beside it are intact. ` +
      'Run `rnn-lab doctor --repair` to move the file aside and start a new one, or restore a backup.',
    { code: (err as { code?: string }).code, path: databasePath }
  )
}

export function isStorageError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code
  return typeof code === 'string' && (SQLITE_STORAGE.test(code) || FS_STORAGE.has(code))
}

export function storageError(err: unknown, where: string): ApiError {
  const code = (err as { code?: string }).code ?? 'unknown'
  const full = /FULL|ENOSPC|EDQUOT/.test(code)
  const reason = full
    ? 'the disk is full'
    : /READONLY|EROFS/.test(code)
      ? 'it is read-only'
      : /EACCES|EPERM|PERM/.test(code)
        ? 'permission is denied'
        : 'the disk reported an error'
  return new ApiError(
    'STORAGE',
    `Could not write to the data folder (${where}): ${reason} (${code}). Nothing was saved; free some space or choose another data folder.`,
    {
      code
    }
  )
}
