import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type * as TF from '@tensorflow/tfjs'
import type { Tfjs } from './backends'
import { registerCustomLayers } from './layers'
import { MODEL_JSON, WEIGHTS_BIN } from './save-model'

/** Loads a model that `saveModelToDir` wrote (our custom layers registered first). */
export async function loadModelFromDir(tf: Tfjs, dir: string): Promise<TF.LayersModel> {
  registerCustomLayers()
  const json = JSON.parse(readFileSync(join(dir, MODEL_JSON), 'utf8'))
  const weights = readFileSync(join(dir, WEIGHTS_BIN))
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength)
    })
  )
}
