// Paths from outside: the grant registry (a path reaches an operation only when the person chose it)
// and the data-folder check (resolved, then checked, symlinks not followed out). Real folders, real links.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ApiError } from '../../src-shared/errors'
import { PathGrants } from '../../src-main/services/path-grants'
import { isSafeId, requireInside, resolveInside } from '../../src-main/services/safe-paths'
import { tempDir } from '../helpers/core'

const t = tempDir()
afterAll(() => t.cleanup())
const data = join(t.dir, 'data')
mkdirSync(join(data, 'runs'), { recursive: true })
mkdirSync(join(t.dir, 'outside'), { recursive: true })
writeFileSync(join(t.dir, 'outside', 'secret.txt'), 'secret')

const code = (fn: () => unknown) => {
  try {
    fn()
  } catch (err) {
    return err instanceof ApiError ? err.code : String(err)
  }
  return 'no error'
}

describe('path grants', () => {
  const grants = new PathGrants()

  it('refuses a raw path, an unknown id and a guessed id', () => {
    expect(code(() => grants.resolve('/etc/passwd', 'read'))).toBe('FORBIDDEN')
    expect(code(() => grants.resolve(join(t.dir, 'outside', 'secret.txt'), 'any'))).toBe('FORBIDDEN')
    expect(code(() => grants.resolve('grant_' + 'a'.repeat(32), 'read'))).toBe('FORBIDDEN')
  })

  it('accepts a granted path, for the access granted only', () => {
    const file = join(t.dir, 'outside', 'secret.txt')
    const read = grants.register(file, 'read')
    expect(read).toMatch(/^grant_[0-9a-f]{32}$/)
    expect(read).not.toContain('secret')
    expect(grants.resolve(read, 'read')).toBe(file)
    expect(grants.name(read)).toBe('secret.txt')
    expect(code(() => grants.resolve(read, 'write'))).toBe('FORBIDDEN')
    const write = grants.register(join(t.dir, 'outside'), 'write')
    expect(grants.resolve(write, 'write')).toBe(join(t.dir, 'outside'))
    expect(code(() => grants.resolve(write, 'read'))).toBe('FORBIDDEN')
  })
})

describe('the data folder check', () => {
  it('resolves names inside it and refuses ones that lead out', () => {
    expect(resolveInside(join(data, 'runs'), 'run_abc')).toBe(join(data, 'runs', 'run_abc'))
    for (const bad of ['..', '../..', '../../outside', '/etc', 'a/../../..'])
      expect(code(() => resolveInside(join(data, 'runs'), bad))).toBe('FORBIDDEN')
  })

  it('refuses a symlink inside the data folder that points out of it', () => {
    symlinkSync(join(t.dir, 'outside'), join(data, 'runs', 'run_link'))
    expect(code(() => resolveInside(join(data, 'runs'), 'run_link'))).toBe('FORBIDDEN')
    expect(code(() => resolveInside(join(data, 'runs'), 'run_link', 'secret.txt'))).toBe('FORBIDDEN')
    expect(code(() => requireInside(data, join(data, 'runs', 'run_link', 'secret.txt')))).toBe('FORBIDDEN')
    expect(requireInside(data, join(data, 'runs', 'run_new', 'best'))).toBe(join(data, 'runs', 'run_new', 'best'))
  })

  it('accepts only plain ids as folder names', () => {
    expect(isSafeId('run_m3k9x2_8f3a1c')).toBe(true)
    for (const bad of ['..', '.', '', 'a/b', 'a\\b', '../x', '.hidden', 'x'.repeat(101), 'a\0b']) expect(isSafeId(bad)).toBe(false)
  })
})
