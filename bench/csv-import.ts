/** CSV import of a generated 1,000,000-row × 6-column file: rows/s and peak RSS growth (goal ≤ 5 s, < 300 MB). */
import { execFileSync } from 'node:child_process'
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeSyntheticCsv } from '../src-main/data/synthetic-csv'

function importInChild(file: string): Record<string, number | string> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'csv-import-child.ts'), file], { encoding: 'utf8' })
  return JSON.parse(out.trim().split('\n').at(-1)!)
}

/** A hostile file: one line of `1,1,1,…` of `mb` megabytes. Goal: refused with peak RSS growth < 300 MB. */
export async function benchCsvOneLine(mb: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lab-bench-'))
  try {
    const file = join(dir, 'one-line.csv')
    const out = createWriteStream(file)
    const chunk = '1,'.repeat(1 << 19)
    for (let written = 0; written < mb * 2 ** 20; written += chunk.length) if (!out.write(chunk)) await once(out, 'drain')
    out.end('1\n')
    await once(out, 'finish')
    const r = importInChild(file)
    return { ...r, fileMb: statSync(file).size / 2 ** 20, goals: { peakRssGrowthMb: 300 }, meetsGoals: Number(r.peakRssGrowthMb) < 300 }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function benchCsvImport(rows: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lab-bench-'))
  try {
    const file = join(dir, 'synthetic.csv')
    await writeSyntheticCsv(file, rows)
    const r = importInChild(file)
    return {
      ...r,
      fileMb: statSync(file).size / 2 ** 20,
      goals: { seconds: 5, peakRssGrowthMb: 300 },
      meetsGoals: Number(r.seconds) <= 5 && Number(r.peakRssGrowthMb) < 300
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
