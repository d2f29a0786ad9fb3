/**
 * A whole training step in native code: for a model that is a stack of fused recurrent layers and a
 * linear Dense head, trained with tfjs's Adam on mean squared error or (sparse) softmax cross-entropy,
 * forward, loss, backward and the Adam update run as a few calls of the native kernels
 * (./train-step-plan.ts) instead of hundreds of tfjs ops. The same mathematics as the tfjs step
 * (`tf.variableGrads` + `optimizer.applyGradients`), within float rounding.
 *
 * tfjs stays the owner of the weights: they, the Adam moments and the optimizer's step count are read
 * from tfjs at the first step after a `sync()` and written back by `sync()` (the fit loop calls it at
 * the end of every epoch and when it stops), so validation, checkpoints, resumes and early stopping
 * see exactly what the tfjs step would leave. Anything else (another optimizer or loss, dropout,
 * bidirectional or stock layers, the WebAssembly kernels, tfjs-node) returns null: tfjs trains.
 */
import * as tf from '@tensorflow/tfjs'
import type { Tensor } from '@tensorflow/tfjs'
import type { KernelBackend, Op } from './kernel-ops'
import { loadKernels } from './kernels'
import { FusedRNNBase } from './layers'
import { createNativeBackend } from './native-kernels'
import {
  paramPtrs,
  planStep,
  type InputMode,
  type ModelSpec,
  type NativeLossKind,
  type ParamPtrs,
  type RnnSpec,
  type StepPlan
} from './train-step-plan'

const LOSS_KIND = Symbol.for('rnn-lab.nativeLossKind')

/** Marks a loss function as one the native step computes (the same mean as the tfjs function). */
export function nativeLoss<F extends object>(fn: F, kind: NativeLossKind): F {
  return Object.assign(fn, { [LOSS_KIND]: kind })
}

function lossKindOf(fn: unknown): NativeLossKind | null {
  return (fn as { [LOSS_KIND]?: NativeLossKind } | null)?.[LOSS_KIND] ?? null
}

export interface NativeStepTask {
  model: tf.LayersModel
  optimizer: tf.Optimizer
  loss: unknown
  /** The variables the step trains, in the optimizer's order (the fit loop's list). */
  varList: tf.Variable[]
  clipNorm: number | null
}

/** A training batch as plain arrays (what the batch builders have before making tensors). */
export interface BatchArrays {
  B: number
  T: number
  /** Inputs [B,T,D] (null when `ids` is given). */
  x: Float32Array | null
  /** A one-hot input as its class ids [B,T] (the first layer's input width is the class count). */
  ids: Int32Array | null
  /** Targets, row-major: class ids (cross-entropy) or values (MSE). */
  y: ArrayLike<number>
}

export interface NativeTrainStep {
  /** Trains on one batch; returns its loss (tfjs's mean). */
  step(batch: BatchArrays): number
  /** The same from the batch's tensors. */
  stepTensors(x: Tensor, y: Tensor): number
  /** Writes the weights, Adam moments and step count back to tfjs. */
  sync(): void
}

/** Adam's fields (tfjs-core AdamOptimizer; stable through tfjs 4.x). */
interface AdamState {
  learningRate: number
  beta1: number
  beta2: number
  epsilon: number
  accBeta1: tf.Variable
  accBeta2: tf.Variable
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[]
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[]
  iterations_?: number
}

type DenseLike = tf.layers.Layer & { activation?: { getClassName(): string }; useBias?: boolean }

