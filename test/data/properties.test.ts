import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { importCsv } from '../../src-main/data/csv-import'
import { previewCsv } from '../../src-main/data/csv-preview'
import { ImportError } from '../../src-main/data/import-error'
import { importText } from '../../src-main/data/text-import'

const dir = mkdtempSync(join(tmpdir(), 'rnnlab-prop-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
function write(content: string | Uint8Array): string {
  const p = join(dir, `f${n++}.csv`)
  writeFileSync(p, content)
  return p
}

/** Runs `f`; passes when it resolves or rejects with an ImportError, within `ms`. */
async function onlyImportErrors(f: () => Promise<unknown>, ms = 2000): Promise<void> {
  const t0 = performance.now()
  try {
    await f()
  } catch (e) {
    if (!(e instanceof ImportError)) throw e
    expect(e.message).toMatch(/^f\d+\.csv/)
  }
  expect(performance.now() - t0).toBeLessThan(ms)
}

// CSV-ish text: digits, separators, quotes, line breaks, date-like and missing tokens
const cell = fc.oneof(
  fc.constantFrom(
    '',
    'NA',
    '-',
    '1',
    '-2.5',
    '1,5',
    '$1,234.50',
    '12%',
    '2020-01-01',
    '01/02/2020',
    '13/01/2020',
    'x',
    '"q"',
    '"a,b"',
    '€3'
  ),
  fc.string({ maxLength: 6 }),
  fc.double({ noNaN: true }).map(String)
)
const csvText = fc
  .array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 0, maxLength: 12 })
  .chain((rows) =>
    fc.constantFrom(',', ';', '\t', '|').chain((d) => fc.constantFrom('\n', '\r\n').map((nl) => rows.map((r) => r.join(d)).join(nl)))
  )

describe('property: the CSV sniffer/parser throws nothing but ImportError', () => {
  it('structured random CSV text', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, async (text) => {
        const p = write(text)
        await onlyImportErrors(() => previewCsv(p))
        await onlyImportErrors(() => importCsv(p))
      }),
      { numRuns: 60 }
    )
  })
  it('random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        const p = write(bytes)
        await onlyImportErrors(() => importCsv(p))
      }),
      { numRuns: 40 }
    )
  })
  it('random unicode text with options', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.constantFrom('drop', 'ffill', 'interpolate'),
        fc.boolean(),
        async (text, missing, hasHeader) => {
          const p = write(text)
          await onlyImportErrors(() => importCsv(p, { missing, hasHeader }))
        }
      ),
      { numRuns: 40 }
    )
  })
})

describe('property: the text decoder throws nothing but ImportError', () => {
  it('random bytes in every encoding', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        fc.constantFrom('auto', 'utf-8', 'utf-16le', 'utf-16be', 'euc-kr'),
        fc.constantFrom('char', 'word'),
        async (bytes, encoding, vocabulary) => {
          const p = write(bytes)
          await onlyImportErrors(() => importText(p, { encoding, vocabulary }))
        }
      ),
      { numRuns: 60 }
    )
  })
  it('valid UTF-8 text round-trips through the id sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 100 }), async (s) => {
        const r = await importText(write(s))
        expect(Array.from(r.ids, (i) => r.tokens[i]).join('')).toBe(s.startsWith('\ufeff') ? s.slice(1) : s)
      }),
      { numRuns: 40 }
    )
  })
})
