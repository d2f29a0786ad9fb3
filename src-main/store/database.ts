import Database from 'better-sqlite3'
import { accessSync, constants, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { migrate } from './migrations'

export const DATABASE_FILE = 'rnn-lab.sqlite'

export interface OpenOptions {
  /** Path of an alternative better-sqlite3 native build (the Electron-ABI one). */
  nativeBinding?: string
  /** Apply migrations up to this version only (tests of upgrades). */
  schemaVersion?: number
}

/** Opens (creating if needed) the database of a data directory, with WAL, foreign keys and a busy timeout. */
export function openDatabase(dataDir: string, options: OpenOptions = {}): Database.Database {
  const file = join(dataDir, DATABASE_FILE)
  let db: Database.Database
  try {
    mkdirSync(dataDir, { recursive: true })
    accessSync(dataDir, constants.W_OK)
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new Error(
      `Cannot use the data folder ${dataDir}: ${e.code ? `${e.code}, ` : ''}${e.message.replace(/^[A-Z]+: /, '')}. ` +
        'Choose another folder (--data-dir, or RNN_LAB_DATA_DIR) or fix its permissions.',
      { cause: err }
    )
  }
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  db.pragma('synchronous = NORMAL')
  migrate(db, options.schemaVersion)
  return db
}
