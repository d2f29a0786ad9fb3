import { open, stat } from 'node:fs/promises'
import { ImportError, toImportError } from './import-error'

/** Bytes read from the start of a file for sniffing and previews. */
export const HEAD_BYTES = 64 * 1024

export interface FileHead {
  path: string
  size: number
  bytes: Uint8Array
  /** The head is the whole file. */
  complete: boolean
}

/**
 * Check that `path` is a readable regular file and read its first `maxBytes` bytes.
 * Errors: NOT_FOUND, NOT_A_FILE (directory, device, FIFO, socket), EMPTY_FILE, IO.
 */
export async function readHead(path: string, maxBytes = HEAD_BYTES): Promise<FileHead> {
  try {
    const st = await stat(path)
    if (!st.isFile()) {
      const what = st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a pipe' : st.isSocket() ? 'a socket' : 'a device or special file'
      throw new ImportError('NOT_A_FILE', path, `is ${what}, not a regular file`)
    }
    if (st.size === 0) throw new ImportError('EMPTY_FILE', path, 'the file is empty (0 bytes)')
    const fh = await open(path, 'r')
    try {
      const want = Math.min(maxBytes, st.size)
      const buf = new Uint8Array(want)
      let got = 0
      while (got < want) {
        const { bytesRead } = await fh.read(buf, got, want - got, got)
        if (bytesRead === 0) break
        got += bytesRead
      }
      return { path, size: st.size, bytes: buf.subarray(0, got), complete: got >= st.size }
    } finally {
      await fh.close()
    }
  } catch (err) {
    throw toImportError(err, path)
  }
}
