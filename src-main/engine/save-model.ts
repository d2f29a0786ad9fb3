/**
 * Saves a tfjs model in the TF.js layers format (model.json + weights.bin) to a folder, without the
 * native `file://` handler (tfjs-node may be absent). `tf.loadLayersModel` of the folder's model.json
 * loads it back; the tfjs converter turns it into a Keras model.
 */
import type * as TF from '@tensorflow/tfjs'
import { writeDirAtomically } from './atomic-dir'
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

/** Writes atomically (a temp folder, fsynced, renamed into place); returns the bytes written. */
export async function saveModelToDir(tf: Tfjs, model: TF.LayersModel, dir: string): Promise<number> {
  let files: Record<string, Uint8Array | string> = {}
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
      files = { [WEIGHTS_BIN]: weights, [MODEL_JSON]: JSON.stringify(modelJson) }
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    })
  )
  return writeDirAtomically(dir, files)
}
