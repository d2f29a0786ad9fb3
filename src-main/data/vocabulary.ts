/**
 * Streaming tokenizers and vocabularies for text datasets.
 *
 * Character level works on Unicode code points by default: a Hangul syllable or an emoji is one
 * token, never two UTF-16 halves. Code points (not grapheme clusters) are the default because
 * they keep the vocabulary small and closed (every text is a sequence over the same alphabet),
 * count 100 MB in about a second, and are what classic char-RNNs use. The cost: an emoji ZWJ
 * sequence (👩‍💻) or a letter + combining accent becomes several tokens. `charUnit: 'grapheme'`
 * (Intl.Segmenter) keeps such clusters whole, at several times the cost.
 *
 * Word level splits into words (letters/digits/marks, with inner apostrophes: `don't`) and single
 * punctuation marks; whitespace is dropped. Words rarer than `minFrequency` become `<unk>`,
 * which is always id 0 in a word vocabulary.
 */
import type { TokenCount } from '../../src-shared/dataset-import'

export const UNK = '<unk>'
/** Most distinct tokens a vocabulary may collect before the import is refused. */
export const MAX_DISTINCT_TOKENS = 2_000_000
/** A word-level carry longer than this is split (a "word" of a megabyte is not a word). */
const MAX_CARRY = 1 << 20

/** Number of Unicode code points in a string (a surrogate pair counts once). */
export function codePointLength(s: string): number {
  let n = s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const p = s.charCodeAt(i - 1)
      if (p >= 0xd800 && p <= 0xdbff) n--
    }
  }
  return n
}

/** Splits streamed text into tokens; text may arrive in arbitrary chunks. */
export interface Tokenizer {
  push(text: string, emit: (token: string) => void): void
  flush(emit: (token: string) => void): void
}

const WORD = /[\p{L}\p{M}\p{N}_]+(?:['’][\p{L}\p{M}\p{N}_]+)*|[^\s\p{L}\p{M}\p{N}_]/gu

/** Words and single punctuation marks; a word cut by a chunk boundary is carried to the next chunk. */
export class WordTokenizer implements Tokenizer {
  private carry = ''

  push(text: string, emit: (token: string) => void): void {
    const s = this.carry + text
    let cut = s.length
    while (cut > 0 && !/\s/.test(s[cut - 1])) cut--
    if (cut === 0 && s.length < MAX_CARRY) {
      this.carry = s
      return
    }
    if (cut === 0) cut = s.length
    this.carry = s.slice(cut)
    for (const m of s.slice(0, cut).matchAll(WORD)) emit(m[0])
  }

  flush(emit: (token: string) => void): void {
    for (const m of this.carry.matchAll(WORD)) emit(m[0])
    this.carry = ''
  }
}

/** Characters segmented per call: Intl.Segmenter is quadratic on long strings in Node 20. */
const SEGMENT_PIECE = 256

/**
 * Grapheme clusters (Intl.Segmenter). Text is segmented in short pieces; the last cluster of each
 * piece (and of each chunk) is carried into the next one, so clusters cut by a boundary stay whole.
 */
export class GraphemeTokenizer implements Tokenizer {
  private carry = ''
  private readonly seg = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

  push(text: string, emit: (token: string) => void): void {
    const s = this.carry + text
    let pos = 0
    for (;;) {
      const piece = s.slice(pos, pos + SEGMENT_PIECE)
      const last = pos + SEGMENT_PIECE >= s.length
      let prev: string | undefined
      let prevAt = 0
      for (const { segment, index } of this.seg.segment(piece)) {
        if (prev !== undefined) emit(prev)
        prev = segment
        prevAt = index
      }
      if (last) {
        this.carry = prev ?? ''
        return
      }
      if (prevAt === 0 && prev !== undefined) {
        emit(prev) // one cluster longer than a piece: cut it
        pos += piece.length
      } else pos += prevAt
    }
  }

  flush(emit: (token: string) => void): void {
    if (this.carry !== '') emit(this.carry)
    this.carry = ''
  }
}

/** Code-point counts in a flat table (no strings per character): the fast path for char level. */
export class CodePointCounter {
  readonly counts = new Uint32Array(0x110000)
  tokens = 0
  private high = -1

  push(text: string): void {
    const counts = this.counts
    let i = 0
    let n = 0
    if (this.high >= 0 && text.length > 0) {
      const c = text.charCodeAt(0)
      if (c >= 0xdc00 && c <= 0xdfff) {
        counts[0x10000 + ((this.high - 0xd800) << 10) + (c - 0xdc00)]++
        i = 1
      } else counts[this.high]++
      n++
      this.high = -1
    }
    const len = text.length
    for (; i < len; i++) {
      const c = text.charCodeAt(i)
      if (c >= 0xd800 && c <= 0xdbff) {
        if (i + 1 === len) {
          this.high = c
          break
        }
        const d = text.charCodeAt(i + 1)
        if (d >= 0xdc00 && d <= 0xdfff) {
          counts[0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)]++
          i++
          n++
          continue
        }
      }
      counts[c]++
      n++
    }
    this.tokens += n
  }

  flush(): void {
    if (this.high >= 0) {
      this.counts[this.high]++
      this.tokens++
      this.high = -1
    }
  }
}

export interface Vocabulary {
  /** Token of each id. */
  tokens: string[]
  /** Count of each id in the text (the `<unk>` id counts every replaced word). */
  counts: number[]
  /** Words replaced by `<unk>`. */
  unknownCount: number
}

/** Character vocabulary from code-point counts, ordered by code point (as classic char-RNNs do). */
export function charVocabulary(counter: CodePointCounter): Vocabulary {
  const tokens: string[] = []
  const counts: number[] = []
  const c = counter.counts
  for (let cp = 0; cp < c.length; cp++) {
    if (c[cp] > 0) {
      tokens.push(String.fromCodePoint(cp))
      counts.push(c[cp])
    }
  }
  return { tokens, counts, unknownCount: 0 }
}

/** Grapheme vocabulary ordered by code points of the clusters. */
export function graphemeVocabulary(counts: Map<string, number>): Vocabulary {
  const tokens = [...counts.keys()].sort()
  return { tokens, counts: tokens.map((t) => counts.get(t) as number), unknownCount: 0 }
}

/** Word vocabulary: `<unk>` (id 0), then words with count ≥ minFrequency by count desc, then alphabetically. */
export function wordVocabulary(counts: Map<string, number>, minFrequency: number): Vocabulary {
  let unknownCount = counts.get(UNK) ?? 0
  const kept: [string, number][] = []
  for (const [t, c] of counts) {
    if (t === UNK) continue
    if (c >= minFrequency) kept.push([t, c])
    else unknownCount += c
  }
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  return { tokens: [UNK, ...kept.map((k) => k[0])], counts: [unknownCount, ...kept.map((k) => k[1])], unknownCount }
}

/** The `limit` most frequent tokens with their counts (ties: lower id first). */
export function topTokens(v: Vocabulary, limit = 20): TokenCount[] {
  const ids = v.tokens.map((_, i) => i).filter((i) => v.counts[i] > 0)
  ids.sort((a, b) => v.counts[b] - v.counts[a] || a - b)
  return ids.slice(0, limit).map((i) => ({ token: v.tokens[i], count: v.counts[i] }))
}

/** The smallest unsigned typed array that holds ids below `size`. */
export function idArray(size: number, length: number): Uint8Array | Uint16Array | Uint32Array {
  if (size <= 0x100) return new Uint8Array(length)
  if (size <= 0x10000) return new Uint16Array(length)
  return new Uint32Array(length)
}
