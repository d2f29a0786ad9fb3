/**
 * The `serve` token, stable per data folder: kept in <data dir>/serve-token (mode 0600), so a page
 * opened before a restart of `serve` keeps working after it. `--new-token` rotates it, which logs out
 * every open page. Written to a temp file and renamed: a crash never leaves half a token.
 */
import { chmodSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { newToken } from './auth'

export const TOKEN_FILE = 'serve-token'
const VALID = /^[A-Za-z0-9_-]{32,128}$/

function readToken(file: string): string | null {
  try {
    const token = readFileSync(file, 'utf8').trim()
    return VALID.test(token) ? token : null
  } catch {
    return null
  }
}

function writeToken(file: string): string {
  const token = newToken()
  const temp = `${file}.${process.pid}.tmp`
  writeFileSync(temp, token + '\n', { mode: 0o600 })
  renameSync(temp, file)
  return token
}

/** The data folder's token (created on first use), or a new one when `rotate` is set. */
export function loadServeToken(dataDir: string, options: { rotate?: boolean } = {}): string {
  const file = join(dataDir, TOKEN_FILE)
  const existing = options.rotate ? null : readToken(file)
  if (!existing) return writeToken(file)
  // Someone loosened its permissions: only the owner may read the key to the app.
  if ((statSync(file).mode & 0o077) !== 0 && process.platform !== 'win32') chmodSync(file, 0o600)
  return existing
}
