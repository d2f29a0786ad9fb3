/**
 * Saves a tfjs model in the TF.js layers format (model.json + weights.bin) to a folder, without the
 * native `file://` handler (tfjs-node may be absent). `tf.loadLayersModel` of the folder's model.json
 * loads it back; the tfjs converter turns it into a Keras model.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type * as TF from '@tensorflow/tfjs'
import type { Tfjs } from './backends'

export const MODEL_JSON = 'model.json'
export const WEIGHTS_BIN = 'weights.bin'

function concatWeights(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  if (!Array.isArray(data)) return new Uint8Array(data)
  const total = data.reduce((s, b) => s + b.byteLength, 0)
  const out = new Uint8Array(total)
  let o = 0
  for (const b of data) {
    out.set(new Uint8Array(b), o)
    o += b.byteLength
  }
  return out
}

/** Writes atomically (a temp folder renamed into place); returns the bytes written. */
export async function saveModelToDir(tf: Tfjs, model: TF.LayersModel, dir: string): Promise<number> {
  const tmp = `${dir}.tmp-${process.pid}`
  rmSync(tmp, { recursive: true, force: true })
  mkdirSync(tmp, { recursive: true })
  let bytes = 0
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = concatWeights((artifacts.weightData ?? new ArrayBuffer(0)) as ArrayBuffer | ArrayBuffer[])
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs} (RNN Lab)`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }]
      }
      const text = JSON.stringify(modelJson)
      writeFileSync(join(tmp, WEIGHTS_BIN), weights)
      writeFileSync(join(tmp, MODEL_JSON), text)
      bytes = weights.byteLength + Buffer.byteLength(text)
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    })
  )
  rmSync(dir, { recursive: true, force: true })
  renameSync(tmp, dir)
  return bytes
}
