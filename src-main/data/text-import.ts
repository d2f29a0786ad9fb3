/**
 * Text dataset import: encoding detection, fatal streaming decode, character or word vocabulary,
 * statistics, and the token-id sequence for language-model training.
 *
 * Size limit: 100 MiB (MAX_TEXT_BYTES). The file is read twice in 1 MiB chunks — once to count
 * tokens (bounded: a code-point table or a token map capped at MAX_DISTINCT_TOKENS), once to write
 * ids into one typed array sized exactly (1 byte per token when the vocabulary has ≤ 256 entries).
 * A 100 MiB ASCII file thus needs ~100 MB for its ids and never holds the decoded text as one string.
 */
import {
  TextImportOptions as TextImportOptionsSchema,
  type LineEnding,
  type ResolvedTextImportOptions,
  type TextEncodingName,
  type TextImportOptions,
  type TextPreview,
  type TextStats
} from '../../src-shared/dataset-import'
import { readHead, type FileHead } from './file-head'
import { ImportError, parseOptions, toImportError } from './import-error'
import { decodeFile, decodeSample, detectBom, sniffEncoding, type EncodingGuess } from './text-decode'
import {
  CodePointCounter,
  GraphemeTokenizer,
  MAX_DISTINCT_TOKENS,
  WordTokenizer,
  charVocabulary,
  codePointLength,
  graphemeVocabulary,
  idArray,
  topTokens,
  wordVocabulary,
  type Tokenizer,
  type Vocabulary
} from './vocabulary'

/** Largest text file accepted: 100 MiB. */
export const MAX_TEXT_BYTES = 100 * 1024 * 1024
const SAMPLE_CHARS = 2000

