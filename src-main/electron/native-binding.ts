import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** Where `npm start` (scripts/prepare-electron-native.mjs) puts better-sqlite3 built for Electron's ABI. */
export const ELECTRON_NATIVE_DIR = '.electron-native'

/**
 * The better-sqlite3 binding for this Electron: the one prepared beside the checkout when present
 * (development: node_modules holds the Node build for tests and the CLI), else the default (a packaged
 * app's node_modules were rebuilt for Electron by electron-builder).
 */
export function electronSqliteBinding(appPath: string): string | undefined {
  const file = join(appPath, ELECTRON_NATIVE_DIR, 'better_sqlite3.node')
  return existsSync(file) ? file : undefined
}
