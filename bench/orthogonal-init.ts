/**
 * Building an LSTM(128) with tfjs's stock orthogonal initializer vs FastOrthogonal, per backend
 * (`npm run bench -- --only orthogonal`). The stock build takes tens of seconds on cpu, which is
 * why this is a bench case and not a test (test/engine/orthogonal.test.ts checks the values).
 */
import * as tf from '@tensorflow/tfjs'
import { selectBackend } from '../src-main/engine/backends'
import { FastOrthogonal } from '../src-main/engine/layers'

export type OrthogonalBackend = 'cpu' | 'wasm'

function buildMs(recurrentInitializer?: FastOrthogonal): number {
  const start = performance.now()
  const model = tf.sequential({
    layers: [tf.layers.lstm({ units: 128, inputShape: [20, 1], ...(recurrentInitializer ? { recurrentInitializer } : {}) })]
  })
  const ms = performance.now() - start
  model.dispose()
  return ms
}

export async function benchOrthogonalInit(
  backends: readonly OrthogonalBackend[] = ['cpu']
): Promise<{ backend: OrthogonalBackend; fastOrthogonalMs: number; tfjsOrthogonalMs: number }[]> {
  const out = []
  for (const backend of backends) {
    const report = await selectBackend(tf, { allowNative: false, only: [backend] })
    if (report.selected !== backend) throw new Error(`could not select ${backend}`)
    buildMs(new FastOrthogonal({ seed: 0 })) // warm-up (kernels, backend init)
    const fastOrthogonalMs = Math.round(buildMs(new FastOrthogonal({ seed: 1 })))
    const tfjsOrthogonalMs = Math.round(buildMs())
    out.push({ backend, fastOrthogonalMs, tfjsOrthogonalMs })
  }
  return out
}
