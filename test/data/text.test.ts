import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ImportError } from '../../src-main/data/import-error'
import { importText, previewText } from '../../src-main/data/text-import'
import { ORIGINAL_VERSE } from '../../src-main/data/generators'

const DATA = join(__dirname, '../../../shared/data')
const dir = mkdtempSync(join(tmpdir(), 'rnnlab-text-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
function write(name: string, content: string | Uint8Array): string {
  const p = join(dir, name)
  writeFileSync(p, content)
  return p
}
async function importError(p: Promise<unknown>): Promise<ImportError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError)
    return e as ImportError
  }
  throw new Error('expected an ImportError')
}
function decodeIds(r: Awaited<ReturnType<typeof importText>>): string {
  return Array.from(r.ids, (i) => r.tokens[i]).join('')
}
/** UTF-16 big-endian bytes of a string (Node has no utf16be encoder). */
function utf16be(s: string): Uint8Array {
  const le = Buffer.from(s, 'utf16le')
  const be = new Uint8Array(le.length)
  for (let i = 0; i < le.length; i += 2) {
    be[i] = le[i + 1]
    be[i + 1] = le[i]
  }
  return be
}
// EUC-KR (KS X 1001) bytes written by hand: 한국어 안녕 가나다
const EUC_KR = new Uint8Array([
  0xc7, 0xd1, 0xb1, 0xb9, 0xbe, 0xee, 0x20, 0xbe, 0xc8, 0xb3, 0xe7, 0x0a, 0xb0, 0xa1, 0xb3, 0xaa, 0xb4, 0xd9, 0x0a
])
const KOREAN = '한국어 안녕\n가나다\n'

describe('real text files', () => {
  it('tinyshakespeare.txt: 1,115,394 characters, vocabulary 65', async () => {
    const p = await previewText(join(DATA, 'text/tinyshakespeare.txt'))
    expect(p).toMatchObject({ encoding: 'utf-8', bom: false, lineEnding: 'lf' })
    expect(p.sample.startsWith('First Citizen:')).toBe(true)
    const r = await importText(join(DATA, 'text/tinyshakespeare.txt'))
    expect(r.length).toBe(1115394)
    expect(r.vocabularySize).toBe(65)
    expect(r.tokenCount).toBe(1115394)
    expect(r.ids).toBeInstanceOf(Uint8Array)
    expect(r.topTokens).toHaveLength(20)
    expect(r.topTokens[0]).toEqual({ token: ' ', count: 169892 })
    expect(r.tokens.slice(0, 3)).toEqual(['\n', ' ', '!'])
    expect(decodeIds(r).slice(0, 14)).toBe('First Citizen:')
  })

  it('republic_clean.txt: word vocabulary with minFrequency and <unk>', async () => {
    const all = await importText(join(DATA, 'text/republic_clean.txt'), { vocabulary: 'word' })
    const r = await importText(join(DATA, 'text/republic_clean.txt'), { vocabulary: 'word', minFrequency: 3 })
    expect(r.tokens[0]).toBe('<unk>')
    expect(r.tokenCount).toBe(all.tokenCount)
    expect(r.vocabularySize).toBeLessThan(all.vocabularySize)
    expect(r.unknownCount).toBeGreaterThan(0)
    expect(all.unknownCount).toBe(0)
    expect(r.topTokens.find((t) => t.token === 'the')?.count).toBeGreaterThan(10000)
    expect(r.ids.filter((i) => i === 0).length).toBe(r.unknownCount)
  })
})

