/**
 * Fused recurrent layers: `FusedLSTM`, `FusedGRU` (Keras reset_after=True) and `FusedSimpleRNN`.
 *
 * Drop-in replacements for `tf.layers.lstm`, our `GRU` (../layers/gru.ts) and `tf.layers.simpleRNN`
 * with the same weights (names kernel / recurrent_kernel / bias, Keras shapes and gate order:
 * LSTM i,f,c,o; GRU z,r,h with bias [2, 3·units]), so parameter counts match and `getWeights` /
 * `setWeights` copy between a stock layer and a fused one.
 *
 * `call` runs the whole sequence as ONE `tf.customGrad` op: forward = one wasm call (input
 * projection of all steps as one matrix product + all recurrent steps, ./kernels/rnn.ts), backward =
 * one wasm call (BPTT + weight-gradient products). Paths (`fusedImplementation`):
 *  - 'wasm': the kernels; used by 'auto' on the wasm and cpu backends when the activations are the
 *    Keras defaults (activation 'tanh'; recurrentActivation 'sigmoid' for LSTM/GRU) and no dropout
 *    is active (training with dropout/recurrentDropout > 0);
 *  - 'tfjs': tfjs ops with a batched input projection (./tfjs-path.ts): any activation, dropout, and
 *    backends where reading tensors back is costly (tfjs-node, tfjs-node-gpu, webgl). 'auto' also
 *    falls back to it when the .wasm cannot be loaded.
 * Not supported: `stateful`, masking (`mask`), `unroll` (ignored). `returnState` works, but no
 * gradient flows through the returned states (only through the main output).
 */
import * as tf from '@tensorflow/tfjs'
import type { LayerVariable, Shape, Tensor } from '@tensorflow/tfjs'
import { registerCustomLayers } from '../layers'
import { FastOrthogonal } from '../layers/orthogonal'
import {
  InitializerBase,
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
} from '../layers/resolve'
import { tfjsRecurrence } from './tfjs-path'
import { fusedBackward, fusedForward } from './drivers'
import { gatesOf, type CellKind } from './kernel-ops'
import { kernelLoadError, loadKernels } from './kernels'

registerCustomLayers()

type Kwargs = Parameters<tf.layers.Layer['call']>[1]
type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>

export type FusedImplementation = 'auto' | 'wasm' | 'tfjs'

export interface FusedRNNArgs extends LayerArgs {
  units: number
  /** Cell / candidate activation. Default 'tanh' (the kernels implement only tanh). */
  activation?: ActivationIdentifier
  /** Gate activation (LSTM, GRU). Default 'sigmoid' (Keras; tfjs's stock default is hardSigmoid). */
  recurrentActivation?: ActivationIdentifier
  useBias?: boolean
  kernelInitializer?: InitializerIdentifier
  recurrentInitializer?: InitializerIdentifier
  biasInitializer?: InitializerIdentifier
  dropout?: number
  recurrentDropout?: number
  returnSequences?: boolean
  returnState?: boolean
  goBackwards?: boolean
  /** Must be false (stateful RNNs are not supported). */
  stateful?: boolean
  /** Accepted for config compatibility; ignored. */
  unroll?: boolean
  /** Accepted for config compatibility; ignored. */
  implementation?: number
  /** LSTM: forget-gate bias starts at 1 (Keras unit_forget_bias). Default true. */
  unitForgetBias?: boolean
  /** GRU: must be true (Keras reset_after=True layout). */
  resetAfter?: boolean
  /** 'auto' (default), 'wasm' (kernels, throws when unavailable) or 'tfjs' (tfjs ops). */
  fusedImplementation?: FusedImplementation
  /**
   * False skips computing dL/dx on the kernel path (zeros are returned): only for a first layer fed
   * straight from data, where nothing upstream is trained. Default true.
   */
  inputGradient?: boolean
  inputDim?: number
  inputLength?: number
}

/** Keras unit_forget_bias: bias initializer's values with the forget-gate block set to ones. */
class UnitForgetBias extends (InitializerBase as unknown as new () => Initializer) {
  static className = 'FusedUnitForgetBias'
  constructor(
    private readonly inner: Initializer,
    private readonly units: number
  ) {
    super()
  }
  override apply(shape: Shape, dtype?: tf.DataType): Tensor {
    void shape
    return tf.tidy(() => {
      const u = this.units
      const base = this.inner.apply([4 * u], dtype)
      return tf.concat([tf.slice(base, [0], [u]), tf.ones([u]), tf.slice(base, [2 * u], [2 * u])])
    })
  }
  override getConfig(): ConfigDict {
    return {}
  }
}

