/**
 * A run's model and predictions as files to hand over (serve downloads, the desktop's Save As): read
 * from the run's own folder as the store recorded it, never from a path a client sent. Each model.json
 * is rewritten to name the weights file it is handed out with; the Keras one carries Keras's class names.
 */
import { copyFileSync, createReadStream, existsSync, readFileSync, statSync, writeFileSync, type ReadStream } from 'node:fs'
import { join } from 'node:path'
import type { RunDetail } from '../../src-shared/domain'
import { ApiError } from '../../src-shared/errors'
import { downloadName, fileSlug, type Checkpoint, type RunFile } from '../../src-shared/run-files'
import { toKerasTopology } from '../engine/layers/keras-names'
import { predictionsCsv } from './run-bundle'

export interface RunFileBody {
  filename: string
  contentType: string
  /** A small file in memory, or the weights as a stream. */
  body: string | (() => ReadStream)
  bytes: number
}

function artifactDir(run: RunDetail, checkpoint: Checkpoint): string {
  const a = run.artifacts.find((x) => x.kind === checkpoint)
  if (!a || !existsSync(join(a.path, 'model.json'))) {
    throw new ApiError(
      'NOT_FOUND',
      `Run "${run.name}" has no ${checkpoint} model${run.artifacts.length ? ` (it has: ${run.artifacts.map((x) => x.kind).join(', ')})` : ''}`
    )
  }
  return a.path
}

export function runFile(run: RunDetail, file: RunFile, checkpoint: Checkpoint): RunFileBody {
  const slug = fileSlug(run.name, run.id)
  const filename = downloadName(slug, file, checkpoint)
  if (file === 'predictions.csv') {
    const csv = predictionsCsv(run)
    if (csv === null) throw new ApiError('NOT_FOUND', `Run "${run.name}" has no test predictions`)
    return { filename, contentType: 'text/csv; charset=utf-8', body: csv, bytes: Buffer.byteLength(csv) }
  }
  const dir = artifactDir(run, checkpoint)
  const format = file.startsWith('keras') ? 'keras' : 'tfjs'
  if (file.endsWith('weights.bin')) {
    const path = join(dir, 'weights.bin')
    return { filename, contentType: 'application/octet-stream', body: () => createReadStream(path), bytes: statSync(path).size }
  }
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
    modelTopology: unknown
    weightsManifest: { paths: string[]; weights: unknown[] }[]
  }
  const weights = downloadName(slug, `${format}-weights.bin`, checkpoint)
  const out = {
    ...json,
    modelTopology: format === 'keras' ? toKerasTopology(json.modelTopology as never) : json.modelTopology,
    weightsManifest: json.weightsManifest.map((g) => ({ ...g, paths: [weights] }))
  }
  const text = JSON.stringify(out)
  return { filename, contentType: 'application/json', body: text, bytes: Buffer.byteLength(text) }
}

/** Writes the model (both formats) or the predictions into `dir` under their download names; returns them. */
export function saveRunFiles(run: RunDetail, what: 'model' | 'predictions', checkpoint: Checkpoint, dir: string): string[] {
  const files: RunFile[] =
    what === 'predictions' ? ['predictions.csv'] : ['tfjs-model.json', 'tfjs-weights.bin', 'keras-model.json', 'keras-weights.bin']
  return files.map((f) => {
    const out = runFile(run, f, checkpoint)
    const target = join(dir, out.filename)
    if (typeof out.body === 'string') writeFileSync(target, out.body)
    else copyFileSync(join(artifactDir(run, checkpoint), 'weights.bin'), target)
    return out.filename
  })
}