describe('encodings', () => {
  const text = 'Hello, 세계! 👋🏽 naïve\n'
  it('UTF-8 with and without BOM', async () => {
    const plain = await importText(write('u8.txt', text))
    const bom = await importText(write('u8bom.txt', `\ufeff${text}`))
    expect(plain).toMatchObject({ encoding: 'utf-8', bom: false })
    expect(bom).toMatchObject({ encoding: 'utf-8', bom: true })
    expect(decodeIds(plain)).toBe(text)
    expect(decodeIds(bom)).toBe(text)
  })

  it('UTF-16 LE and BE round trips, with BOM and detected from the NUL pattern', async () => {
    const cases: [string, Uint8Array, string, boolean][] = [
      ['le-bom.txt', Buffer.from(`\ufeff${text}`, 'utf16le'), 'utf-16le', true],
      ['le.txt', Buffer.from(text, 'utf16le'), 'utf-16le', false],
      ['be-bom.txt', utf16be(`\ufeff${text}`), 'utf-16be', true],
      ['be.txt', utf16be(text), 'utf-16be', false]
    ]
    for (const [name, bytes, encoding, bom] of cases) {
      const p = write(name, bytes)
      expect(await previewText(p)).toMatchObject({ encoding, bom })
      const r = await importText(p)
      expect(r).toMatchObject({ encoding, bom })
      expect(decodeIds(r)).toBe(text)
    }
  })

  it('EUC-KR: detected when not UTF-8, or chosen; round trip', async () => {
    const p = write('kr.txt', EUC_KR)
    const pv = await previewText(p)
    expect(pv.encoding).toBe('euc-kr')
    expect(pv.sample).toBe(KOREAN)
    const r = await importText(p)
    expect(r.encoding).toBe('euc-kr')
    expect(decodeIds(r)).toBe(KOREAN)
    expect(r.length).toBe([...KOREAN].length)
    expect((await importText(p, { encoding: 'euc-kr' })).vocabularySize).toBe(new Set(KOREAN).size)
  })

  it('invalid bytes for the declared encoding → ImportError with byte offset and line', async () => {
    const bytes = new Uint8Array([...Buffer.from('line one\nline two\nbad '), 0xc3, 0x28, ...Buffer.from(' here\n')])
    const p = write('bad-utf8.txt', bytes)
    const e = await importError(importText(p, { encoding: 'utf-8' }))
    expect(e.code).toBe('INVALID_ENCODING')
    expect(e.byteOffset).toBe(22)
    expect(e.line).toBe(3)
    expect(e.message).toBe('bad-utf8.txt, byte 22, line 3: invalid utf-8 byte sequence')
    // EUC-KR chosen, but a CP949-only pair (81 41) that Node cannot decode
    const kr = write('bad-kr.txt', new Uint8Array([0xb0, 0xa1, 0x0a, 0x81, 0x41]))
    const e2 = await importError(importText(kr, { encoding: 'euc-kr' }))
    expect(e2).toMatchObject({ code: 'INVALID_ENCODING', byteOffset: 3, line: 2 })
    // lone surrogate in UTF-16 LE
    const u16 = write('bad16.txt', new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0x00, 0xd8, 0x42, 0x00]))
    const e3 = await importError(importText(u16))
    expect(e3).toMatchObject({ code: 'INVALID_ENCODING', byteOffset: 4 })
  })

  it('invalid bytes far into a large file are found by streaming, with their offset', async () => {
    const head = Buffer.from('abcdefghij\n'.repeat(200_000)) // 2.2 MB, beyond one decode chunk
    const p = write('late.txt', new Uint8Array([...head, 0xff, 0x0a]))
    const e = await importError(importText(p))
    expect(e).toMatchObject({ code: 'INVALID_ENCODING', byteOffset: head.length, line: 200_001 })
  })
})

describe('vocabulary', () => {
  it('Hangul syllables and emoji stay whole at code-point level; ZWJ sequences whole as graphemes', async () => {
    const s = '한글👍한👩‍💻'
    const p = write('emoji.txt', s)
    const cp = await importText(p)
    expect(cp.tokens).toEqual(expect.arrayContaining(['한', '글', '👍', '👩', '💻', '\u200d']))
    expect(cp.length).toBe(7)
    expect(cp.tokenCount).toBe(7)
    const g = await importText(p, { charUnit: 'grapheme' })
    expect(g.tokenCount).toBe(5)
    expect(g.tokens).toContain('👩‍💻')
    expect(decodeIds(g)).toBe(s)
  })

  it('lower-casing', async () => {
    const r = await importText(write('case.txt', 'AaBb'), { lowercase: true })
    expect(r.tokens).toEqual(['a', 'b'])
    expect(r.sample).toBe('aabb')
  })

  it('the original verse has a small character vocabulary', async () => {
    const r = await importText(write('verse.txt', ORIGINAL_VERSE))
    expect(ORIGINAL_VERSE.length).toBeGreaterThan(300)
    expect(r.vocabularySize).toBeLessThan(40)
    expect(decodeIds(r)).toBe(ORIGINAL_VERSE)
  })
})

describe('bad text input', () => {
  it('0-byte file, BOM-only file, binary file, directory', async () => {
    expect((await importError(importText(write('zero.txt', '')))).code).toBe('EMPTY_FILE')
    expect((await importError(previewText(write('zero2.txt', '')))).code).toBe('EMPTY_FILE')
    expect((await importError(importText(write('bomonly.txt', '\ufeff')))).code).toBe('EMPTY_FILE')
    const bin = new Uint8Array(2048).map((_, i) => (i * 31) % 256)
    expect((await importError(importText(write('bin.txt', bin)))).code).toBe('BINARY_FILE')
    expect((await importError(importText(dir))).code).toBe('NOT_A_FILE')
  })

  it('files over 100 MiB are refused with a message (sparse file, nothing read)', async () => {
    const p = join(dir, 'huge.txt')
    writeFileSync(p, 'abc\n'.repeat(20_000)) // text head, then a sparse (unwritten) tail
    const { truncateSync } = await import('node:fs')
    truncateSync(p, 101 * 1024 * 1024)
    const e = await importError(importText(p))
    expect(e.code).toBe('TOO_LARGE')
    expect(e.message).toMatch(/huge\.txt: the file is 105\.9 MB; text imports are limited to 104\.9 MB/)
    expect((await previewText(p)).warnings.join(' ')).toMatch(/limited/)
  })
})
