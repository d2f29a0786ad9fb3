// The serve token is stable per data folder (pages survive a restart), private to its owner, and
// rotated only when asked.
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadServeToken, TOKEN_FILE } from '../../src-main/server/token-file'
import { tempDir } from '../helpers/core'

const t = tempDir()
afterAll(() => t.cleanup())
const file = join(t.dir, TOKEN_FILE)

describe('the serve token of a data folder', () => {
  it('is created once, mode 0600, and the same at every start', () => {
    const first = loadServeToken(t.dir)
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(loadServeToken(t.dir)).toBe(first)
    expect(readFileSync(file, 'utf8').trim()).toBe(first)
  })

  it('is rotated by --new-token, and the old one is gone', () => {
    const before = loadServeToken(t.dir)
    const rotated = loadServeToken(t.dir, { rotate: true })
    expect(rotated).not.toBe(before)
    expect(loadServeToken(t.dir)).toBe(rotated)
  })

  it('replaces a file that holds no valid token, and tightens loosened permissions', () => {
    writeFileSync(file, 'short\n')
    const fresh = loadServeToken(t.dir)
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{32}$/)
    chmodSync(file, 0o644)
    expect(loadServeToken(t.dir)).toBe(fresh)
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })
})
