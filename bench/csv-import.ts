/** CSV import of a generated 1,000,000-row × 6-column file: rows/s and peak RSS growth (goal ≤ 5 s, < 300 MB). */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeSyntheticCsv } from '../src-main/data/synthetic-csv'

export async function benchCsvImport(rows: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lab-bench-'))
  try {
    const file = join(dir, 'synthetic.csv')
    await writeSyntheticCsv(file, rows)
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'csv-import-child.ts'), file], { encoding: 'utf8' })
    const r = JSON.parse(out.trim().split('\n').at(-1)!)
    return {
      ...r,
      fileMb: statSync(file).size / 2 ** 20,
      goals: { seconds: 5, peakRssGrowthMb: 300 },
      meetsGoals: r.seconds <= 5 && r.peakRssGrowthMb < 300
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