/** The model as the plan sees it, or null when the native step cannot train it. */
function modelSpec(task: NativeStepTask, loss: NativeLossKind): ModelSpec | null {
  const layers = task.model.layers.filter((l) => l.getClassName() !== 'InputLayer')
  const head = layers[layers.length - 1] as DenseLike
  const rnns = layers.slice(0, -1)
  if (rnns.length === 0 || head?.getClassName() !== 'Dense' || !head.useBias) return null
  if (head.activation?.getClassName() !== 'linear' || !head.trainable) return null
  const index = (v: tf.LayerVariable | null | undefined) => (v ? task.varList.indexOf(v.read() as tf.Variable) : -1)
  const specs: RnnSpec[] = []
  for (const [i, l] of rnns.entries()) {
    if (!(l instanceof FusedRNNBase) || !l.trainable || !l.useBias) return null
    if (l.fusedImplementation === 'tfjs' || !l.kernelActivations() || l.goBackwards || l.returnState) return null
    if (l.dropout > 0 || l.recurrentDropout > 0) return null
    if (i < rnns.length - 1 && !l.returnSequences) return null
    const D = (l.kernel?.shape[0] as number) ?? 0
    const vars: [number, number, number] = [index(l.kernel), index(l.recurrentKernel), index(l.bias)]
    if (vars.includes(-1) || (i > 0 && D !== specs[i - 1].U)) return null
    specs.push({ kind: l.cellKind, D, U: l.units, vars })
  }
  const last = rnns[rnns.length - 1] as FusedRNNBase
  const [wd, bd] = head.trainableWeights
  const headVars: [number, number] = [index(wd), index(bd)]
  if (headVars.includes(-1) || wd.shape[0] !== last.units) return null
  const used = new Set([...specs.flatMap((s) => s.vars), ...headVars])
  if (used.size !== task.varList.length) return null
  return {
    layers: specs,
    head: { O: wd.shape[1] as number, vars: headVars },
    seq: last.returnSequences,
    loss,
    sizes: task.varList.map((v) => v.size)
  }
}

/** tfjs's own Adam (its `instanceof` is duck-typed: any optimizer passes). */
function isAdam(o: tf.Optimizer): boolean {
  const a = o as unknown as Partial<AdamState>
  return (
    (o.constructor as { className?: string }).className === 'Adam' && a.accBeta1 !== undefined && Array.isArray(a.accumulatedFirstMoment)
  )
}

function isSparse(x: ArrayLike<number>): boolean {
  let zeros = 0
  for (let i = 0; i < x.length; i++) if (x[i] === 0) zeros++
  return zeros >= 0.7 * x.length
}

/** The native step for this task, or null (tfjs trains): see the header for what qualifies. */
export function nativeTrainStep(task: NativeStepTask): NativeTrainStep | null {
  const loss = lossKindOf(task.loss)
  const backendName = tf.getBackend()
  if (!loss || (backendName !== 'wasm' && backendName !== 'cpu')) return null
  if (!isAdam(task.optimizer) || loadKernels()?.name !== 'native') return null
  const spec = modelSpec(task, loss)
  const k = spec && createNativeBackend()
  if (!spec || !k) return null
  return new NativeStep(k, spec, task)
}

class NativeStep implements NativeTrainStep {
  private readonly p: ParamPtrs
  private readonly plans = new Map<string, StepPlan>()
  private readonly adam: AdamState
  private sparse: boolean | null = null
  /** Whether the native memory holds the training state; `synced`: tfjs's tensors as sync() left them. */
  private loaded = false
  private synced: object[] = []
  private steps = 0
  private accBeta1 = 0
  private accBeta2 = 0

  constructor(
    private readonly k: KernelBackend,
    private readonly spec: ModelSpec,
    private readonly task: NativeStepTask
  ) {
    this.p = paramPtrs(spec.sizes)
    this.adam = task.optimizer as unknown as AdamState
  }

  stepTensors(x: Tensor, y: Tensor): number {
    const [B, T] = x.shape as number[]
    return this.step({ B, T, x: x.dataSync() as Float32Array, ids: null, y: y.dataSync() })
  }

  step(b: BatchArrays): number {
    const { B, T } = b
    const D = this.spec.layers[0].D
    if (b.x) this.sparse ??= D > 1 && isSparse(b.x)
    const mode: InputMode = b.ids ? 'ids' : this.sparse ? 'sparse' : 'dense'
    const plan = this.plan(B, T, mode)
    if (!this.loaded && !this.unchangedSinceSync()) this.load()
    this.loaded = true
    const xs = b.ids ?? b.x
    if (!xs || xs.length !== B * T * (b.ids ? 1 : D) || b.y.length !== plan.yLength)
      throw new Error(`native training step: a batch of ${xs?.length} inputs and ${b.y.length} targets does not fit the model`)
    const f = this.k.f32()
    f.set(xs, plan.x >> 2)
    f.set(b.y, plan.y >> 2)
    this.k.run([plan.prep])
    this.k.run(plan.halves)
    if (plan.combine.length) this.k.run([plan.combine])
    this.k.run([this.adamOps(this.gradScale())])
    const g = this.k.f32()
    return (g[plan.loss[0] >> 2] + g[plan.loss[1] >> 2]) / plan.lossCount
  }

