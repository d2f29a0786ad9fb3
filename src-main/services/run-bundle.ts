/**
 * A run as a folder another installation can import: run.json (configuration, epochs, metrics,
 * versions, dataset hash), predictions.csv, and the saved models under model/best and model/final.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { RunDetail } from '../../src-shared/domain'
import { ApiError } from '../../src-shared/errors'
import { parseOrThrow } from '../../src-shared/validation'

export const BUNDLE_FORMAT = 'rnn-lab-run/1'

const Bundle = z.object({ format: z.literal(BUNDLE_FORMAT), run: RunDetail })

function csvCell(v: number | string): string {
  const s = String(v)
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function predictionsCsv(run: RunDetail): string | null {
  const p = run.predictions
  if (!p) return null
  const lines = ['index,actual,predicted,persistence']
  for (let i = 0; i < p.index.length; i++) lines.push([p.index[i], p.actual[i], p.predicted[i], p.persistence[i]].map(csvCell).join(','))
  return lines.join('\n') + '\n'
}

export function writeBundle(run: RunDetail, dir: string): string[] {
  if (existsSync(join(dir, 'run.json'))) throw new ApiError('CONFLICT', `${dir} already holds a run bundle`)
  mkdirSync(dir, { recursive: true })
  const files = ['run.json']
  const artifacts = run.artifacts.map((a) => ({ ...a, path: `model/${a.kind}` }))
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ format: BUNDLE_FORMAT, run: { ...run, artifacts } }, null, 2))
  const csv = predictionsCsv(run)
  if (csv) {
    writeFileSync(join(dir, 'predictions.csv'), csv)
    files.push('predictions.csv')
  }
  for (const a of run.artifacts) {
    if (!existsSync(a.path)) continue
    cpSync(a.path, join(dir, 'model', a.kind), { recursive: true })
    files.push(`model/${a.kind}/model.json`, `model/${a.kind}/weights.bin`)
  }
  return files
}

export function readBundle(dir: string): RunDetail {
  const file = join(dir, 'run.json')
  if (!existsSync(file)) throw new ApiError('NOT_FOUND', `${dir} holds no run.json: not a run bundle`)
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new ApiError('VALIDATION', `${file} is not valid JSON: ${(err as Error).message}`)
  }
  return parseOrThrow(Bundle, json, `run bundle ${file}`).run
}
