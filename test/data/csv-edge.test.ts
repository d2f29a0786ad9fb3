import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { importCsv } from '../../src-main/data/csv-import'
import { previewCsv } from '../../src-main/data/csv-preview'
import { ImportError } from '../../src-main/data/import-error'

const dir = mkdtempSync(join(tmpdir(), 'rnnlab-csv-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function write(name: string, content: string | Uint8Array): string {
  const p = join(dir, name)
  writeFileSync(p, content)
  return p
}
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`)
function values(r: Awaited<ReturnType<typeof importCsv>>, name: string): number[] {
  const c = r.columns.find((x) => x.name === name)
  if (!c) throw new Error(`no column ${name}`)
  return Array.from(c.values)
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

describe('CSV dialects', () => {
  it('semicolon delimiter with decimal comma and dot thousands', async () => {
    const p = write('semi.csv', 'Datum;Preis;Menge\n01.02.2020;1,5;"1.234,50"\n02.02.2020;2,25;10\n03.02.2020;-0,75;7\n')
    const pv = await previewCsv(p)
    expect(pv).toMatchObject({ delimiter: ';', decimal: ',', thousands: '.', hasHeader: true })
    expect(pv.columns[0]).toMatchObject({ inferredType: 'time', dateFormat: 'DD.MM.YYYY' })
    const r = await importCsv(p)
    expect(values(r, 'Preis')).toEqual([1.5, 2.25, -0.75])
    expect(values(r, 'Menge')).toEqual([1234.5, 10, 7])
    expect(values(r, 'Datum')).toEqual([day('2020-02-01'), day('2020-02-02'), day('2020-02-03')])
  })

  it('currency signs with thousands commas, percent kept as written, tab and pipe delimiters', async () => {
    const p = write(
      'money.csv',
      'Date,Price,Euro,Pound,Change\n2021-01-01,"$1,234.50",€5,£7.25,12.5%\n2021-01-02,"$2,000.00",€6,£8,-3%\n2021-01-03,$3.50,€7,£9,0%\n'
    )
    const pv = await previewCsv(p)
    expect(pv).toMatchObject({ decimal: '.', thousands: ',' })
    expect(pv.columns.find((c) => c.name === 'Price')?.unit).toBe('currency')
    expect(pv.columns.find((c) => c.name === 'Change')?.unit).toBe('percent')
    const r = await importCsv(p)
    expect(values(r, 'Price')).toEqual([1234.5, 2000, 3.5])
    expect(values(r, 'Euro')).toEqual([5, 6, 7])
    expect(values(r, 'Pound')).toEqual([7.25, 8, 9])
    expect(values(r, 'Change')).toEqual([12.5, -3, 0])

    const tab = await importCsv(write('tab.tsv', 'Date\tA\tB\n2021-01-01\t1\t2\n2021-01-02\t3\t4\n'))
    expect(values(tab, 'B')).toEqual([2, 4])
    const pipe = await previewCsv(write('pipe.csv', 'Date|A|B\n2021-01-01|1|2\n2021-01-02|3|4\n'))
    expect(pipe.delimiter).toBe('|')
  })

  it('UTF-8 BOM + CRLF + quoted fields containing delimiters, quotes and line breaks', async () => {
    const p = write(
      'bom.csv',
      '\ufeff"Date","Note","Value"\r\n2022-03-01,"a, b",1\r\n2022-03-02,"say ""hi""",2\r\n2022-03-03,"two\r\nlines",3\r\n'
    )
    const pv = await previewCsv(p)
    expect(pv).toMatchObject({ bom: true, lineEnding: 'crlf', encoding: 'utf-8', hasHeader: true })
    expect(pv.columns.map((c) => c.name)).toEqual(['Date', 'Note', 'Value'])
    expect(pv.firstRows[1]).toEqual(['2022-03-02', 'say "hi"', '2'])
    expect(pv.firstRows[2][1]).toBe('two\r\nlines')
    const r = await importCsv(p)
    expect(r.rows).toBe(3)
    expect(values(r, 'Value')).toEqual([1, 2, 3])
  })

  it('no header row: columns are named "column N"', async () => {
    const r = await importCsv(write('nohead.csv', '2020-01-01,5\n2020-01-02,6\n2020-01-03,7\n'))
    expect(r.columns.map((c) => c.name)).toEqual(['column 1', 'column 2'])
    expect(values(r, 'column 2')).toEqual([5, 6, 7])
  })

  it('UTF-16 LE CSV with BOM', async () => {
    const text = '\ufeffDate,Value\r\n2020-01-01,1\r\n2020-01-02,2\r\n'
    const p = write('utf16.csv', Buffer.from(text, 'utf16le'))
    const pv = await previewCsv(p)
    expect(pv).toMatchObject({ encoding: 'utf-16le', bom: true })
    expect(values(await importCsv(p), 'Value')).toEqual([1, 2])
  })
})

describe('dates', () => {
  it('DD/MM/YYYY is decided by a first field above 12', async () => {
    const p = write('dmy.csv', 'Date,Value\n01/02/2020,1\n13/02/2020,2\n14/02/2020,3\n')
    const pv = await previewCsv(p)
    expect(pv.dateOrderAmbiguous).toBe(false)
    expect(pv.columns[0].dateFormat).toBe('DD/MM/YYYY')
    const r = await importCsv(p)
    expect(values(r, 'Date')).toEqual([day('2020-02-01'), day('2020-02-13'), day('2020-02-14')])
  })

  it('ambiguous month/day order: preview flags it, import asks for dateFormat, explicit format imports', async () => {
    const p = write('amb.csv', 'Date,Value\n01/02/2020,1\n02/03/2020,2\n03/04/2020,3\n')
    const pv = await previewCsv(p)
    expect(pv.dateOrderAmbiguous).toBe(true)
    const e = await importError(importCsv(p))
    expect(e.code).toBe('DATE_ORDER_AMBIGUOUS')
    expect(e.message).toMatch(/amb\.csv, column 1 \("Date"\): .*dateFormat/)
    const r = await importCsv(p, { dateFormat: 'DD/MM/YYYY' })
    expect(values(r, 'Date')).toEqual([day('2020-02-01'), day('2020-03-02'), day('2020-04-03')])
    const us = await importCsv(p, { dateFormat: 'MM/DD/YYYY' })
    expect(values(us, 'Date')[0]).toBe(day('2020-01-02'))
  })

  it('ISO datetimes with offsets, unsorted rows sorted, duplicates and gaps reported', async () => {
    const p = write(
      'dt.csv',
      'Time,V\n2020-01-01T02:00:00Z,3\n2020-01-01T00:00:00Z,1\n2020-01-01T01:00:00Z,2\n2020-01-01T01:00:00Z,2\n2020-01-01T09:00:00+02:00,4\n2020-01-01T12:00:00Z,5\n'
    )
    const r = await importCsv(p)
    expect(r.descending).toBe(false)
    expect(r.warnings.join(' ')).toMatch(/sorted by time/)
    expect(values(r, 'V')).toEqual([1, 2, 2, 3, 4, 5])
    expect(r.duplicates).toEqual({ count: 1, examples: ['2020-01-01T01:00:00.000Z'] })
    expect(r.gaps.count).toBe(2) // 02:00 → 07:00 and 07:00 → 12:00, median step 1 h
    expect(r.gaps.examples[0]).toEqual({ after: '2020-01-01T02:00:00.000Z', before: '2020-01-01T07:00:00.000Z' })
  })
})

describe('missing values', () => {
  const content = 'Date,A,B\n2020-01-01,NA,1\n2020-01-02,2,n/a\n2020-01-03,,null\n2020-01-04,4,NaN\n2020-01-05,-,5\n2020-01-06,6,6\n'
  it('counts every token and interpolates linearly in time (leading gap back-filled)', async () => {
    const r = await importCsv(write('miss.csv', content))
    expect(r.missing).toEqual({ Date: 0, A: 3, B: 3 })
    expect(r.missingStrategy).toBe('interpolate')
    expect(values(r, 'A')).toEqual([2, 2, 3, 4, 5, 6])
    expect(values(r, 'B')).toEqual([1, 2, 3, 4, 5, 6])
  })
  it('forward-fills', async () => {
    const r = await importCsv(write('miss2.csv', content), { missing: 'ffill' })
    expect(values(r, 'A')).toEqual([2, 2, 2, 4, 4, 6])
    expect(values(r, 'B')).toEqual([1, 1, 1, 1, 5, 6])
  })
  it('drops rows', async () => {
    const r = await importCsv(write('miss3.csv', content), { missing: 'drop' })
    expect(r.rows).toBe(1)
    expect(r.droppedRows).toBe(5)
    expect(values(r, 'A')).toEqual([6])
  })
  it('role overrides: ignore a column, make another the target', async () => {
    const r = await importCsv(write('roles.csv', content), { roles: { A: 'ignored', B: 'target' } })
    expect(r.columns.map((c) => [c.name, c.role])).toEqual([
      ['Date', 'time'],
      ['B', 'target']
    ])
  })
})

describe('bad input → ImportError naming file, line and column', () => {
  it('empty file and whitespace-only file', async () => {
    expect((await importError(importCsv(write('empty.csv', '')))).code).toBe('EMPTY_FILE')
    expect((await importError(previewCsv(write('blank.csv', '\n\n  \n')))).code).toBe('EMPTY_FILE')
  })
  it('header only', async () => {
    const e = await importError(importCsv(write('header.csv', 'Date,Close\n')))
    expect(e.code).toBe('HEADER_ONLY')
    expect(e.message).toBe('header.csv: the file has a header row but no data rows')
  })
  it('binary file renamed .csv (NUL bytes; invalid UTF-8)', async () => {
    const bytes = new Uint8Array(4096)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 251
    const e = await importError(importCsv(write('image.csv', bytes)))
    expect(e.code).toBe('BINARY_FILE')
    expect(e.message).toMatch(/^image\.csv, byte 0: not a CSV text file/)
    const bad = new Uint8Array([...Buffer.from('a,b\n1,2\n'), 0xff, 0xfe, 0xfd, 0x80, 0x81, 0x41, 0x0a])
    const e2 = await importError(previewCsv(write('latin.csv', bad)))
    expect(e2.code).toBe('BINARY_FILE')
    expect(e2.byteOffset).toBe(8)
  })
  it('ragged row: line number, expected and found field counts', async () => {
    const e = await importError(importCsv(write('ragged.csv', 'Date,Close\n2020-01-01,1\n2020-01-02,2\n2020-01-03\n2020-01-04,4\n')))
    expect(e.code).toBe('RAGGED_ROW')
    expect(e.line).toBe(4)
    expect(e.message).toBe('ragged.csv, line 4: expected 2 fields (as in the header), found 1')
  })
  it('a value that is not a number: line and column named', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `2020-01-${String(i + 1).padStart(2, '0')},${i},${i + 0.5}`)
    rows.push('2020-01-13,12,abc')
    const e = await importError(importCsv(write('prices.csv', `Date,Open,Close\n${rows.join('\n')}\n`)))
    expect(e.code).toBe('NOT_A_NUMBER')
    expect(e.message).toBe('prices.csv, line 14, column 3 ("Close"): "abc" is not a number')
  })
  it('a chosen target/feature column without numbers', async () => {
    const p = write('names.csv', 'Date,Name,Value\n2020-01-01,alice,1\n2020-01-02,bob,2\n2020-01-03,carol,3\n')
    const e = await importError(importCsv(p, { roles: { Name: 'target' } }))
    expect(e.code).toBe('NO_NUMBERS')
    expect(e.message).toMatch(/^names\.csv, column 2 \("Name"\): chosen as target but holds no numbers/)
    const allMissing = write('allna.csv', 'Date,A,B\n2020-01-01,NA,1\n2020-01-02,NA,2\n')
    const e2 = await importError(importCsv(allMissing, { roles: { A: 'feature' } }))
    expect(e2.code).toBe('NO_NUMBERS')
  })
  it('a time value that does not parse: line, column and value', async () => {
    const e = await importError(importCsv(write('baddate.csv', 'Date,Close\r\n2020-01-01,1\r\n2020-01-02,2\r\n2020-13-45,3\r\n')))
    expect(e.code).toBe('BAD_DATE')
    expect(e.message).toBe('baddate.csv, line 4, column 1 ("Date"): "2020-13-45" is not a date in format YYYY-MM-DD')
  })
  it('unclosed quote', async () => {
    const e = await importError(importCsv(write('quote.csv', 'a,b\n1,2\n"x,3\n4,5\n')))
    expect(e.code).toBe('MALFORMED_CSV')
    expect(e.line).toBe(3)
  })
  it('not a regular file, missing file, unknown column, invalid options', async () => {
    const sub = join(dir, 'folder.csv')
    mkdirSync(sub)
    expect((await importError(importCsv(sub))).code).toBe('NOT_A_FILE')
    expect((await importError(previewCsv(join(dir, 'nope.csv')))).code).toBe('NOT_FOUND')
    const p = write('ok.csv', 'Date,V\n2020-01-01,1\n2020-01-02,2\n')
    const e = await importError(importCsv(p, { dateColumn: 'When' }))
    expect(e.code).toBe('UNKNOWN_COLUMN')
    expect(e.message).toMatch(/"When"/)
    const bad = await importError(importCsv(p, { missing: 'guess' } as unknown as { missing: 'drop' }))
    expect(bad.code).toBe('INVALID_OPTIONS')
    expect(bad.message).toMatch(/missing/)
  })
  it('a ragged row far into a streamed file (beyond the sniffed head) names its line', async () => {
    const lines = ['Date,V']
    for (let i = 0; i < 6000; i++) lines.push(`${new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)},${i}`)
    lines.splice(5001, 0, '2099-01-01,1,2')
    const e = await importError(importCsv(write('long.csv', `${lines.join('\n')}\n`)))
    expect(e.message).toBe('long.csv, line 5002: expected 2 fields (as in the header), found 3')
  })
})

describe('progress', () => {
  it('reports bytes read up to the file size', async () => {
    const lines = [
      'Date,V',
      ...Array.from({ length: 20000 }, (_, i) => `${new Date(Date.UTC(1990, 0, 1) + i * 3_600_000).toISOString()},${i}`)
    ]
    const p = write('progress.csv', `${lines.join('\n')}\n`)
    const seen: [number, number][] = []
    const r = await importCsv(p, {}, (a, b) => seen.push([a, b]))
    expect(r.rows).toBe(20000)
    expect(seen.length).toBeGreaterThan(2)
    const total = seen[0][1]
    expect(seen.at(-1)).toEqual([total, total])
    for (let i = 1; i < seen.length; i++) expect(seen[i][0]).toBeGreaterThanOrEqual(seen[i - 1][0])
  })
})

describe('synthetic benchmark file', () => {
  it('writeSyntheticCsv writes N rows × 6 columns that import back', async () => {
    const { writeSyntheticCsv } = await import('../../src-main/data/synthetic-csv')
    const p = join(dir, 'synthetic.csv')
    const bytes = await writeSyntheticCsv(p, 5000, 7)
    expect(bytes).toBeGreaterThan(5000 * 40)
    const r = await importCsv(p)
    expect(r.rows).toBe(5000)
    expect(r.columns.map((c) => c.name)).toEqual(['Date', 'Open', 'High', 'Low', 'Close', 'Volume'])
    expect(r.timeRange).toEqual({ start: '2000-01-01T00:00:00.000Z', end: '2000-01-04T11:19:00.000Z' })
    expect(r.gaps.count).toBe(0)
  })
})
