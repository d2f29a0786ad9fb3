/**
 * Paths the person chose, and only those: a native open/save dialog, a dropped file or a command-line
 * argument registers its path here and the caller gets an opaque grant id. Operations that read or
 * write outside the data folder take a grant, never a path, so a renderer (or a browser) cannot name
 * a file of its own choosing. Grants live in memory for the life of the process.
 */
import { randomBytes } from 'node:crypto'
import { basename, resolve } from 'node:path'
import { ApiError } from '../../src-shared/errors'

/** `read`: a file or folder to read (import); `write`: a folder to write into (export). */
export type GrantAccess = 'read' | 'write'

interface Grant {
  path: string
  access: GrantAccess
}

const MAX_GRANTS = 1000
const GRANT_ID = /^grant_[0-9a-f]{32}$/

export class PathGrants {
  private readonly grants = new Map<string, Grant>()

  /** Registers a path the person chose; returns its grant id. */
  register(path: string, access: GrantAccess): string {
    const id = `grant_${randomBytes(16).toString('hex')}`
    this.grants.set(id, { path: resolve(path), access })
    if (this.grants.size > MAX_GRANTS) this.grants.delete(this.grants.keys().next().value!)
    return id
  }

  /** The granted path, or FORBIDDEN when the id was never granted (or not for this access). */
  resolve(id: string, access: GrantAccess | 'any'): string {
    const grant = GRANT_ID.test(id) ? this.grants.get(id) : undefined
    if (!grant || (access !== 'any' && grant.access !== access)) {
      throw new ApiError(
        'FORBIDDEN',
        `No ${access === 'any' ? '' : `${access} `}grant "${id.slice(0, 60)}": choose the file or folder again`
      )
    }
    return grant.path
  }

  /** The file or folder name of a grant (what the UI may show). */
  name(id: string): string {
    return basename(this.resolve(id, 'any'))
  }
}
