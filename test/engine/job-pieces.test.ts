// The job pieces that moved from the train worker into the engine (issue #16): the out-of-memory message a
// failed run shows, and the vocabulary file written beside a language model's saved models.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { outOfMemoryMessage } from '../../src-main/engine/out-of-memory'
import { VOCABULARY_FILE, writeVocabulary } from '../../src-main/engine/vocabulary-file'
import { tempDir } from '../helpers/core'

describe('outOfMemoryMessage', () => {
  it('names the cause and what to change for a RangeError or an allocator message', () => {
    expect(outOfMemoryMessage(new RangeError('Array buffer allocation failed\n  at x'))).toBe(
      'Out of memory: Array buffer allocation failed. The model or the batch is too large for this machine: use fewer units, a shorter window or sequence, or a smaller batch.'
    )
    expect(outOfMemoryMessage(new Error('WebAssembly: Cannot allocate Wasm memory'))).toMatch(/^Out of memory: WebAssembly/)
  })
  it('leaves other failures alone', () => {
    expect(outOfMemoryMessage(new Error('Dataset column missing'))).toBeNull()
  })
})

describe('writeVocabulary', () => {
  let cleanup = (): void => {}
  afterEach(() => cleanup())
  it('writes the level and the tokens in id order into a folder it creates', () => {
    const t = tempDir()
    cleanup = t.cleanup
    const dir = join(t.dir, 'artifacts', 'run_1')
    writeVocabulary(dir, { vocabulary: 'char', tokens: ['\n', ' ', 'a'] })
    expect(JSON.parse(readFileSync(join(dir, VOCABULARY_FILE), 'utf8'))).toEqual({ level: 'char', tokens: ['\n', ' ', 'a'] })
  })
})
