/**
 * Paths built from names that came from outside (run ids in bundles, upload ids, artifact kinds):
 * resolved, then checked to stay inside their root, with symlinks resolved so that none leads out.
 */
import { existsSync, realpathSync } from 'node:fs'
import { dirname, isAbsolute, relative, resolve } from 'node:path'
import { ApiError } from '../../src-shared/errors'

/** Ids this app makes and accepts as folder names: letters, digits, `_` and `-`, no dots or slashes. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/

export function isSafeId(id: string): boolean {
  return SAFE_ID.test(id)
}

function contains(root: string, target: string): boolean {
  const rel = relative(root, target)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** The real path of `p`, or of its deepest existing ancestor joined with the rest. */
function realPathOf(p: string): string {
  let existing = p
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing)
  return resolve(realpathSync(existing), relative(existing, p))
}

/** `segments` joined under `root`; FORBIDDEN when the result (symlinks resolved) is outside `root`. */
export function resolveInside(root: string, ...segments: string[]): string {
  const base = resolve(root)
  const target = resolve(base, ...segments)
  if (!contains(base, target) || !contains(realPathOf(base), realPathOf(target))) {
    throw new ApiError('FORBIDDEN', `"${segments.join('/')}" leads outside ${base}`)
  }
  return target
}

/** `path` itself when it lies inside `root` (symlinks resolved), else FORBIDDEN. */
export function requireInside(root: string, path: string): string {
  return resolveInside(root, relative(resolve(root), resolve(path)))
}
