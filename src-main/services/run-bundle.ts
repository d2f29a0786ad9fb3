/**
 * A run as a folder another installation can import: run.json (configuration, epochs, metrics,
 * versions, dataset hash), predictions.csv, and the saved models under model/best and model/final.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { RunDetail, type Artifact } from '../../src-shared/domain'
import { ApiError } from '../../src-shared/errors'
import { parseOrThrow } from '../../src-shared/validation'
import { toKerasTopology } from '../engine/layers/keras-names'
import { resolveInside } from './safe-paths'

export const BUNDLE_FORMAT = 'rnn-lab-run/1'
// Layout: run.json, predictions.csv, model/<best|final>/ (loads in RNN Lab and in tfjs with its layers
// registered), keras/<best|final>/ (Keras class names: stock tfjs loads LSTM/SimpleRNN models, and the
// tfjs converter turns them into Keras models).

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

/** Writes the bundle of `run` into `dir`; `modelDir` gives each artifact's checked folder. */
type ModelArtifact = Artifact & { kind: 'best' | 'final' }

export function writeBundle(run: RunDetail, dir: string, modelDir: (a: ModelArtifact) => string): string[] {
  if (existsSync(join(dir, 'run.json'))) throw new ApiError('CONFLICT', `${dir} already holds a run bundle`)
  mkdirSync(dir, { recursive: true })
  const files = ['run.json']
  // Models only: a resumable checkpoint belongs to the installation that trains the run.
  const models = run.artifacts.filter((a): a is ModelArtifact => a.kind !== 'checkpoint')
  const artifacts = models.map((a) => ({ ...a, path: `model/${a.kind}` }))
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ format: BUNDLE_FORMAT, run: { ...run, artifacts } }, null, 2))
  const csv = predictionsCsv(run)
  if (csv) {
    writeFileSync(join(dir, 'predictions.csv'), csv)
    files.push('predictions.csv')
  }
  for (const artifact of models) {
    const a = { ...artifact, path: modelDir(artifact) }
    if (!existsSync(a.path)) continue
    cpSync(a.path, join(dir, 'model', a.kind), { recursive: true })
    files.push(`model/${a.kind}/model.json`, `model/${a.kind}/weights.bin`)
    // The same model with Keras's class names (LSTM, GRU, SimpleRNN…), for the tfjs converter.
    const keras = join(dir, 'keras', a.kind)
    mkdirSync(keras, { recursive: true })
    const json = JSON.parse(readFileSync(join(a.path, 'model.json'), 'utf8'))
    writeFileSync(join(keras, 'model.json'), JSON.stringify({ ...json, modelTopology: toKerasTopology(json.modelTopology) }))
    cpSync(join(a.path, 'weights.bin'), join(keras, 'weights.bin'))
    files.push(`keras/${a.kind}/model.json`, `keras/${a.kind}/weights.bin`)
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

/**
 * The model folders of a bundle, found by kind (model/best, model/final) inside `dir` only: the paths
 * written in run.json are never used, and a folder that leads out of the bundle (symlink) is skipped.
 */
export function bundleModels(dir: string, run: RunDetail): { artifact: Artifact; from: string }[] {
  const found: { artifact: Artifact; from: string }[] = []
  for (const artifact of run.artifacts) {
    let from: string
    try {
      from = resolveInside(dir, 'model', artifact.kind)
    } catch {
      continue
    }
    if (statSync(from, { throwIfNoEntry: false })?.isDirectory()) found.push({ artifact, from })
  }
  return found
}
