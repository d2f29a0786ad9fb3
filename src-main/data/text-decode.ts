/**
 * Encoding detection and streaming, fatal decoding of text files.
 *
 * Detection order ('auto'): byte-order mark (UTF-8, UTF-16 LE/BE); UTF-16 without BOM from the
 * NUL-byte pattern (ASCII text in UTF-16 has a zero in every other byte); valid UTF-8; valid
 * EUC-KR. NUL bytes in any other pattern, many control bytes, or bytes valid in none of these
 * mean the file is binary or in an unsupported encoding.
 *
 * Decoding uses `new TextDecoder(enc, { fatal: true })` chunk by chunk (`stream: true`), so a
 * 100 MB file is never one buffer. TextDecoder does not say where it failed, so on failure the
 * file is re-scanned with the byte-level validators below to name the byte offset and line.
 *
 * EUC-KR caveat: Node's (ICU) euc-kr decoder implements KS X 1001 EUC-KR only — it silently drops
 * CP949/UHC extension characters (e.g. bytes 81 41) even with `fatal: true` — so EUC-KR input is
 * always validated here byte pair by byte pair, and a CP949-only pair is reported as an error
 * rather than being lost.
 */
import { createReadStream } from 'node:fs'
import type { TextEncodingName } from '../../src-shared/dataset-import'
import { ImportError } from './import-error'

export interface EncodingGuess {
  encoding: TextEncodingName
  bom: boolean
  /** Bytes of BOM at the start of the file (skipped before decoding). */
  bomLength: number
}

export type EncodingSniff = EncodingGuess | { encoding: null; reason: 'nul' | 'control' | 'invalid'; offset: number }

/** Encoding announced by a byte-order mark, if any. */
export function detectBom(b: Uint8Array): EncodingGuess | undefined {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', bom: true, bomLength: 3 }
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', bom: true, bomLength: 2 }
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', bom: true, bomLength: 2 }
  return undefined
}

/**
 * Guess the encoding of a file from its first bytes. `complete` says the bytes are the whole file
 * (otherwise a multi-byte character cut at the end of the sample is not an error).
 */
