/**
 * Fast, seeded orthogonal initializer.
 *
 * tfjs's `tf.initializers.orthogonal` runs its QR decomposition as hundreds of small eager tensor
 * ops; on the cpu backend an LSTM(128) recurrent kernel ([128, 512]) takes tens of seconds. This
 * initializer computes the same kind of matrix in plain JavaScript (Float64) and uploads it once:
 *
 *   1. flatten the shape like Keras: rows = prod(shape[:-1]), cols = shape[-1];
 *   2. draw a seeded standard normal matrix A of [max(rows, cols), min(rows, cols)]
 *      (mulberry32 + Box–Muller from `src-shared/random.ts`);
 *   3. Householder QR of A in Float64, Q reduced to [m, n];
 *   4. sign correction Q · diag(sign(diag(R))) (so the distribution is uniform, as Keras does);
 *   5. transpose when rows < cols, multiply by `gain`, reshape to `shape`.
 *
 * Same seed → same matrix (on every backend); no seed → a fresh random seed per call.
 *
 * Serialization: the class is registered as 'FastOrthogonal' (config `{ gain, seed }`), not as
 * 'Orthogonal'. `tf.serialization.registerClass` keys its global map by className, so reusing
 * 'Orthogonal' would silently replace tfjs's stock class for every model loaded in the process.
 * Saved models therefore need `registerCustomLayers()` before loading (which they need anyway for
 * the custom GRU / Embedding). The random stream differs from tfjs's Orthogonal: same distribution,
 * different numbers for the same seed.
 */
import * as tf from '@tensorflow/tfjs'
import type { DataType, Tensor } from '@tensorflow/tfjs'
import { gaussian, mulberry32 } from '../../../src-shared/random'
import { InitializerBase, type ConfigDict } from './resolve'

export interface FastOrthogonalArgs {
  /** Multiplicative factor applied to the orthogonal matrix. Default 1. */
  gain?: number
  /** Seed for the normal matrix. Omit for a fresh random matrix on every `apply`. */
  seed?: number
}

/**
 * Householder QR of a column-major m×n matrix (m ≥ n), in place. Returns the reduced Q (m×n,
 * column-major) with columns multiplied by sign(R[j][j]) (sign(0) taken as +1).
 */
function signCorrectedQ(a: Float64Array[], m: number, n: number): Float64Array[] {
  const vs: (Float64Array | null)[] = []
  const betas: number[] = []
  const diag: number[] = []
  for (let k = 0; k < n; k++) {
    const colK = a[k]
    let norm2 = 0
    for (let i = k; i < m; i++) norm2 += colK[i] * colK[i]
    const norm = Math.sqrt(norm2)
    const x0 = colK[k]
    const alpha = x0 >= 0 ? -norm : norm
    const v = new Float64Array(m - k)
    for (let i = k; i < m; i++) v[i - k] = colK[i]
    v[0] -= alpha
    let vNorm2 = 0
    for (let i = 0; i < v.length; i++) vNorm2 += v[i] * v[i]
    if (vNorm2 === 0) {
      // Column already reduced (norm 0): H = I.
      vs.push(null)
      betas.push(0)
      diag.push(x0)
      continue
    }
    const beta = 2 / vNorm2
    for (let j = k; j < n; j++) {
      const col = a[j]
      let s = 0
      for (let i = k; i < m; i++) s += v[i - k] * col[i]
      s *= beta
      for (let i = k; i < m; i++) col[i] -= s * v[i - k]
    }
    vs.push(v)
    betas.push(beta)
    diag.push(a[k][k])
  }
  // Q = H_0 H_1 ... H_{n-1} · I[:, :n], applied right to left.
  const q: Float64Array[] = []
  for (let j = 0; j < n; j++) {
    const col = new Float64Array(m)
    col[j] = 1
    q.push(col)
  }
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k]
    if (!v) continue
    const beta = betas[k]
    // Columns j < k of the partial product are still e_j and untouched by H_k.
    for (let j = k; j < n; j++) {
      const col = q[j]
      let s = 0
      for (let i = k; i < m; i++) s += v[i - k] * col[i]
      s *= beta
      for (let i = k; i < m; i++) col[i] -= s * v[i - k]
    }
  }
  for (let j = 0; j < n; j++) {
    if (diag[j] < 0) {
      const col = q[j]
      for (let i = 0; i < m; i++) col[i] = -col[i]
    }
  }
  return q
}

/**
 * A [rows, cols] row-major Float64 matrix with orthonormal columns (rows ≥ cols) or orthonormal rows
 * (rows < cols), times `gain`, drawn from `seed`. Exported for tests and for non-tfjs callers.
 */
export function orthogonalMatrix(rows: number, cols: number, seed: number, gain = 1): Float64Array {
  if (!(Number.isInteger(rows) && rows > 0 && Number.isInteger(cols) && cols > 0)) {
    throw new Error(`orthogonalMatrix: rows and cols must be positive integers, got ${rows}×${cols}`)
  }
  const m = Math.max(rows, cols)
  const n = Math.min(rows, cols)
  const rand = mulberry32(seed)
  // Column-major storage of the m×n normal matrix, drawn in row-major order.
  const a: Float64Array[] = []
  for (let j = 0; j < n; j++) a.push(new Float64Array(m))
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[j][i] = gaussian(rand)
  const q = signCorrectedQ(a, m, n)
  const out = new Float64Array(rows * cols)
  if (rows >= cols) {
    // out = Q (m×n = rows×cols)
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = gain * q[j][i]
  } else {
    // out = Qᵀ (n×m = rows×cols)
    for (let i = 0; i < rows; i++) {
      const col = q[i]
      for (let j = 0; j < cols; j++) out[i * cols + j] = gain * col[j]
    }
  }
  return out
}

/** Orthogonal initializer computed in plain JS; see the module comment. */
export class FastOrthogonal extends InitializerBase {
  /** @nocollapse */
  static className = 'FastOrthogonal'
  readonly gain: number
  readonly seed: number | undefined

  constructor(args: FastOrthogonalArgs = {}) {
    super()
    this.gain = args.gain ?? 1
    this.seed = args.seed ?? undefined
  }

  apply(shape: number[], dtype?: DataType): Tensor {
    if (shape.length < 2) throw new Error(`FastOrthogonal: shape must be at least 2D, got [${shape.join(', ')}]`)
    if (dtype !== undefined && dtype !== 'float32') throw new Error(`FastOrthogonal: unsupported dtype ${dtype}`)
    const rows = shape.slice(0, -1).reduce((p, d) => p * d, 1)
    const cols = shape[shape.length - 1]
    const seed = this.seed ?? Math.floor(Math.random() * 0x100000000)
    const values = orthogonalMatrix(rows, cols, seed, this.gain)
    return tf.tensor(Float32Array.from(values), shape, 'float32')
  }

  /** @nocollapse */
  static fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: ConfigDict): T {
    return new cls(config)
  }

  override getConfig(): ConfigDict {
    const config: ConfigDict = { gain: this.gain }
    if (this.seed !== undefined) config.seed = this.seed
    return config
  }
}

/** Convenience factory mirroring `tf.initializers.orthogonal(args)`. */
export function fastOrthogonal(args: FastOrthogonalArgs = {}): FastOrthogonal {
  return new FastOrthogonal(args)
}
