/**
 * A dataset as one binary blob that travels through Redis once per content hash: a JSON header line
 * (column names or the vocabulary) followed by the raw little-endian values. The worker checks the
 * blob's sha256 against the job's before decoding it, and decodes it against a schema with bounds.
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { TextData } from '../engine/train-text'

export type DatasetContent = { kind: 'series'; columns: Record<string, Float64Array> } | { kind: 'text'; text: TextData }

const Header = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('series'), names: z.array(z.string().max(500)).min(1).max(10_000), length: z.number().int().min(0) }),
  z.strictObject({
    kind: z.literal('text'),
    vocabulary: z.enum(['char', 'word']),
    tokens: z.array(z.string().max(1000)).max(1_000_000),
    length: z.number().int().min(0)
  })
])

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

export function encodeDataset(content: DatasetContent): Buffer {
  if (content.kind === 'series') {
    const names = Object.keys(content.columns)
    const length = content.columns[names[0]]?.length ?? 0
    const body = Buffer.alloc(names.length * length * 8)
    names.forEach((n, i) => body.set(new Uint8Array(Float64Array.from(content.columns[n]).buffer), i * length * 8))
    return Buffer.concat([Buffer.from(JSON.stringify({ kind: 'series', names, length }) + '\n'), body])
  }
  const { vocabulary, tokens, ids } = content.text
  const body = Buffer.from(Uint32Array.from(ids).buffer)
  return Buffer.concat([Buffer.from(JSON.stringify({ kind: 'text', vocabulary, tokens, length: ids.length }) + '\n'), body])
}

/** Decodes a blob whose hash was checked; throws on anything that does not add up. */
export function decodeDataset(blob: Buffer): DatasetContent {
  const newline = blob.indexOf(10)
  if (newline < 0 || newline > 64 * 1024 * 1024) throw new Error('dataset blob has no header')
  const header = Header.parse(JSON.parse(blob.subarray(0, newline).toString('utf8')))
  const body = blob.subarray(newline + 1)
  if (header.kind === 'series') {
    if (body.length !== header.names.length * header.length * 8) throw new Error('dataset blob size does not match its header')
    const columns: Record<string, Float64Array> = {}
    header.names.forEach((n, i) => {
      const bytes = Uint8Array.from(body.subarray(i * header.length * 8, (i + 1) * header.length * 8))
      columns[n] = new Float64Array(bytes.buffer)
    })
    return { kind: 'series', columns }
  }
  if (body.length !== header.length * 4) throw new Error('dataset blob size does not match its header')
  const ids = new Uint32Array(Uint8Array.from(body).buffer)
  if (ids.some((id) => id >= header.tokens.length)) throw new Error('dataset blob has token ids outside its vocabulary')
  return { kind: 'text', text: { vocabulary: header.vocabulary, tokens: header.tokens, ids } }
}
