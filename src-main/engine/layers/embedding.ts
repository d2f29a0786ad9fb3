/**
 * Embedding layer that trains on every tfjs backend, wasm included.
 *
 * tfjs's `tf.layers.embedding` looks rows up with `gather`, whose gradient uses the
 * `UnsortedSegmentSum` kernel; the wasm backend has no such kernel, so `fit` throws there. This layer
 * keeps `gather` for the forward pass but wraps it in `tf.customGrad` with a gradient that only needs
 * `oneHot` and `matMul`:
 *
 *   d(embeddings) = oneHot(indices, inputDim)ᵀ · dy        ([inputDim, N] · [N, outputDim])
 *
 * which equals the scatter-add that `gather`'s gradient computes. It costs N·inputDim memory per
 * batch (N = number of looked-up indices), fine for the vocabularies RNN Lab deals with.
 *
 * Options as `tf.layers.embedding`: inputDim, outputDim, embeddingsInitializer (default
 * 'randomUniform', like tfjs; Keras also uses uniform(-0.05, 0.05)), inputLength, maskZero, name,
 * inputShape... Regularizers and constraints are not supported. Registered for serialization as
 * 'TrainableEmbedding' (not 'Embedding', which would replace tfjs's stock class process-wide).
 */
import * as tf from '@tensorflow/tfjs'
import type { LayerVariable, Shape, Tensor } from '@tensorflow/tfjs'
import { resolveInitializer, serializeInitializer, type ConfigDict, type Initializer, type InitializerIdentifier } from './resolve'

type Kwargs = Parameters<tf.layers.Layer['call']>[1]
type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>

export interface EmbeddingLayerArgs extends LayerArgs {
  /** Vocabulary size: indices are in [0, inputDim). */
  inputDim: number
  /** Size of each embedding vector. */
  outputDim: number
  /** Default 'randomUniform' (uniform in [-0.05, 0.05]). */
  embeddingsInitializer?: InitializerIdentifier
  /** Length of input sequences when constant (lets Flatten/Dense follow). */
  inputLength?: number | number[]
  /** Treat index 0 as padding and produce a mask for downstream layers. Default false. */
  maskZero?: boolean
}

/**
 * `gather(embeddings, indices)` with a gradient w.r.t. `embeddings` that avoids UnsortedSegmentSum.
 * `indices` must be a 1-D int32 tensor; returns [indices.size, outputDim].
 */
export function gatherRowsTrainable(embeddings: Tensor, indices: Tensor): Tensor {
  const inputDim = embeddings.shape[0]
  const f = tf.customGrad((emb, save) => {
    // Keep the indices for the backward pass (customGrad's save() clones and keeps them).
    ;(save as tf.GradSaveFunc)([indices])
    return {
      value: tf.gather(emb as Tensor, indices),
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const dyT = Array.isArray(dy) ? dy[0] : dy
        const oneHot = tf.cast(tf.oneHot(saved[0], inputDim), dyT.dtype)
        return tf.matMul(oneHot, dyT, true, false)
      }
    }
  })
  return f(embeddings)
}

/** Embedding whose gradient works on wasm; see the module comment. */
export class Embedding extends tf.layers.Layer {
  /** @nocollapse */
  static className = 'TrainableEmbedding'

  readonly inputDim: number
  readonly outputDim: number
  readonly embeddingsInitializer: Initializer
  readonly maskZero: boolean
  readonly inputLength: number | number[] | undefined
  embeddings: LayerVariable | null = null

  constructor(args: EmbeddingLayerArgs) {
    super(args)
    if (args.batchInputShape == null && args.inputShape == null) {
      // As tfjs: without an explicit input shape the layer takes [batch, inputLength] (or [batch, null]).
      const batchSize = args.batchSize ?? null
      this.batchInputShape = args.inputLength == null ? [batchSize, null] : [batchSize, ...([] as number[]).concat(args.inputLength)]
    }
    for (const [key, value] of [
      ['inputDim', args.inputDim],
      ['outputDim', args.outputDim]
    ] as const) {
      if (!(Number.isInteger(value) && value > 0)) throw new Error(`Embedding: ${key} must be a positive integer, got ${value}`)
    }
    this.inputDim = args.inputDim
    this.outputDim = args.outputDim
    this.embeddingsInitializer = resolveInitializer(args.embeddingsInitializer, 'randomUniform')
    this.maskZero = args.maskZero ?? false
    this.supportsMasking = this.maskZero
    this.inputLength = args.inputLength ?? undefined
  }

  override build(_inputShape: Shape | Shape[]): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], this.dtype, this.embeddingsInitializer, undefined, true)
    this.built = true
  }

  // The input may have any rank, so skip Layer's input-shape compatibility warning (as tfjs does).
  protected override warnOnIncompatibleInputShape(_inputShape: Shape): void {}

  override computeMask(inputs: Tensor | Tensor[], _mask?: Tensor | Tensor[]): Tensor {
    return tf.tidy(() => {
      if (!this.maskZero) return null as unknown as Tensor // tfjs types the mask as non-null
      const x = Array.isArray(inputs) ? inputs[0] : inputs
      return tf.notEqual(x, tf.zerosLike(x))
    })
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape
    if (this.inputLength == null) return [...shape, this.outputDim]
    const lens: (number | null)[] = ([] as number[]).concat(this.inputLength)
    if (lens.length !== shape.length - 1) {
      throw new Error(`Embedding: inputLength is ${String(this.inputLength)}, but the input shape is [${shape.join(', ')}]`)
    }
    for (let k = 0; k < lens.length; k++) {
      const s1 = lens[k]
      const s2 = shape[k + 1]
      if (s1 != null && s2 != null && s1 !== s2) {
        throw new Error(`Embedding: inputLength is ${String(this.inputLength)}, but the input shape is [${shape.join(', ')}]`)
      }
      if (s1 == null) lens[k] = s2
    }
    return [shape[0], ...lens, this.outputDim]
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs)
      if (!this.embeddings) throw new Error('Embedding: call() before build()')
      let x = Array.isArray(inputs) ? inputs[0] : inputs
      if (x.dtype !== 'int32') x = tf.cast(x, 'int32')
      const rows = gatherRowsTrainable(this.embeddings.read(), tf.reshape(x, [x.size]))
      return tf.reshape(rows, [...x.shape, this.outputDim])
    })
  }

  override getConfig(): ConfigDict {
    const config: ConfigDict = {
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: serializeInitializer(this.embeddingsInitializer),
      maskZero: this.maskZero
    }
    if (this.inputLength !== undefined) config.inputLength = this.inputLength
    return { ...super.getConfig(), ...config }
  }
}

tf.serialization.registerClass(Embedding)

/** Factory mirroring `tf.layers.embedding(args)`. */
export function embedding(args: EmbeddingLayerArgs): Embedding {
  return new Embedding(args)
}