const LAYER_ARG_KEYS = ['name', 'trainable', 'inputShape', 'batchInputShape', 'batchSize', 'dtype', 'inputDType', 'weights'] as const

function f32(t: Tensor): Float32Array {
  const d = t.dataSync()
  return d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>)
}

/** Whether a gradient tape is recording (so backward may run): tfjs engine state, stable in 4.x. */
function tapeRecording(): boolean {
  const state = (tf.engine() as unknown as { state?: { gradientDepth?: number } }).state
  return state?.gradientDepth === undefined ? true : state.gradientDepth > 0
}

function lastStep(H: Float32Array, B: number, T: number, U: number): Float32Array {
  const out = new Float32Array(B * U)
  for (let b = 0; b < B; b++) out.set(H.subarray((b * T + T - 1) * U, (b * T + T) * U), b * U)
  return out
}

export abstract class FusedRNNBase extends tf.layers.Layer {
  abstract readonly cellKind: CellKind
  readonly units: number
  readonly activation: Activation
  readonly recurrentActivation: Activation
  readonly useBias: boolean
  readonly kernelInitializer: Initializer
  readonly recurrentInitializer: Initializer
  readonly biasInitializer: Initializer
  readonly dropout: number
  readonly recurrentDropout: number
  readonly returnSequences: boolean
  readonly returnState: boolean
  readonly goBackwards: boolean
  readonly fusedImplementation: FusedImplementation
  readonly inputGradient: boolean
  kernel: LayerVariable | null = null
  recurrentKernel: LayerVariable | null = null
  bias: LayerVariable | null = null
  /** The path the last call took ('wasm': the fused kernels, native or WebAssembly, see kernels.ts; or 'tfjs'). */
  lastPath: 'wasm' | 'tfjs' | null = null
  private readonly initialArgs: FusedRNNArgs

  constructor(args: FusedRNNArgs) {
    const { inputDim, inputLength } = args
    // Only the base Layer's own options (configs of stock layers carry regularizers, unroll, ...).
    const base: Record<string, unknown> = {}
    const all = args as unknown as Record<string, unknown>
    for (const key of LAYER_ARG_KEYS) if (all[key] !== undefined) base[key] = all[key]
    if (base.inputShape == null && base.batchInputShape == null && inputDim != null)
      base.inputShape = [inputLength ?? null, inputDim] as number[]
    super(base)
    if (!(Number.isInteger(args.units) && args.units > 0)) throw new Error(`units must be a positive integer, got ${args.units}`)
    if (args.stateful) throw new Error('Fused recurrent layers do not support stateful: true (use the stock layers)')
    this.initialArgs = args
    this.units = args.units
    this.activation = resolveActivation(args.activation, 'tanh')
    this.recurrentActivation = resolveActivation(args.recurrentActivation, 'sigmoid')
    this.useBias = args.useBias ?? true
    const fastOrtho = (): Initializer => new FastOrthogonal()
    this.kernelInitializer = resolveInitializer(args.kernelInitializer, 'glorotUniform', fastOrtho)
    this.recurrentInitializer = resolveInitializer(args.recurrentInitializer, 'orthogonal', fastOrtho)
    this.biasInitializer = resolveInitializer(args.biasInitializer, 'zeros', fastOrtho)
    this.dropout = clampRate(args.dropout)
    this.recurrentDropout = clampRate(args.recurrentDropout)
    this.returnSequences = args.returnSequences ?? false
    this.returnState = args.returnState ?? false
    this.goBackwards = args.goBackwards ?? false
    this.fusedImplementation = args.fusedImplementation ?? 'auto'
    this.inputGradient = args.inputGradient ?? true
    this.supportsMasking = false
  }

  protected biasShape(): number[] {
    return [gatesOf(this.cellKind) * this.units]
  }

