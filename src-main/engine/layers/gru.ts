/**
 * Keras-compatible GRU for tfjs (`reset_after=True`, the Keras 2/3 default).
 *
 * tfjs 4.22's `tf.layers.gru` throws for `resetAfter: true` and only implements the original
 * "reset before" variant. This cell mirrors tfjs-layers' own `GRUCell` (stateSize, build, call with
 * `[x, h]` → `[h, h]`, one dropout mask per input kind, getConfig) but uses Keras's layout:
 *
 *   kernel           [input_dim, 3·units]   gates in order z (update), r (reset), h (candidate)
 *   recurrent_kernel [units, 3·units]       same order
 *   bias             [2, 3·units]           row 0 input bias, row 1 recurrent bias (reset_after)
 *                    [3·units]              (resetAfter: false, the tfjs / Keras-1 variant)
 *
 *   x_z, x_r, x_h = x·W + b_in        r_z, r_r, r_h = h·U + b_rec
 *   z = σ(x_z + r_z)    r = σ(x_r + r_r)    hh = tanh(x_h + r ⊙ r_h)
 *   h' = z ⊙ h + (1 − z) ⊙ hh
 *
 * Parameters: 3·units·(input_dim + units) + 6·units (GRU(2) on 1 feature → 30).
 *
 * Recurrent activation default: tfjs-layers defaults GRU *and LSTM* to 'hardSigmoid' (Keras 1
 * heritage); Keras 2.x+ uses 'sigmoid'. This GRU defaults to 'sigmoid'. Code that builds
 * `tf.layers.lstm` for Keras parity must pass `recurrentActivation: 'sigmoid'` itself.
 * The recurrent kernel defaults to `FastOrthogonal` (same distribution as Keras's 'orthogonal',
 * computed in plain JS); the string 'orthogonal' also maps to it.
 *
 * Regularizers and constraints are not supported (tfjs's resolvers for them are internal).
 * Registered for serialization as 'KerasGRUCell' and 'KerasGRU' (not 'GRUCell' / 'GRU', which would
 * replace tfjs's stock classes process-wide; see `registerClass`).
 */
import * as tf from '@tensorflow/tfjs'
import type { LayerVariable, Shape, Tensor } from '@tensorflow/tfjs'
import { FastOrthogonal } from './orthogonal'
import {
  clampRate,
  resolveActivation,
  resolveInitializer,
  serializeActivation,
  serializeInitializer,
  type Activation,
  type ActivationIdentifier,
  type ConfigDict,
  type Initializer,
  type InitializerIdentifier
} from './resolve'

type Kwargs = Parameters<tf.layers.Layer['call']>[1]
/** The tfjs `LayerArgs` (name, inputShape, batchInputShape, batchSize, dtype, trainable, ...). */
type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.RNNCell>[0]>

export interface GRUCellArgs extends LayerArgs {
  /** Dimensionality of the output / state. */
  units: number
  /** Candidate activation. Default 'tanh'; null → linear. */
  activation?: ActivationIdentifier
  /** Gate activation. Default 'sigmoid' (Keras 2.x+), unlike tfjs's 'hardSigmoid'. */
  recurrentActivation?: ActivationIdentifier
  useBias?: boolean
  /** Default 'glorotUniform' (Keras). */
  kernelInitializer?: InitializerIdentifier
  /** Default FastOrthogonal (Keras 'orthogonal'). */
  recurrentInitializer?: InitializerIdentifier
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier
  /** Fraction of the inputs to drop (training only). */
  dropout?: number
  /** Fraction of the recurrent state to drop (training only). */
  recurrentDropout?: number
  /** Keras `reset_after`. Default true. */
  resetAfter?: boolean
  /** Accepted for config compatibility and ignored (always the fused implementation). */
  implementation?: number
}

/** Options of the `GRU` layer: those of `tf.layers.gru` (without regularizers/constraints). */
export interface GRULayerArgs extends GRUCellArgs {
  returnSequences?: boolean
  returnState?: boolean
  goBackwards?: boolean
  stateful?: boolean
  unroll?: boolean
  inputDim?: number
  inputLength?: number
}

