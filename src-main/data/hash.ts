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
