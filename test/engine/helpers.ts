/** Shared helpers for the custom-layer tests (not a test file itself). */
import * as tf from '@tensorflow/tfjs'
import { selectBackend } from '../../src-main/engine/backends'
import { mulberry32 } from '../../src-shared/random'

export type TestBackend = 'cpu' | 'wasm'

/** Switches tfjs to exactly this backend (wasm: one thread, as in the app's workers). */
export async function useBackend(backend: TestBackend): Promise<void> {
  const report = await selectBackend(tf, { allowNative: false, only: [backend] })
  if (report.selected !== backend || tf.getBackend() !== backend) throw new Error(`could not select ${backend}`)
}

/** Seeded uniform values in [-scale, scale). */
export function randomValues(n: number, seed: number, scale = 1): Float32Array {
  const rand = mulberry32(seed)
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) out[i] = (2 * rand() - 1) * scale
  return out
}

/** Saves a model into memory and loads it back (exercises the serialization registry). */
export async function saveAndLoad(model: tf.LayersModel): Promise<{ loaded: tf.LayersModel; artifacts: tf.io.ModelArtifacts }> {
  let artifacts: tf.io.ModelArtifacts | undefined
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    })
  )
  if (!artifacts) throw new Error('nothing was saved')
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts))
  return { loaded, artifacts }
}

/** Largest |a − b| / max(|b|, floor) over two equally long arrays. */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-2): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`)
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor))
  return worst
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`)
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]))
  return worst
}