/** Dropout mask: `ones` scaled-dropped in training, plain ones otherwise; kept across steps. */
function dropoutMask(like: Tensor, rate: number, training: boolean): Tensor {
  return tf.tidy(() => {
    const ones = tf.onesLike(like)
    return training ? tf.dropout(ones, rate) : ones
  })
}

/** One step of a Keras GRU; use inside `tf.layers.rnn({ cell })` or via the `GRU` layer. */
export class GRUCell extends tf.layers.RNNCell {
  /** @nocollapse */
  static className = 'KerasGRUCell'

  readonly units: number
  readonly stateSize: number
  readonly activation: Activation
  readonly recurrentActivation: Activation
  readonly useBias: boolean
  readonly kernelInitializer: Initializer
  readonly recurrentInitializer: Initializer
  readonly biasInitializer: Initializer
  readonly dropout: number
  readonly recurrentDropout: number
  readonly resetAfter: boolean
  readonly implementation: number | undefined

  kernel: LayerVariable | null = null
  recurrentKernel: LayerVariable | null = null
  bias: LayerVariable | null = null

  constructor(args: GRUCellArgs) {
    super(args)
    if (!(Number.isInteger(args.units) && args.units > 0)) {
      throw new Error(`GRUCell: units must be a positive integer, got ${args.units}`)
    }
    this.units = args.units
    this.stateSize = this.units
    this.activation = resolveActivation(args.activation, 'tanh')
    this.recurrentActivation = resolveActivation(args.recurrentActivation, 'sigmoid')
    this.useBias = args.useBias ?? true
    const fastOrtho = (): Initializer => new FastOrthogonal()
    this.kernelInitializer = resolveInitializer(args.kernelInitializer, 'glorotUniform', fastOrtho)
    this.recurrentInitializer = resolveInitializer(args.recurrentInitializer, 'orthogonal', fastOrtho)
    this.biasInitializer = resolveInitializer(args.biasInitializer, 'zeros', fastOrtho)
    this.dropout = clampRate(args.dropout)
    this.recurrentDropout = clampRate(args.recurrentDropout)
    this.resetAfter = args.resetAfter ?? true
    this.implementation = args.implementation
    this.dropoutMask = null as unknown as Tensor // tfjs types the mask as non-null; it is null between calls
    this.recurrentDropoutMask = null as unknown as Tensor
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape
    const inputDim = shape[shape.length - 1]
    if (inputDim == null) throw new Error('GRUCell: the last input dimension must be known')
    const u = this.units
    this.kernel = this.addWeight('kernel', [inputDim, 3 * u], undefined, this.kernelInitializer, undefined, true)
    this.recurrentKernel = this.addWeight('recurrent_kernel', [u, 3 * u], undefined, this.recurrentInitializer, undefined, true)
    this.bias = this.useBias
      ? this.addWeight('bias', this.resetAfter ? [2, 3 * u] : [3 * u], undefined, this.biasInitializer, undefined, true)
      : null
    this.built = true
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor[] {
    return tf.tidy(() => {
      if (!Array.isArray(inputs) || inputs.length !== 2) {
        throw new Error(`GRUCell expects 2 input tensors [x, h], got ${Array.isArray(inputs) ? inputs.length : 1}`)
      }
      if (!this.kernel || !this.recurrentKernel) throw new Error('GRUCell: call() before build()')
      const training = kwargs?.['training'] === true
      let x = inputs[0]
      let hPrev = inputs[1]
      const useDropout = this.dropout > 0 && this.dropout < 1
      const useRecDropout = this.recurrentDropout > 0 && this.recurrentDropout < 1
      // Masks are made once per sequence (the GRU layer disposes them at the start of each call).
      if (useDropout && this.dropoutMask == null) this.dropoutMask = tf.keep(dropoutMask(x, this.dropout, training))
      if (useRecDropout && this.recurrentDropoutMask == null) {
        this.recurrentDropoutMask = tf.keep(dropoutMask(hPrev, this.recurrentDropout, training))
      }
      if (useDropout) x = tf.mul(x, this.dropoutMask as Tensor)
      if (useRecDropout) hPrev = tf.mul(hPrev, this.recurrentDropoutMask as Tensor)

      const u = this.units
      let inputBias: Tensor | null = null
      let recurrentBias: Tensor | null = null
      if (this.bias) {
        const b = this.bias.read()
        if (this.resetAfter) {
          inputBias = tf.reshape(tf.slice(b, [0, 0], [1, 3 * u]), [3 * u])
          recurrentBias = tf.reshape(tf.slice(b, [1, 0], [1, 3 * u]), [3 * u])
        } else {
          inputBias = b
        }
      }
      let matrixX = tf.matMul(x, this.kernel.read())
      if (inputBias) matrixX = tf.add(matrixX, inputBias)
      const [xZ, xR, xH] = tf.split(matrixX, 3, -1)
      const recurrentKernel = this.recurrentKernel.read()

      let z: Tensor
      let r: Tensor
      let hh: Tensor
      if (this.resetAfter) {
        let inner = tf.matMul(hPrev, recurrentKernel)
        if (recurrentBias) inner = tf.add(inner, recurrentBias)
        const [rZ, rR, rH] = tf.split(inner, 3, -1)
        z = this.recurrentActivation.apply(tf.add(xZ, rZ))
        r = this.recurrentActivation.apply(tf.add(xR, rR))
        hh = this.activation.apply(tf.add(xH, tf.mul(r, rH)))
      } else {
        const [uZR, uH] = tf.split(recurrentKernel, [2 * u, u], 1)
        const [rZ, rR] = tf.split(tf.matMul(hPrev, uZR), 2, -1)
        z = this.recurrentActivation.apply(tf.add(xZ, rZ))
        r = this.recurrentActivation.apply(tf.add(xR, rR))
        hh = this.activation.apply(tf.add(xH, tf.matMul(tf.mul(r, hPrev), uH)))
      }
      // Keras: h = z * h_tm1 + (1 - z) * hh
      const h = tf.add(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), hh))
      return [h, h]
    })
  }

  override getConfig(): ConfigDict {
    const config: ConfigDict = {
      units: this.units,
      activation: serializeActivation(this.activation),
      recurrentActivation: serializeActivation(this.recurrentActivation),
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      recurrentInitializer: serializeInitializer(this.recurrentInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      resetAfter: this.resetAfter
    }
    if (this.implementation !== undefined) config.implementation = this.implementation
    return { ...super.getConfig(), ...config }
  }
}

