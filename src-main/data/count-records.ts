/**
 * The exact number of non-empty CSV records in a file, by one streaming pass over its bytes: line
 * breaks outside double quotes. For ASCII-compatible encodings only (UTF-8, Latin-1, EUC-KR: a quote
 * or line-break byte is always that character); the caller keeps its estimate for UTF-16.
 */
import { createReadStream } from 'node:fs'
import type { LineEnding } from '../../src-shared/dataset-import'

const QUOTE = 0x22
const LF = 0x0a
const CR = 0x0d

export async function countRecords(path: string, lineEnding: LineEnding): Promise<number> {
  const breakByte = lineEnding === 'cr' ? CR : LF
  let records = 0
  let quoted = false
  /** The current line has a byte other than CR/LF. */
  let content = false
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!
      if (b === QUOTE) quoted = !quoted
      if (b === breakByte && !quoted) {
        if (content) records++
        content = false
      } else if (b !== CR && b !== LF) content = true
    }
  }
  return content ? records + 1 : records
}