export function sniffEncoding(b: Uint8Array, complete: boolean): EncodingSniff {
  const bom = detectBom(b)
  if (bom) return bom
  const n = Math.min(b.length, 16384)
  let even = 0
  let odd = 0
  let firstNul = -1
  let control = 0
  for (let i = 0; i < n; i++) {
    const c = b[i]
    if (c === 0) {
      if (firstNul < 0) firstNul = i
      if (i & 1) odd++
      else even++
    } else if (c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++
  }
  if (firstNul >= 0) {
    const pairs = n >> 1
    const le = new Utf16Validator(true)
    const be = new Utf16Validator(false)
    if (odd >= 0.2 * pairs && even <= 0.01 * pairs && le.push(b, 0) < 0) return { encoding: 'utf-16le', bom: false, bomLength: 0 }
    if (even >= 0.2 * pairs && odd <= 0.01 * pairs && be.push(b, 0) < 0) return { encoding: 'utf-16be', bom: false, bomLength: 0 }
    return { encoding: null, reason: 'nul', offset: firstNul }
  }
  if (control > Math.max(2, n * 0.01)) {
    let at = 0
    while (at < n && !(b[at] < 0x20 && b[at] !== 9 && b[at] !== 10 && b[at] !== 13 && b[at] !== 12)) at++
    return { encoding: null, reason: 'control', offset: at }
  }
  const u8 = new Utf8Validator()
  let bad = u8.push(b, 0)
  if (bad < 0 && complete) bad = u8.end()
  if (bad < 0) return { encoding: 'utf-8', bom: false, bomLength: 0 }
  const kr = new EucKrValidator()
  let krBad = kr.push(b, 0)
  if (krBad < 0 && complete) krBad = kr.end()
  if (krBad < 0) return { encoding: 'euc-kr', bom: false, bomLength: 0 }
  return { encoding: null, reason: 'invalid', offset: bad }
}

/** A byte-level validator: `push` returns the absolute offset of the first invalid byte, or -1. */
export interface ByteValidator {
  push(chunk: Uint8Array, base: number): number
  /** At end of input: offset of a truncated sequence, or -1. */
  end(): number
}

/** UTF-8 as the WHATWG decoder (and so TextDecoder) accepts it: no overlongs, surrogates or > U+10FFFF. */
export class Utf8Validator implements ByteValidator {
  private needed = 0
  private seen = 0
  private lower = 0x80
  private upper = 0xbf
  private start = 0

  push(b: Uint8Array, base: number): number {
    for (let i = 0; i < b.length; i++) {
      const c = b[i]
      if (this.needed === 0) {
        if (c <= 0x7f) continue
        this.start = base + i
        if (c >= 0xc2 && c <= 0xdf) this.needed = 1
        else if (c >= 0xe0 && c <= 0xef) {
          if (c === 0xe0) this.lower = 0xa0
          if (c === 0xed) this.upper = 0x9f
          this.needed = 2
        } else if (c >= 0xf0 && c <= 0xf4) {
          if (c === 0xf0) this.lower = 0x90
          if (c === 0xf4) this.upper = 0x8f
          this.needed = 3
        } else return base + i
        continue
      }
      if (c < this.lower || c > this.upper) return this.start
      this.lower = 0x80
      this.upper = 0xbf
      if (++this.seen === this.needed) this.needed = this.seen = 0
    }
    return -1
  }

  end(): number {
    return this.needed > 0 ? this.start : -1
  }
}

/** UTF-16: every high surrogate followed by a low one, no lone low surrogates, even length. */
export class Utf16Validator implements ByteValidator {
  private pendingByte = -1
  private pendingAt = 0
  private highAt = -1

  constructor(private readonly le: boolean) {}

  push(b: Uint8Array, base: number): number {
    let i = 0
    while (i < b.length) {
      let unit: number
      let at: number
      if (this.pendingByte >= 0) {
        unit = this.le ? this.pendingByte | (b[i] << 8) : (this.pendingByte << 8) | b[i]
        at = this.pendingAt
        this.pendingByte = -1
        i += 1
      } else if (i + 1 < b.length) {
        unit = this.le ? b[i] | (b[i + 1] << 8) : (b[i] << 8) | b[i + 1]
        at = base + i
        i += 2
      } else {
        this.pendingByte = b[i]
        this.pendingAt = base + i
        break
      }
      const high = unit >= 0xd800 && unit <= 0xdbff
      const low = unit >= 0xdc00 && unit <= 0xdfff
      if (this.highAt >= 0) {
        if (!low) return this.highAt
        this.highAt = -1
      } else if (low) return at
      else if (high) this.highAt = at
    }
    return -1
  }

  end(): number {
    if (this.highAt >= 0) return this.highAt
    return this.pendingByte >= 0 ? this.pendingAt : -1
  }
}

// 0 = not yet known, 1 = decodes to one character, 2 = not decodable by Node's euc-kr
const pairState = new Uint8Array(65536)
const eucKrProbe = new TextDecoder('euc-kr', { fatal: true })

function pairOk(lead: number, trail: number): boolean {
  const key = (lead << 8) | trail
  let s = pairState[key]
  if (s === 0) {
    let text: string
    try {
      text = eucKrProbe.decode(new Uint8Array([lead, trail]))
    } catch {
      text = ''
    }
    s = text.length === 1 && text !== '\ufffd' ? 1 : 2
    pairState[key] = s
  }
  return s === 1
}

/** EUC-KR (KS X 1001) byte pairs that Node's decoder really maps to one character. */
export class EucKrValidator implements ByteValidator {
  private lead = -1
  private leadAt = 0
  /** At least one two-byte character was seen (pure ASCII is reported as UTF-8, not EUC-KR). */
  sawPair = false

  push(b: Uint8Array, base: number): number {
    for (let i = 0; i < b.length; i++) {
      const c = b[i]
      if (this.lead >= 0) {
        if (!pairOk(this.lead, c)) return this.leadAt
        this.lead = -1
        this.sawPair = true
      } else if (c >= 0x80) {
        if (c < 0xa1 || c > 0xfe) return base + i
        this.lead = c
        this.leadAt = base + i
      }
    }
    return -1
  }

  end(): number {
    return this.lead >= 0 ? this.leadAt : -1
  }
}

/** A fresh validator for an encoding. */
export function validatorFor(encoding: TextEncodingName): ByteValidator {
  switch (encoding) {
    case 'utf-8':
      return new Utf8Validator()
    case 'utf-16le':
      return new Utf16Validator(true)
    case 'utf-16be':
      return new Utf16Validator(false)
    case 'euc-kr':
      return new EucKrValidator()
  }
}

/** Count line breaks (`\n`) in encoded bytes: one byte per LF in UTF-8/EUC-KR, LF code units in UTF-16. */
function countLf(b: Uint8Array, encoding: TextEncodingName, from: number, to: number, base: number): number {
  let n = 0
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    const le = encoding === 'utf-16le'
    for (let i = from; i + 1 < to; i++) {
      // only even absolute offsets start a code unit
      if (((base + i) & 1) === 0 && (le ? b[i] === 10 && b[i + 1] === 0 : b[i] === 0 && b[i + 1] === 10)) n++
    }
  } else {
    for (let i = from; i < to; i++) if (b[i] === 10) n++
  }
  return n
}

