/**
 * Timing of building an LSTM(128) with tfjs's stock orthogonal initializer vs FastOrthogonal.
 * Not a test (the stock build takes tens of seconds on cpu): run `npx tsx test/engine/orthogonal-bench.ts [cpu|wasm]`.
 */
import * as tf from '@tensorflow/tfjs'
import { FastOrthogonal } from '../../src-main/engine/layers'
import { useBackend, type TestBackend } from './helpers'

async function buildMs(recurrentInitializer?: FastOrthogonal): Promise<number> {
  const start = performance.now()
  const model = tf.sequential({
    layers: [tf.layers.lstm({ units: 128, inputShape: [20, 1], ...(recurrentInitializer ? { recurrentInitializer } : {}) })]
  })
  const ms = performance.now() - start
  model.dispose()
  return ms
}

async function main(): Promise<void> {
  const backends = (process.argv.slice(2).length ? process.argv.slice(2) : ['cpu']) as TestBackend[]
  for (const backend of backends) {
    await useBackend(backend)
    await buildMs(new FastOrthogonal({ seed: 0 })) // warm-up (kernels, backend init)
    const fast = await buildMs(new FastOrthogonal({ seed: 1 }))
    const stock = await buildMs()
    console.log(
      `${backend}: LSTM(128) build with FastOrthogonal ${fast.toFixed(0)} ms, with tf.initializers.orthogonal ${stock.toFixed(0)} ms`
    )
  }
}

void main()
