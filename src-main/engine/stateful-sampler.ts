/**
 * Stateful generation for language models: each recurrent layer's state is carried from one token to
 * the next, so every new token costs one step (not a re-run of the whole window). Built from a trained
 * model of fused layers (one-hot or embedding input, one or more unidirectional recurrent layers, a
 * Dense head); other models (bidirectional) sample with the windowed method.
 */
import type * as TF from '@tensorflow/tfjs'
import type { Tfjs } from './backends'
import { FusedGRU, FusedLSTM, FusedRNNBase, FusedSimpleRNN, loadKernels } from './fused'
import { nativeStepper, type StepCell } from './fused/native-stepper'
import { Embedding } from './layers'

interface Step {
  cell: FusedRNNBase
  states: TF.Tensor[]
}

export interface StatefulSampler {
  /** Feeds one token and returns the logits of the next one. */
  step(token: number): Float32Array
  dispose(): void
  /** 'native': one native kernel call per token; 'tfjs': tfjs ops and the fused layers per token. */
  readonly path: 'native' | 'tfjs'
}

/** A sampler for `model`, or null when its layers do not allow stateful stepping. */
export function statefulSampler(tf: Tfjs, model: TF.LayersModel, vocabSize: number): StatefulSampler | null {
  const layers = model.layers
  let embedding: TF.Tensor | null = null
  let i = 0
  if (layers[0] instanceof Embedding) {
    embedding = layers[0].getWeights()[0].clone()
    i = 1
  }
  const steps: Step[] = []
  let inDim = embedding ? embedding.shape[1]! : vocabSize
  for (; i < layers.length - 1; i++) {
    const l = layers[i]
    if (!(l instanceof FusedRNNBase)) {
      embedding?.dispose()
      for (const s of steps) tf.dispose([...s.states, ...s.cell.getWeights()])
      return null
    }
    // The trained layer's own options (activations…), one step at a time, returning its state.
    const { inputShape: _s, batchInputShape: _b, name: _n, ...own } = l.args
    const args = { ...own, returnState: true, returnSequences: false, dropout: 0, recurrentDropout: 0 }
    const cell = l instanceof FusedLSTM ? new FusedLSTM(args) : l instanceof FusedGRU ? new FusedGRU(args) : new FusedSimpleRNN(args)
    cell.build([1, 1, inDim])
    cell.setWeights(l.getWeights())
    const zeros = () => tf.zeros([1, l.units])
    steps.push({ cell, states: l instanceof FusedLSTM ? [zeros(), zeros()] : [zeros()] })
    inDim = l.units
  }
  const head = layers[layers.length - 1]
  if (head.getClassName() !== 'Dense' || steps.length === 0) {
    embedding?.dispose()
    for (const s of steps) tf.dispose([...s.states, ...s.cell.getWeights()])
    return null
  }
  const [denseKernel, denseBias] = head.getWeights()
  const native = nativeStepperFor(tf, steps, embedding, denseKernel, denseBias, vocabSize)
  if (native) {
    return {
      path: 'native',
      step: (token) => native.step(token),
      dispose() {
        embedding?.dispose()
        for (const s of steps) tf.dispose([...s.states, ...s.cell.getWeights()])
      }
    }
  }
  return {
    path: 'tfjs',
    step(token) {
      const out = tf.tidy(() => {
        let x: TF.Tensor = embedding
          ? tf.gather(embedding, tf.tensor1d([token], 'int32')).reshape([1, 1, -1])
          : tf.oneHot(tf.tensor2d([token], [1, 1], 'int32'), vocabSize).toFloat()
        const next: TF.Tensor[][] = []
        for (const s of steps) {
          const [, ...states] = s.cell.apply(x, { initialState: s.states }) as TF.Tensor[]
          next.push(states.map((t) => tf.keep(t)))
          x = states[0].reshape([1, 1, -1])
        }
        steps.forEach((s, k) => {
          tf.dispose(s.states)
          s.states = next[k]
        })
        return tf.add(tf.matMul(x.reshape([1, -1]), denseKernel), denseBias)
      })
      const logits = out.dataSync() as Float32Array
      out.dispose()
      return logits
    },
    dispose() {
      embedding?.dispose()
      // The cells were never applied symbolically, so Layer.dispose() refuses: free their weights.
      for (const s of steps) tf.dispose([...s.states, ...s.cell.getWeights()])
    }
  }
}

/** One native call per token (./fused/native-stepper.ts) when the kernels are native and implement the cells. */
function nativeStepperFor(
  tf: Tfjs,
  steps: Step[],
  embedding: TF.Tensor | null,
  denseKernel: TF.Tensor,
  denseBias: TF.Tensor,
  vocabSize: number
): ReturnType<typeof nativeStepper> {
  const backend = tf.getBackend()
  if ((backend !== 'wasm' && backend !== 'cpu') || loadKernels()?.name !== 'native') return null
  if (!steps.every((s) => s.cell.kernelActivations() && !s.cell.goBackwards && s.cell.fusedImplementation !== 'tfjs')) return null
  const f32 = (t: TF.Tensor) => Float32Array.from(t.dataSync() as Float32Array)
  const cells: StepCell[] = steps.map(({ cell }) => {
    const [W, R, bias] = cell.getWeights()
    const G = W.shape[1]!
    return {
      kind: cell.cellKind,
      units: cell.units,
      W: f32(W),
      R: f32(R),
      bias: bias ? f32(bias) : new Float32Array(cell.cellKind === 'gru' ? 2 * G : G)
    }
  })
  return nativeStepper({
    vocabSize,
    embedding: embedding ? f32(embedding) : null,
    cells,
    denseKernel: f32(denseKernel),
    denseBias: f32(denseBias)
  })
}