export const DECODE_CHUNK = 1 << 20

/** Scan a file for the first byte that is invalid in `encoding`: its offset and 1-based line. */
export async function locateInvalidBytes(
  path: string,
  encoding: TextEncodingName,
  start: number
): Promise<{ offset: number; line: number } | undefined> {
  const v = validatorFor(encoding)
  let line = 1
  let pos = start
  for await (const chunk of createReadStream(path, { start, highWaterMark: DECODE_CHUNK })) {
    const b = chunk as Buffer
    const bad = v.push(b, pos)
    if (bad >= 0) {
      line += countLf(b, encoding, 0, Math.max(0, bad - pos), pos)
      return { offset: bad, line }
    }
    line += countLf(b, encoding, 0, b.length, pos)
    pos += b.length
  }
  const bad = v.end()
  return bad >= 0 ? { offset: bad, line } : undefined
}

/** The error for invalid bytes at a located position. */
export function invalidEncodingError(
  file: string,
  encoding: TextEncodingName,
  at: { offset: number; line: number } | undefined
): ImportError {
  if (!at) return new ImportError('INVALID_ENCODING', file, `invalid ${encoding} byte sequence`)
  return new ImportError('INVALID_ENCODING', file, `invalid ${encoding} byte sequence`, { byteOffset: at.offset, line: at.line })
}

/**
 * Stream-decode a file (from `guess.bomLength`) with a fatal TextDecoder, chunk by chunk.
 * `onText` receives decoded pieces in order; `onBytes` the running byte count.
 * Invalid bytes → ImportError INVALID_ENCODING naming the byte offset and line.
 */
export async function decodeFile(
  path: string,
  file: string,
  guess: EncodingGuess,
  onText: (text: string) => void,
  onBytes?: (bytesRead: number) => void
): Promise<void> {
  const decoder = new TextDecoder(guess.encoding, { fatal: true, ignoreBOM: true })
  const check = guess.encoding === 'euc-kr' ? new EucKrValidator() : undefined
  let pos = guess.bomLength
  const fail = async (): Promise<never> => {
    throw invalidEncodingError(file, guess.encoding, await locateInvalidBytes(path, guess.encoding, guess.bomLength))
  }
  for await (const chunk of createReadStream(path, { start: guess.bomLength, highWaterMark: DECODE_CHUNK })) {
    const b = chunk as Buffer
    if (check && check.push(b, pos) >= 0) await fail()
    let text: string
    try {
      text = decoder.decode(b, { stream: true })
    } catch {
      return fail()
    }
    pos += b.length
    if (text.length > 0) onText(text)
    onBytes?.(pos)
  }
  if (check && check.end() >= 0) await fail()
  let rest: string
  try {
    rest = decoder.decode()
  } catch {
    return fail()
  }
  if (rest.length > 0) onText(rest)
}

/**
 * Decode an in-memory sample (the head of a file). When `complete` is false a character cut at the
 * end is not an error. Invalid bytes → ImportError INVALID_ENCODING with byte offset and line.
 */
export function decodeSample(b: Uint8Array, guess: EncodingGuess, complete: boolean, file: string): string {
  const v = validatorFor(guess.encoding)
  const body = b.subarray(guess.bomLength)
  let bad = v.push(body, guess.bomLength)
  if (bad < 0 && complete) bad = v.end()
  if (bad < 0) {
    try {
      return new TextDecoder(guess.encoding, { fatal: true, ignoreBOM: true }).decode(body, { stream: !complete })
    } catch {
      bad = guess.bomLength
    }
  }
  const line = 1 + countLf(b, guess.encoding, guess.bomLength, bad, 0)
  throw invalidEncodingError(file, guess.encoding, { offset: bad, line })
}