export interface TextImportResult extends TextStats {
  /** Token of each id (char level: ordered by code point; word level: `<unk>` first, then by frequency). */
  tokens: string[]
  /** The text as token ids, in order. */
  ids: Uint8Array | Uint16Array | Uint32Array
  /** The first ~2,000 characters (after lower-casing when chosen). */
  sample: string
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`
}

/** Resolve the encoding: user's choice (honouring a matching BOM) or detection. */
function resolveEncoding(head: FileHead, choice: ResolvedTextImportOptions['encoding']): EncodingGuess {
  if (choice !== 'auto') {
    const bom = detectBom(head.bytes)
    return bom && bom.encoding === choice ? bom : { encoding: choice, bom: false, bomLength: 0 }
  }
  const g = sniffEncoding(head.bytes, head.complete)
  if (g.encoding !== null) return g
  let line = 1
  for (let i = 0; i < g.offset; i++) if (head.bytes[i] === 10) line++
  if (g.reason === 'invalid') {
    throw new ImportError('INVALID_ENCODING', head.path, 'not valid UTF-8, UTF-16 or EUC-KR text; choose the encoding if you know it', {
      byteOffset: g.offset,
      line
    })
  }
  throw new ImportError(
    'BINARY_FILE',
    head.path,
    `not a text file: it contains ${g.reason === 'nul' ? 'NUL bytes' : 'control bytes'} (binary file?)`,
    {
      byteOffset: g.offset,
      line
    }
  )
}

function detectLineEnding(text: string): LineEnding {
  const i = text.search(/[\r\n]/)
  if (i < 0) return 'none'
  if (text[i] === '\n') return 'lf'
  return text[i + 1] === '\n' ? 'crlf' : 'cr'
}

function firstChars(text: string, n: number): string {
  let out = ''
  let k = 0
  for (const ch of text) {
    if (k++ >= n) break
    out += ch
  }
  return out
}

function tokenizerFor(o: ResolvedTextImportOptions): Tokenizer | undefined {
  if (o.vocabulary === 'word') return new WordTokenizer()
  return o.charUnit === 'grapheme' ? new GraphemeTokenizer() : undefined
}

/**
 * What the importer understands about a text file from its first 64 KiB: encoding, BOM, line
 * ending, a sample, the sample's vocabulary size and an estimated length. Throws only ImportError.
 */
export async function previewText(path: string, options: TextImportOptions = {}): Promise<TextPreview> {
  try {
    const o = parseOptions(TextImportOptionsSchema, options, path)
    const head = await readHead(path)
    const enc = resolveEncoding(head, o.encoding)
    let text = decodeSample(head.bytes, enc, head.complete, path)
    if (o.lowercase) text = text.toLowerCase()
    const warnings: string[] = []
    if (head.size > MAX_TEXT_BYTES) warnings.push(`The file is ${mb(head.size)}; text imports are limited to ${mb(MAX_TEXT_BYTES)}.`)
    if (head.complete && text.length === 0) warnings.push('The file has no text after its byte-order mark.')
    let vocab: number
    const tk = tokenizerFor(o)
    if (tk) {
      const seen = new Set<string>()
      const add = (t: string): void => void seen.add(t)
      tk.push(text, add)
      if (head.complete) tk.flush(add)
      vocab = seen.size
    } else vocab = new Set(text).size
    const cps = codePointLength(text)
    const used = head.bytes.length - enc.bomLength
    const lengthEstimate = head.complete ? cps : Math.round((cps * (head.size - enc.bomLength)) / Math.max(1, used))
    return {
      file: head.path.split(/[\\/]/).pop() ?? head.path,
      kind: 'text',
      bytes: head.size,
      encoding: enc.encoding,
      bom: enc.bom,
      lineEnding: detectLineEnding(text),
      sample: firstChars(text, SAMPLE_CHARS),
      sampleVocabularySize: vocab,
      lengthEstimate,
      warnings
    }
  } catch (err) {
    throw toImportError(err, path)
  }
}

/**
 * Import a text file as a token-id sequence with its vocabulary and statistics.
 * `onProgress(bytesRead, totalBytes)` covers both passes (each counts half).
 * Throws only ImportError: empty file, larger than 100 MiB, binary, invalid bytes for the
 * encoding (naming byte offset and line), vocabulary too large.
 */
export async function importText(
  path: string,
  options: TextImportOptions = {},
  onProgress?: (bytesRead: number, totalBytes: number) => void
): Promise<TextImportResult> {
  try {
    return await importTextUnsafe(path, options, onProgress)
  } catch (err) {
    throw toImportError(err, path)
  }
}

async function importTextUnsafe(
  path: string,
  options: TextImportOptions,
  onProgress?: (bytesRead: number, totalBytes: number) => void
): Promise<TextImportResult> {
  const o = parseOptions(TextImportOptionsSchema, options, path)
  const head = await readHead(path)
  if (head.size > MAX_TEXT_BYTES) {
    throw new ImportError('TOO_LARGE', path, `the file is ${mb(head.size)}; text imports are limited to ${mb(MAX_TEXT_BYTES)} (100 MiB)`)
  }
  const enc = resolveEncoding(head, o.encoding)
  const total = head.size
  const progress = (pass: number) => (b: number) => onProgress?.(Math.round((pass * total + b) / 2), total)
  const file: TextPass = { path, enc, norm: (t) => (o.lowercase ? t.toLowerCase() : t) }
  const counted = await countTokens(file, o, progress(0))
  if (counted.length === 0)
    throw new ImportError(
      'EMPTY_FILE',
      path,
      head.bytes.length > enc.bomLength ? 'the file has no text' : 'the file has no text after its byte-order mark'
    )
  const { vocab, tokenCount, sample, length } = counted
  const warnings: string[] = []
  if (o.vocabulary === 'char' && o.minFrequency > 1)
    warnings.push('minFrequency applies to word vocabularies only; ignored for characters.')
  const ids = idArray(vocab.tokens.length, tokenCount)
  const written = counted.codePoints ? await codePointIds(file, vocab, ids, progress(1)) : await tokenIds(file, o, vocab, ids, progress(1))
  if (written !== ids.length) throw fileChanged(path)
  onProgress?.(total, total)

  return {
    file: head.path.split(/[\\/]/).pop() ?? head.path,
    bytes: head.size,
    encoding: enc.encoding as TextEncodingName,
    bom: enc.bom,
    length,
    vocabulary: o.vocabulary,
    vocabularySize: vocab.tokens.length,
    tokenCount,
    unknownCount: vocab.unknownCount,
    topTokens: topTokens(vocab, 20),
    warnings,
    tokens: vocab.tokens,
    ids,
    sample
  }
}

/** The file being imported, decoded and normalised (lower-cased on request) the same way in both passes. */
interface TextPass {
  path: string
  enc: EncodingGuess
  norm: (t: string) => string
}

function fileChanged(path: string): ImportError {
  return new ImportError('IO', path, 'the file changed while it was being imported')
}

/** Pass 1: length, sample, token counts and the vocabulary (code points, graphemes or words). */
async function countTokens(file: TextPass, o: ResolvedTextImportOptions, onBytes: (b: number) => void) {
  let length = 0
  let sample = ''
  let sampleFull = false
  const addSample = (t: string): void => {
    if (sampleFull) return
    sample = firstChars(sample + t, SAMPLE_CHARS)
    sampleFull = codePointLength(sample) >= SAMPLE_CHARS
  }
  const tk = tokenizerFor(o)
  const cpCounter = tk ? undefined : new CodePointCounter()
  const counts = new Map<string, number>()
  let tokenCount = 0
  const count = (t: string): void => {
    const c = counts.get(t)
    if (c === undefined) {
      if (counts.size >= MAX_DISTINCT_TOKENS) {
        throw new ImportError('TOO_LARGE', file.path, `more than ${MAX_DISTINCT_TOKENS} distinct tokens; the vocabulary is too large`)
      }
      counts.set(t, 1)
    } else counts.set(t, c + 1)
    tokenCount++
  }
  await decodeFile(
    file.path,
    file.path,
    file.enc,
    (raw) => {
      const t = file.norm(raw)
      addSample(t)
      length += codePointLength(t)
      if (cpCounter) cpCounter.push(t)
      else tk?.push(t, count)
    },
    onBytes
  )
  if (cpCounter) {
    cpCounter.flush()
    tokenCount = cpCounter.tokens
  } else tk?.flush(count)
  const vocab: Vocabulary = cpCounter
    ? charVocabulary(cpCounter)
    : o.vocabulary === 'word'
      ? wordVocabulary(counts, o.minFrequency)
      : graphemeVocabulary(counts)
  return { length, sample, tokenCount, vocab, codePoints: cpCounter !== undefined }
}

/** Pass 2 at code-point level: each code point's id through a flat lookup, surrogate pairs joined across chunks. */
async function codePointIds(
  file: TextPass,
  vocab: Vocabulary,
  ids: ReturnType<typeof idArray>,
  onBytes: (b: number) => void
): Promise<number> {
  const lookup = new Int32Array(0x110000).fill(-1)
  vocab.tokens.forEach((t, i) => (lookup[t.codePointAt(0) as number] = i))
  let w = 0
  let high = -1
  const put = (cp: number): void => {
    const id = lookup[cp]
    if (id < 0 || w >= ids.length) throw fileChanged(file.path)
    ids[w++] = id
  }
  await decodeFile(
    file.path,
    file.path,
    file.enc,
    (raw) => {
      const t = file.norm(raw)
      let i = 0
      if (high >= 0 && t.length > 0) {
        const c = t.charCodeAt(0)
        if (c >= 0xdc00 && c <= 0xdfff) {
          put(0x10000 + ((high - 0xd800) << 10) + (c - 0xdc00))
          i = 1
        } else put(high)
        high = -1
      }
      for (; i < t.length; i++) {
        const c = t.charCodeAt(i)
        if (c >= 0xd800 && c <= 0xdbff) {
          if (i + 1 === t.length) {
            high = c
            break
          }
          const d = t.charCodeAt(i + 1)
          if (d >= 0xdc00 && d <= 0xdfff) {
            put(0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00))
            i++
            continue
          }
        }
        put(c)
      }
    },
    onBytes
  )
  if (high >= 0) put(high)
  return w
}

/** Pass 2 for graphemes and words: the tokenizer again, each token's id (`<unk>` for rare words). */
async function tokenIds(
  file: TextPass,
  o: ResolvedTextImportOptions,
  vocab: Vocabulary,
  ids: ReturnType<typeof idArray>,
  onBytes: (b: number) => void
): Promise<number> {
  const index = new Map<string, number>()
  vocab.tokens.forEach((t, i) => index.set(t, i))
  const unk = o.vocabulary === 'word' ? 0 : -1
  const tk = tokenizerFor(o) as Tokenizer
  let w = 0
  const put = (t: string): void => {
    const id = index.get(t) ?? unk
    if (id < 0 || w >= ids.length) throw fileChanged(file.path)
    ids[w++] = id
  }
  await decodeFile(file.path, file.path, file.enc, (raw) => tk.push(file.norm(raw), put), onBytes)
  tk.flush(put)
  return w
}
