/**
 * Resumable checkpoints: the model's weights, the best weights so far, the optimizer's state
 * (`optimizer.getWeights()`: iteration count and moments) and the fit loop's state (epoch, batch-order
 * RNG position, learning rate, plateau and early-stopping counters, best value, elapsed time), in one
 * folder (checkpoint.json + tensors.bin) written atomically. `loadCheckpoint` + `applyCheckpoint` put
 * it back into a freshly built model and optimizer, so the run continues as if never stopped.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type * as TF from '@tensorflow/tfjs'
import { writeDirAtomically } from './atomic-dir'
import type { Tfjs } from './backends'
import type { FitSnapshot, FitState } from './train-hooks'

export const CHECKPOINT_JSON = 'checkpoint.json'
export const CHECKPOINT_BIN = 'tensors.bin'
const FORMAT = 'rnn-lab-checkpoint-1'

type Group = 'weights' | 'best' | 'optimizer' | 'optimizer-internal'

/**
 * Optimizer variables that `getWeights` leaves out: Adam's running β powers. `setWeights` recomputes
 * them as β^(t+1), which differs from the running product in the last float32 bits; saving them keeps
 * a resumed run's losses identical to an uninterrupted one's.
 */
const INTERNAL = ['accBeta1', 'accBeta2'] as const

function internals(optimizer: TF.Optimizer): { name: string; tensor: TF.Variable }[] {
  const o = optimizer as unknown as Record<string, TF.Variable | undefined>
  return INTERNAL.filter((n) => typeof o[n]?.assign === 'function').map((name) => ({ name, tensor: o[name]! }))
}

interface TensorSpec {
  group: Group
  name: string
  shape: number[]
  dtype: 'float32' | 'int32'
  offset: number
  bytes: number
}

export interface Checkpoint {
  state: FitState
  weights: TF.Tensor[]
  bestWeights: TF.Tensor[] | null
  optimizer: { name: string; tensor: TF.Tensor }[]
  optimizerInternal: { name: string; tensor: TF.Tensor }[]
}

/** Saves a snapshot of the fit loop to `dir` atomically; returns the bytes written. */
export async function saveCheckpoint(dir: string, snap: FitSnapshot): Promise<number> {
  const named: { group: Group; name: string; tensor: TF.Tensor }[] = [
    ...snap.model.getWeights().map((tensor, i) => ({ group: 'weights' as const, name: String(i), tensor })),
    ...(snap.bestWeights ?? []).map((tensor, i) => ({ group: 'best' as const, name: String(i), tensor })),
    ...(await snap.optimizer.getWeights()).map((w) => ({ group: 'optimizer' as const, name: w.name, tensor: w.tensor })),
    ...internals(snap.optimizer).map((w) => ({ group: 'optimizer-internal' as const, ...w }))
  ]
  const specs: TensorSpec[] = []
  const chunks: Uint8Array[] = []
  let offset = 0
  for (const { group, name, tensor } of named) {
    const data = (await tensor.data()) as Float32Array | Int32Array
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice()
    specs.push({ group, name, shape: tensor.shape, dtype: tensor.dtype === 'int32' ? 'int32' : 'float32', offset, bytes: bytes.byteLength })
    chunks.push(bytes)
    offset += bytes.byteLength
  }
  const json = JSON.stringify({ format: FORMAT, state: snap.state, tensors: specs })
  return writeDirAtomically(dir, { [CHECKPOINT_BIN]: Buffer.concat(chunks), [CHECKPOINT_JSON]: json })
}

/** Reads a checkpoint folder into tensors (the caller applies, then disposes them). */
export function loadCheckpoint(tf: Tfjs, dir: string): Checkpoint {
  const json = JSON.parse(readFileSync(join(dir, CHECKPOINT_JSON), 'utf8')) as { format: string; state: FitState; tensors: TensorSpec[] }
  if (json.format !== FORMAT) throw new Error(`${dir} is not a checkpoint this version can read (${json.format})`)
  const bin = readFileSync(join(dir, CHECKPOINT_BIN))
  const tensor = (s: TensorSpec) => {
    const bytes = bin.buffer.slice(bin.byteOffset + s.offset, bin.byteOffset + s.offset + s.bytes)
    return tf.tensor(s.dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes), s.shape, s.dtype)
  }
  const group = (g: Group) => json.tensors.filter((s) => s.group === g)
  const best = group('best')
  return {
    state: json.state,
    weights: group('weights').map(tensor),
    bestWeights: best.length > 0 ? best.map(tensor) : null,
    optimizer: group('optimizer').map((s) => ({ name: s.name, tensor: tensor(s) })),
    optimizerInternal: group('optimizer-internal').map((s) => ({ name: s.name, tensor: tensor(s) }))
  }
}

/** Puts a checkpoint's weights and optimizer state into a fresh model and optimizer of the same config. */
export async function applyCheckpoint(checkpoint: Checkpoint, model: TF.LayersModel, optimizer: TF.Optimizer): Promise<void> {
  model.setWeights(checkpoint.weights)
  await optimizer.setWeights(checkpoint.optimizer)
  const saved = new Map(checkpoint.optimizerInternal.map((w) => [w.name, w.tensor]))
  for (const v of internals(optimizer)) if (saved.has(v.name)) v.tensor.assign(saved.get(v.name)!)
}

/** The fit state of a checkpoint folder (its epoch and history), without reading its tensors. */
export function readCheckpointState(dir: string): FitState {
  return (JSON.parse(readFileSync(join(dir, CHECKPOINT_JSON), 'utf8')) as { state: FitState }).state
}

/** Disposes the tensors a checkpoint still holds (the best weights are handed to the fit loop). */
export function disposeCheckpoint(tf: Tfjs, checkpoint: Checkpoint): void {
  tf.dispose([...checkpoint.weights, ...[...checkpoint.optimizer, ...checkpoint.optimizerInternal].map((w) => w.tensor)])
}
