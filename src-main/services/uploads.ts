/**
 * Files a browser uploads to `serve` for import, kept under <data dir>/uploads until imported or a
 * day old. The HTTP binding streams request bodies here; the contract refers to them by id.
 */
import { createWriteStream, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Readable } from 'node:stream'
import { ApiError } from '../../src-shared/errors'
import type { FileSource } from '../../src-shared/domain'
import { newId } from './ids'
import type { PathGrants } from './path-grants'
import { resolveInside } from './safe-paths'

export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3
const MAX_AGE_MS = 24 * 3600 * 1000

export class UploadStore {
  readonly dir: string

  constructor(
    dataDir: string,
    private readonly grants: PathGrants
  ) {
    this.dir = join(dataDir, 'uploads')
    mkdirSync(this.dir, { recursive: true })
    this.sweep()
  }

  /** Streams `body` into a new upload; refuses past `maxBytes`, leaving nothing behind. */
  async save(name: string, body: Readable, maxBytes = MAX_UPLOAD_BYTES): Promise<{ uploadId: string; name: string; bytes: number }> {
    const safe =
      basename(name)
        .replace(/[^\w.\- ]+/g, '_')
        .slice(0, 120) || 'upload'
    const uploadId = newId('up').replace(/-/g, '_')
    const file = join(this.dir, `${uploadId}__${safe}`)
    let bytes = 0
    try {
      await pipeline(
        body,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            bytes += chunk.length
            if (bytes > maxBytes) throw new ApiError('VALIDATION', `Upload larger than ${maxBytes} bytes`)
            yield chunk
          }
        },
        createWriteStream(file)
      )
    } catch (err) {
      rmSync(file, { force: true })
      throw err
    }
    return { uploadId, name: safe, bytes }
  }

  /** The file path of an upload id, or NOT_FOUND. */
  path(uploadId: string): string {
    const entry = readdirSync(this.dir).find((f) => f.startsWith(`${uploadId}__`))
    if (!entry) throw new ApiError('NOT_FOUND', `No upload "${uploadId}" (uploads are kept for a day)`)
    return resolveInside(this.dir, entry)
  }

  /** The name the user gave the uploaded file. */
  originalName(uploadId: string): string {
    return basename(this.path(uploadId)).slice(uploadId.length + 2)
  }

  resolve(source: FileSource): { path: string; name: string } {
    if (source.kind === 'grant') {
      const path = this.grants.resolve(source.grant, 'read')
      return { path, name: basename(path) }
    }
    return { path: this.path(source.uploadId), name: this.originalName(source.uploadId) }
  }

  remove(source: FileSource): void {
    if (source.kind === 'upload') rmSync(this.path(source.uploadId), { force: true })
  }

  private sweep(): void {
    const now = Date.now()
    for (const f of readdirSync(this.dir)) {
      const p = join(this.dir, f)
      try {
        if (now - statSync(p).mtimeMs > MAX_AGE_MS) rmSync(p, { force: true })
      } catch {
        // already gone
      }
    }
  }
}