  protected biasInit(): Initializer {
    return this.biasInitializer
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape
    const inputDim = shape[shape.length - 1]
    if (inputDim == null) throw new Error(`${this.getClassName()}: the last input dimension must be known`)
    const G = gatesOf(this.cellKind) * this.units
    this.kernel = this.addWeight('kernel', [inputDim, G], undefined, this.kernelInitializer, undefined, true)
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, G], undefined, this.recurrentInitializer, undefined, true)
    this.bias = this.useBias ? this.addWeight('bias', this.biasShape(), undefined, this.biasInit(), undefined, true) : null
    this.built = true
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape
    const out: Shape = this.returnSequences ? [s[0], s[1], this.units] : [s[0], this.units]
    if (!this.returnState) return out
    const nStates = this.cellKind === 'lstm' ? 2 : 1
    return [out, ...Array.from({ length: nStates }, () => [s[0], this.units] as Shape)]
  }

  /** Whether the kernels implement this layer's activations. */
  kernelActivations(): boolean {
    const act = serializeActivation(this.activation)
    const rec = serializeActivation(this.recurrentActivation)
    return act === 'tanh' && (this.cellKind === 'rnn' || rec === 'sigmoid')
  }

  /** The path a call takes: `dropoutActive` when training with dropout. */
  pathFor(dropoutActive: boolean): 'wasm' | 'tfjs' {
    if (this.fusedImplementation === 'tfjs') return 'tfjs'
    if (this.fusedImplementation === 'wasm') {
      if (!loadKernels()) throw new Error(`fused kernels unavailable: ${kernelLoadError()}`)
      if (!this.kernelActivations()) throw new Error(`${this.getClassName()}: the wasm kernels implement only tanh / sigmoid activations`)
      return dropoutActive ? 'tfjs' : 'wasm'
    }
    const backend = tf.getBackend()
    if (backend !== 'wasm' && backend !== 'cpu') return 'tfjs'
    if (dropoutActive || !this.kernelActivations() || !loadKernels()) return 'tfjs'
    return 'wasm'
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    return tf.tidy(() => {
      if (!this.kernel || !this.recurrentKernel) throw new Error(`${this.getClassName()}: call() before build()`)
      if (kwargs?.['mask'] != null) throw new Error(`${this.getClassName()} does not support masking`)
      const list = Array.isArray(inputs) ? inputs : [inputs]
      let x = list[0]
      const initial = (kwargs?.['initialState'] as Tensor[] | undefined) ?? (list.length > 1 ? list.slice(1) : null)
      const h0 = initial?.[0] ?? null
      const c0 = this.cellKind === 'lstm' ? (initial?.[1] ?? null) : null
      const training = kwargs?.['training'] === true
      const dropoutActive = training && (this.dropout > 0 || this.recurrentDropout > 0)
      if (this.goBackwards) x = tf.reverse(x, 1)
      const kernel = this.kernel.read()
      const rk = this.recurrentKernel.read()
      const bias = this.bias ? this.bias.read() : null
      const path = this.pathFor(dropoutActive)
      this.lastPath = path
      let outs: Tensor[]
      if (path === 'tfjs') {
        const [B, , D] = x.shape
        const mask = (rate: number, n: number) => (dropoutActive && rate > 0 ? tf.dropout(tf.ones([B, n]), rate) : null)
        outs = tfjsRecurrence(
          {
            kind: this.cellKind,
            units: this.units,
            activation: this.activation,
            recurrentActivation: this.recurrentActivation,
            returnSequences: this.returnSequences,
            inputMask: mask(this.dropout, D),
            recurrentMask: mask(this.recurrentDropout, this.units)
          },
          x,
          kernel,
          rk,
          bias,
          h0,
          c0
        )
      } else {
        outs = this.kernelCall(x, kernel, rk, bias, h0, c0)
      }
      return this.returnState ? outs : outs[0]
    })
  }

  private kernelCall(x: Tensor, kernel: Tensor, rk: Tensor, bias: Tensor | null, h0: Tensor | null, c0: Tensor | null): Tensor[] {
    const k = loadKernels()!
    const kind = this.cellKind
    const [B, T, D] = x.shape as number[]
    const U = this.units
    const seq = this.returnSequences
    const needDx = this.inputGradient
    const biasT = bias ?? tf.zeros(this.biasShape())
    const inputs: Tensor[] = [x, kernel, rk, biasT]
    if (h0) inputs.push(h0)
    if (c0) inputs.push(c0)
    const keep = tapeRecording()
    let hLast: Float32Array | null = null
    let cLast: Float32Array | null = null
    const op = tf.customGrad((...args: unknown[]) => {
      const ts = args.slice(0, inputs.length) as Tensor[]
      const fw = fusedForward(k, {
        kind,
        B,
        T,
        D,
        U,
        x: f32(ts[0]),
        W: f32(ts[1]),
        R: f32(ts[2]),
        bias: f32(ts[3]),
        h0: h0 ? f32(ts[4]) : null,
        c0: c0 ? f32(ts[5]) : null,
        keep
      })
      hLast = lastStep(fw.H, B, T, U)
      cLast = fw.cLast
      const value = seq ? tf.tensor3d(fw.H, [B, T, U]) : tf.tensor2d(hLast, [B, U])
      const gradFunc = (dy: Tensor): Tensor[] => {
        if (!fw.saved) throw new Error('fused RNN: backward without saved forward state')
        const r = fusedBackward(k, fw.saved, f32(dy), seq, needDx)
        const grads = [
          tf.tensor3d(r.dx, [B, T, D]),
          tf.tensor2d(r.dW, ts[1].shape as [number, number]),
          tf.tensor2d(r.dR, ts[2].shape as [number, number]),
          tf.tensor(r.db, ts[3].shape)
        ]
        if (h0) grads.push(tf.tensor2d(r.dh0, [B, U]))
        if (c0) grads.push(tf.tensor2d(r.dc0 as Float32Array, [B, U]))
        return grads
      }
      return { value, gradFunc }
    })
    const out = (op as unknown as (...t: Tensor[]) => Tensor)(...inputs)
    if (!this.returnState) return [out]
    const states: Tensor[] = [seq ? tf.tensor2d(hLast!, [B, U]) : out]
    if (kind === 'lstm') states.push(tf.tensor2d(cLast!, [B, U]))
    return [out, ...states]
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
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: false,
      fusedImplementation: this.fusedImplementation,
      inputGradient: this.inputGradient
    }
    return { ...super.getConfig(), ...config, ...this.extraConfig() }
  }

  protected extraConfig(): ConfigDict {
    return {}
  }

  /** The constructor arguments this layer was made with (before defaults). */
  get args(): FusedRNNArgs {
    return this.initialArgs
  }
}

