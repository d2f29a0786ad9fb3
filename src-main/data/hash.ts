import { createHash } from 'node:crypto'

/**
 * sha256 of a series dataset's normalized content: column names and their Float64 values, in order.
 * Two imports of the same data give the same hash, whatever file or generator they came from.
 */
export function hashColumns(names: string[], data: Float64Array[]): string {
  const h = createHash('sha256')
  h.update(`rnn-lab/series/v1\n${data[0]?.length ?? 0}\n`)
  names.forEach((name, i) => {
    h.update(`${name}\n`)
    const v = data[i]
    h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))
  })
  return h.digest('hex')
}

/** sha256 of a tokenized text: its vocabulary level, tokens and token ids. */
export function hashText(vocabulary: string, tokens: string[], ids: Uint8Array | Uint16Array | Uint32Array): string {
  const h = createHash('sha256')
  h.update(`rnn-lab/text/v1\n${vocabulary}\n${JSON.stringify(tokens)}\n${ids.BYTES_PER_ELEMENT}\n`)
  h.update(new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength))
  return h.digest('hex')
}
