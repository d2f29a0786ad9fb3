import { open, stat, type FileHandle } from 'node:fs/promises'
import { ImportError, toImportError } from './import-error'

/** Bytes read from the start of a file for sniffing and previews. */
export const HEAD_BYTES = 64 * 1024
/** The sniffing window grows up to this many bytes to hold enough whole lines (wide files). */
export const MAX_SNIFF_BYTES = 16 * 1024 * 1024
/** Longest record (in characters) the CSV import accepts; longer ones are refused as soon as seen. */
export const MAX_RECORD_CHARS = 1 << 20
/** A line with more bytes than this has more than MAX_RECORD_CHARS characters in any encoding. */
const MAX_RECORD_BYTES = 4 * MAX_RECORD_CHARS

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
    const size = await regularFileSize(path)
    const fh = await open(path, 'r')
    try {
      const bytes = await readBytes(fh, Math.min(maxBytes, size))
      return { path, size, bytes, complete: bytes.length >= size }
    } finally {
      await fh.close()
    }
  } catch (err) {
    throw toImportError(err, path)
  }
}

/**
 * The head for sniffing a CSV: at least HEAD_BYTES, grown (doubling, up to MAX_SNIFF_BYTES) until it
 * holds `minLines` whole lines, so a file of 10,000+ columns is sniffed from whole rows. A first line
 * longer than any acceptable record is refused here, before anything large is read or allocated.
 */
export async function readSniffHead(path: string, minLines: number): Promise<FileHead> {
  let want = HEAD_BYTES
  for (;;) {
    const head = await readHead(path, want)
    const firstBreak = head.bytes.indexOf(10)
    const lineLimitPassed = (firstBreak < 0 ? head.bytes.length : firstBreak) > MAX_RECORD_BYTES
    if (lineLimitPassed) throw new ImportError('MALFORMED_CSV', path, recordTooLong(), { line: 1 })
    if (head.complete || want >= MAX_SNIFF_BYTES || countLines(head.bytes, minLines) >= minLines) return head
    want *= 2
  }
}

export function recordTooLong(): string {
  return `a record is longer than ${MAX_RECORD_CHARS} characters (unclosed quote?)`
}

function countLines(bytes: Uint8Array, atMost: number): number {
  let n = 0
  for (let i = bytes.indexOf(10); i >= 0 && n < atMost; i = bytes.indexOf(10, i + 1)) n++
  return n
}

/** Size of `path`, which must be a readable, non-empty regular file (NOT_A_FILE, EMPTY_FILE otherwise). */
async function regularFileSize(path: string): Promise<number> {
  const st = await stat(path)
  if (!st.isFile()) {
    const what = st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a pipe' : st.isSocket() ? 'a socket' : 'a device or special file'
    throw new ImportError('NOT_A_FILE', path, `is ${what}, not a regular file`)
  }
  if (st.size === 0) throw new ImportError('EMPTY_FILE', path, 'the file is empty (0 bytes)')
  return st.size
}

async function readBytes(fh: FileHandle, want: number): Promise<Uint8Array> {
  const buf = new Uint8Array(want)
  let got = 0
  while (got < want) {
    const { bytesRead } = await fh.read(buf, got, want - got, got)
    if (bytesRead === 0) break
    got += bytesRead
  }
  return buf.subarray(0, got)
}
