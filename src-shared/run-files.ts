/**
 * The files of a run a person can take away: the saved model as TF.js layers (RNN Lab's class names)
 * and with Keras's class names (stock tfjs and the tfjs converter load it), each a model.json and its
 * weights, and the test predictions as CSV. Downloads are named after the run, and each model.json
 * names its own weights file, so both models land in one Downloads folder and still load.
 */
import { RUN_FILES_PATH } from './channels'

export const RUN_FILES = ['tfjs-model.json', 'tfjs-weights.bin', 'keras-model.json', 'keras-weights.bin', 'predictions.csv'] as const
export type RunFile = (typeof RUN_FILES)[number]
export type Checkpoint = 'best' | 'final'

export function isRunFile(name: string): name is RunFile {
  return (RUN_FILES as readonly string[]).includes(name)
}

/** "LSTM on MSFT (copy)" → "lstm-on-msft-copy" (ASCII, at most 60 characters; the id when nothing is left). */
export function fileSlug(runName: string, runId: string): string {
  const slug = runName
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60)
  return slug || runId
}

/** The name a downloaded file gets: `<slug>-<checkpoint>-tfjs.json`, `<slug>-<checkpoint>-tfjs.weights.bin`, `<slug>-predictions.csv`. */
export function downloadName(slug: string, file: RunFile, checkpoint: Checkpoint): string {
  if (file === 'predictions.csv') return `${slug}-predictions.csv`
  const [format, part] = file.split('-') as ['tfjs' | 'keras', 'model.json' | 'weights.bin']
  return `${slug}-${checkpoint}-${format}${part === 'model.json' ? '.json' : '.weights.bin'}`
}

/** Where `serve` streams a run file from. */
export function runFileUrl(runId: string, file: RunFile, checkpoint: Checkpoint): string {
  return `${RUN_FILES_PATH}/${encodeURIComponent(runId)}/${file}?checkpoint=${checkpoint}`
}