/**
 * Keras-compatible GRU layer: `tf.layers.rnn` around a `GRUCell`, taking `tf.layers.gru`'s options.
 * Works inside `tf.layers.bidirectional` and survives `model.save` / `tf.loadLayersModel` once
 * registered (module import or `registerCustomLayers()`).
 */
export class GRU extends tf.layers.RNN {
  /** @nocollapse */
  static override className = 'KerasGRU'
  declare readonly cell: GRUCell

  constructor(args: GRULayerArgs) {
    super({ ...args, cell: new GRUCell(args) })
  }

  get units(): number {
    return this.cell.units
  }

  get resetAfter(): boolean {
    return this.cell.resetAfter
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    return tf.tidy(() => {
      // Fresh dropout masks for every sequence batch, as tfjs's own GRU does.
      if (this.cell.dropoutMask != null) {
        tf.dispose(this.cell.dropoutMask)
        this.cell.dropoutMask = null as unknown as Tensor
      }
      if (this.cell.recurrentDropoutMask != null) {
        tf.dispose(this.cell.recurrentDropoutMask)
        this.cell.recurrentDropoutMask = null as unknown as Tensor
      }
      const mask = kwargs?.['mask'] ?? null
      const training = kwargs?.['training'] ?? null
      const initialState = kwargs?.['initialState'] ?? null
      return super.call(inputs, { mask, training, initialState })
    })
  }

  /** @nocollapse */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: ConfigDict
  ): T {
    return new cls(config)
  }
}

tf.serialization.registerClass(GRUCell)
tf.serialization.registerClass(GRU)

/** Factory mirroring `tf.layers.gru(args)`. */
export function gru(args: GRULayerArgs): GRU {
  return new GRU(args)
}
