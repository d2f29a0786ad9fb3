/**
 * Import limits on hostile or unusual files: records longer than the limit are refused from the head
 * (before any column buffer is planned or the file streamed), numbers too large for a double are
 * reported per column, and files whose rows are wider than the 64 KiB head still import.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { importCsv } from '../../src-main/data/csv-import'
import { previewCsv } from '../../src-main/data/csv-preview'
import { ImportError } from '../../src-main/data/import-error'

const dir = mkdtempSync(join(tmpdir(), 'rnnlab-limits-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function write(name: string, content: string): string {
  const p = join(dir, name)
  writeFileSync(p, content)
  return p
}

async function refusal(p: Promise<unknown>): Promise<ImportError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err
  )
  expect(e).toBeInstanceOf(ImportError)
  return e as ImportError
}

describe('records longer than the limit', () => {
  it('a 20 MB single line of 1,1,1,… is refused from the head, before the file is streamed', async () => {
    const p = write('one-line.csv', '1,'.repeat(10 * 1024 * 1024) + '1\n')
    const progress: number[] = []
    const e = await refusal(importCsv(p, {}, (read) => progress.push(read)))
    expect(e.code).toBe('MALFORMED_CSV')
    expect(e.line).toBe(1)
    expect(e.message).toMatch(/longer than 1048576 characters/)
    expect(progress).toEqual([]) // refused while sniffing: no streaming pass, no column buffers
  })

  it('a 3 MB first line (under the byte window, over the character limit) is refused from the head too', async () => {
    const p = write('three-mb.csv', 'x,'.repeat(1_500_000) + 'x\n1\n')
    const progress: number[] = []
    const e = await refusal(importCsv(p, {}, (read) => progress.push(read)))
    expect(e).toMatchObject({ code: 'MALFORMED_CSV', line: 1 })
    expect(progress).toEqual([])
  })

  it('the preview refuses the same file with the same message', async () => {
    const p = write('one-line-preview.csv', '2;'.repeat(3 * 1024 * 1024) + '2\n')
    const e = await refusal(previewCsv(p))
    expect(e.code).toBe('MALFORMED_CSV')
  })
})

describe('numbers too large for a double', () => {
  it('1e400 and a 400-digit number are reported as invalid per column and filled like missing values', async () => {
    const p = write('huge.csv', `a,b\n1,2\n1e400,3\n${'9'.repeat(400)},4\n5,6\n-1e999,7\n8,8\n`)
    const r = await importCsv(p, { missing: 'ffill' })
    const a = r.columns.find((c) => c.name === 'a')
    expect(Array.from(a?.values ?? [])).toEqual([1, 1, 1, 5, 5, 8])
    expect(r.invalid).toEqual({ a: 3 })
    expect(r.missing).toEqual({ a: 0, b: 0 })
    expect(r.warnings.join('\n')).toMatch(/Column "a": 3 value\(s\) too large to be a number \(e\.g\. "1e400"\)/)
    for (const c of r.columns) expect(c.values.every(Number.isFinite)).toBe(true)
  })
})

describe('rows wider than the 64 KiB head', () => {
  it('a 10,000-column numeric file imports every column', async () => {
    const cols = 10_000
    const header = Array.from({ length: cols }, (_, i) => `c${i}`).join(',')
    const row = (r: number): string => Array.from({ length: cols }, (_, i) => ((r * 7 + i) % 1000) / 10).join(',')
    const p = write('wide.csv', [header, row(1), row(2), row(3)].join('\n') + '\n')
    const pv = await previewCsv(p)
    expect(pv.columns).toHaveLength(cols)
    expect(pv.firstRows).toHaveLength(3)
    const r = await importCsv(p)
    expect(r.rows).toBe(3)
    expect(r.columns).toHaveLength(cols)
    expect(Array.from(r.columns[9999].values)).toEqual([((7 + 9999) % 1000) / 10, ((14 + 9999) % 1000) / 10, ((21 + 9999) % 1000) / 10])
  })
})
