/**
 * The fused layers' tfjs-ops path: used on backends where the wasm kernels do not apply
 * (tfjs-node / tfjs-node-gpu, webgl), for activations the kernels do not implement, and for
 * dropout in training. The input projection of all time steps is one batched matMul; the
 * recurrence is a per-step loop of tfjs ops (autodiff gives the gradients).
 */
import * as tf from '@tensorflow/tfjs'
import type { Tensor } from '@tensorflow/tfjs'
import type { Activation } from '../layers/resolve'
import type { CellKind } from './kernel-ops'

export interface TfjsPathArgs {
  kind: CellKind
  units: number
  activation: Activation
  recurrentActivation: Activation
  returnSequences: boolean
  /** Dropout masks (training only): input [B, D], recurrent [B, U]. */
  inputMask: Tensor | null
  recurrentMask: Tensor | null
}

/** Runs the recurrence with tfjs ops; returns [output, h_T, c_T?]. */
export function tfjsRecurrence(
  a: TfjsPathArgs,
  x: Tensor,
  kernel: Tensor,
  recurrentKernel: Tensor,
  bias: Tensor | null,
  h0: Tensor | null,
  c0: Tensor | null
): Tensor[] {
  const [B, T, D] = x.shape as number[]
  const U = a.units
  const G = kernel.shape[1] as number
  let xIn = x
  if (a.inputMask) xIn = tf.mul(x, tf.expandDims(a.inputMask, 1))
  let bIn: Tensor | null = bias
  let bRec: Tensor | null = null
  if (bias && a.kind === 'gru') {
    bIn = tf.reshape(tf.slice(bias, [0, 0], [1, G]), [G])
    bRec = tf.reshape(tf.slice(bias, [1, 0], [1, G]), [G])
  }
  let xw = tf.matMul(tf.reshape(xIn, [B * T, D]), kernel)
  if (bIn) xw = tf.add(xw, bIn)
  const steps = tf.unstack(tf.reshape(xw, [B, T, G]), 1)
  let h = h0 ?? tf.zeros([B, U])
  let c = c0 ?? (a.kind === 'lstm' ? tf.zeros([B, U]) : null)
  const outputs: Tensor[] = []
  for (let t = 0; t < T; t++) {
    const hIn = a.recurrentMask ? tf.mul(h, a.recurrentMask) : h
    if (a.kind === 'lstm') {
      const z = tf.add(steps[t], tf.matMul(hIn, recurrentKernel))
      const [zi, zf, zc, zo] = tf.split(z, 4, -1)
      const i = a.recurrentActivation.apply(zi)
      const f = a.recurrentActivation.apply(zf)
      const o = a.recurrentActivation.apply(zo)
      c = tf.add(tf.mul(f, c as Tensor), tf.mul(i, a.activation.apply(zc)))
      h = tf.mul(o, a.activation.apply(c))
    } else if (a.kind === 'gru') {
      let inner = tf.matMul(hIn, recurrentKernel)
      if (bRec) inner = tf.add(inner, bRec)
      const [xz, xr, xh] = tf.split(steps[t], 3, -1)
      const [rz, rr, rh] = tf.split(inner, 3, -1)
      const z = a.recurrentActivation.apply(tf.add(xz, rz))
      const r = a.recurrentActivation.apply(tf.add(xr, rr))
      const hh = a.activation.apply(tf.add(xh, tf.mul(r, rh)))
      h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh))
    } else {
      h = a.activation.apply(tf.add(steps[t], tf.matMul(hIn, recurrentKernel)))
    }
    if (a.returnSequences) outputs.push(h)
  }
  const out = a.returnSequences ? tf.stack(outputs, 1) : h
  return c ? [out, h, c] : [out, h]
}
