/** What a person reads when training ran out of memory (a RangeError, or a wasm heap / allocator message). */
export function outOfMemoryMessage(err: unknown): string | null {
  const msg = err instanceof Error ? err.message : String(err)
  if (!(err instanceof RangeError) && !/out of memory|allocation failed|Maximum memory|Cannot allocate/i.test(msg)) return null
  return `Out of memory: ${msg.split('\n')[0]}. The model or the batch is too large for this machine: use fewer units, a shorter window or sequence, or a smaller batch.`
}