  private plan(B: number, T: number, mode: InputMode): StepPlan {
    const key = `${B}x${T}x${mode}`
    let plan = this.plans.get(key)
    if (!plan) {
      plan = planStep(this.spec, this.p, B, T, mode)
      this.k.ensure(plan.top)
      this.plans.set(key, plan)
    }
    return plan
  }

  /** Clipping to the global norm (the fit loop's clipByGlobalNorm): the factor on every gradient. */
  private gradScale(): number {
    const clip = this.task.clipNorm
    if (!clip) return 1
    const f = this.k.f32()
    let sum = 0
    this.spec.sizes.forEach((n, i) => {
      const o = this.p.g[i][0] >> 2
      for (let j = 0; j < n; j++) sum += f[o + j] * f[o + j]
    })
    return clip / Math.max(Math.sqrt(sum), clip)
  }

  /** One Adam update of every variable (tfjs's order of operations; accBeta kept in float32 as tfjs). */
  private adamOps(gscale: number): Op[] {
    const a = this.adam
    const oneMinus1 = Math.fround(1 - this.accBeta1)
    const oneMinus2 = Math.fround(1 - this.accBeta2)
    const ops = this.spec.sizes.map((n, i): Op => [
      'adam',
      this.p.w[i],
      this.p.g[i][0],
      this.p.m[i],
      this.p.v[i],
      n,
      a.learningRate,
      a.beta1,
      1 - a.beta1,
      a.beta2,
      1 - a.beta2,
      oneMinus1,
      oneMinus2,
      a.epsilon,
      gscale
    ])
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(a.beta1))
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(a.beta2))
    this.steps++
    return ops
  }

  /** Weights, moments and accBeta from tfjs into the native memory. */
  private load(): void {
    const f = this.k.f32()
    const a = this.adam
    this.task.varList.forEach((v, i) => {
      f.set(v.dataSync(), this.p.w[i] >> 2)
      const m = a.accumulatedFirstMoment[i]?.variable
      const s = a.accumulatedSecondMoment[i]?.variable
      if (m) f.set(m.dataSync(), this.p.m[i] >> 2)
      else f.fill(0, this.p.m[i] >> 2, (this.p.m[i] >> 2) + v.size)
      if (s) f.set(s.dataSync(), this.p.v[i] >> 2)
      else f.fill(0, this.p.v[i] >> 2, (this.p.v[i] >> 2) + v.size)
    })
    this.accBeta1 = a.accBeta1.dataSync()[0]
    this.accBeta2 = a.accBeta2.dataSync()[0]
    this.steps = 0
  }

  /** The data of every tensor the state lives in (tfjs replaces it on assign / setWeights / dispose). */
  private stateData(): object[] {
    const a = this.adam
    const moments = [...a.accumulatedFirstMoment, ...a.accumulatedSecondMoment].map((m) => m?.variable)
    return [...this.task.varList, ...moments, a.accBeta1, a.accBeta2].map((t) => (t && !t.isDisposed ? t.dataId : {}))
  }

  /** Whether tfjs's state is still what the last sync() wrote (then the native memory holds it already). */
  private unchangedSinceSync(): boolean {
    const now = this.stateData()
    return now.length === this.synced.length && now.every((d, i) => d === this.synced[i])
  }

  sync(): void {
    if (!this.loaded) return
    const f = this.k.f32()
    const a = this.adam
    const read = (p: number, v: tf.Variable) => tf.tensor(f.slice(p >> 2, (p >> 2) + v.size), v.shape, 'float32')
    tf.tidy(() => {
      this.task.varList.forEach((v, i) => {
        v.assign(read(this.p.w[i], v))
        const m = a.accumulatedFirstMoment[i]
        const s = a.accumulatedSecondMoment[i]
        if (m) m.variable.assign(read(this.p.m[i], v))
        else a.accumulatedFirstMoment[i] = { originalName: `${v.name}/m`, variable: tf.keep(read(this.p.m[i], v).variable(false)) }
        if (s) s.variable.assign(read(this.p.v[i], v))
        else a.accumulatedSecondMoment[i] = { originalName: `${v.name}/v`, variable: tf.keep(read(this.p.v[i], v).variable(false)) }
      })
      a.accBeta1.assign(tf.scalar(this.accBeta1))
      a.accBeta2.assign(tf.scalar(this.accBeta2))
    })
    a.iterations_ = (a.iterations_ ?? 0) + this.steps
    this.steps = 0
    this.loaded = false
    this.synced = this.stateData()
  }
}
