import * as tf from '@tensorflow/tfjs'
import { GRU } from '../../src-main/engine/layers'
import { FusedGRU, FusedLSTM, FusedSimpleRNN, type FusedRNNArgs } from '../../src-main/engine/fused'

export type Kind = 'lstm' | 'gru' | 'rnn'

/** Stock reference layer (tfjs-layers LSTM / SimpleRNN with Keras sigmoid gates, our Keras GRU). */
export function stockLayer(
  kind: Kind,
  args: { units: number; returnSequences?: boolean; inputShape?: number[]; goBackwards?: boolean }
): tf.layers.Layer {
  if (kind === 'lstm') return tf.layers.lstm({ ...args, recurrentActivation: 'sigmoid' })
  if (kind === 'gru') return new GRU(args)
  return tf.layers.simpleRNN(args)
}

export function fusedLayer(kind: Kind, args: FusedRNNArgs): tf.layers.Layer {
  if (kind === 'lstm') return new FusedLSTM(args)
  if (kind === 'gru') return new FusedGRU(args)
  return new FusedSimpleRNN(args)
}

/** max |a − b| / max(|b|, tiny) over the whole tensor. */
export function relErr(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync()
  const y = b.dataSync()
  if (x.length !== y.length) return Infinity
  let diff = 0
  let scale = 1e-12
  for (let i = 0; i < x.length; i++) {
    diff = Math.max(diff, Math.abs(x[i] - y[i]))
    scale = Math.max(scale, Math.abs(y[i]))
  }
  return diff / scale
}

/** Gradients of sum(output · r) w.r.t. the input and every trainable weight. */
export function gradsOf(model: tf.LayersModel, x: tf.Tensor, r: tf.Tensor): { out: tf.Tensor; dx: tf.Tensor; dw: tf.Tensor[] } {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable)
  const out = tf.tidy(() => model.predict(x) as tf.Tensor)
  const f = (xx: tf.Tensor) => tf.sum(tf.mul(model.apply(xx) as tf.Tensor, r)) as tf.Scalar
  const [dx] = tf.grads((xx: tf.Tensor) => f(xx))([x])
  const { grads, value } = tf.variableGrads(() => f(x), vars)
  value.dispose()
  return { out, dx, dw: vars.map((v) => grads[v.name]) }
}