export class FusedLSTM extends FusedRNNBase {
  /** @nocollapse */
  static className = 'FusedLSTM'
  readonly cellKind = 'lstm' as const
  readonly unitForgetBias: boolean
  constructor(args: FusedRNNArgs) {
    super(args)
    this.unitForgetBias = args.unitForgetBias ?? true
  }
  protected override biasInit(): Initializer {
    return this.unitForgetBias ? new UnitForgetBias(this.biasInitializer, this.units) : this.biasInitializer
  }
  protected override extraConfig(): ConfigDict {
    return { unitForgetBias: this.unitForgetBias }
  }
}

export class FusedGRU extends FusedRNNBase {
  /** @nocollapse */
  static className = 'FusedGRU'
  readonly cellKind = 'gru' as const
  readonly resetAfter = true
  constructor(args: FusedRNNArgs) {
    super(args)
    if (args.resetAfter === false) throw new Error('FusedGRU implements only reset_after=True (use the GRU layer for resetAfter: false)')
  }
  protected override biasShape(): number[] {
    return [2, 3 * this.units]
  }
  protected override extraConfig(): ConfigDict {
    return { resetAfter: true }
  }
}

export class FusedSimpleRNN extends FusedRNNBase {
  /** @nocollapse */
  static className = 'FusedSimpleRNN'
  readonly cellKind = 'rnn' as const
  protected override extraConfig(): ConfigDict {
    return {}
  }
}

tf.serialization.registerClass(FusedLSTM)
tf.serialization.registerClass(FusedGRU)
tf.serialization.registerClass(FusedSimpleRNN)

export const FUSED_CLASS_NAMES = [FusedLSTM.className, FusedGRU.className, FusedSimpleRNN.className] as const

/** Registers the fused classes (idempotent); import side effects do it too. */
export function registerFusedLayers(): readonly string[] {
  tf.serialization.registerClass(FusedLSTM)
  tf.serialization.registerClass(FusedGRU)
  tf.serialization.registerClass(FusedSimpleRNN)
  return FUSED_CLASS_NAMES
}

export const fusedLSTM = (args: FusedRNNArgs): FusedLSTM => new FusedLSTM(args)
export const fusedGRU = (args: FusedRNNArgs): FusedGRU => new FusedGRU(args)
export const fusedSimpleRNN = (args: FusedRNNArgs): FusedSimpleRNN => new FusedSimpleRNN(args)
