import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { FastOrthogonal, orthogonalMatrix, registerCustomLayers } from '../../src-main/engine/layers'
import { gaussian, mulberry32 } from '../../src-shared/random'
import { maxAbsDiff, saveAndLoad, useBackend } from './helpers'

registerCustomLayers()

/** Largest |(MᵀM − I)| for a row-major rows×cols matrix whose columns should be orthonormal. */
function columnOrthoError(m: ArrayLike<number>, rows: number, cols: number): number {
  let worst = 0
  for (let a = 0; a < cols; a++) {
    for (let b = a; b < cols; b++) {
      let s = 0
      for (let i = 0; i < rows; i++) s += m[i * cols + a] * m[i * cols + b]
      worst = Math.max(worst, Math.abs(s - (a === b ? 1 : 0)))
    }
  }
  return worst
}

function transpose(m: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols)
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = m[i * cols + j]
  return t
}

/** Orthonormality of the smaller side: columns when rows ≥ cols, rows otherwise. */
function orthoError(m: ArrayLike<number>, rows: number, cols: number): number {
  return rows >= cols ? columnOrthoError(m, rows, cols) : columnOrthoError(transpose(m, rows, cols), cols, rows)
}

const SHAPES: [number, number][] = [
  [1, 1],
  [6, 6],
  [12, 4],
  [4, 12],
  [32, 128]
]

describe('orthogonalMatrix (Float64 Householder QR)', () => {
  it.each(SHAPES)('%i×%i has orthonormal columns/rows (QᵀQ = I within 1e-12)', (rows, cols) => {
    expect(orthoError(orthogonalMatrix(rows, cols, 7), rows, cols)).toBeLessThan(1e-12)
  })

  it.each(SHAPES)('%i×%i is the sign-corrected Q of the seeded normal matrix (R = QᵀA upper triangular, diag > 0)', (rows, cols) => {
    const seed = 123
    const m = Math.max(rows, cols)
    const n = Math.min(rows, cols)
    const rand = mulberry32(seed)
    const a = new Float64Array(m * n) // row-major m×n, drawn in the same order as the initializer
    for (let i = 0; i < m * n; i++) a[i] = gaussian(rand)
    const out = orthogonalMatrix(rows, cols, seed)
    const q = rows >= cols ? out : transpose(out, rows, cols) // m×n
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let r = 0
        for (let k = 0; k < m; k++) r += q[k * n + i] * a[k * n + j]
        if (i > j) expect(Math.abs(r)).toBeLessThan(1e-10)
        if (i === j) expect(r).toBeGreaterThan(0)
      }
    }
  })

  it('is deterministic per seed, differs across seeds, and scales by gain', () => {
    const a = orthogonalMatrix(9, 5, 1)
    expect(orthogonalMatrix(9, 5, 1)).toEqual(a)
    expect(maxAbsDiff(orthogonalMatrix(9, 5, 2), a)).toBeGreaterThan(0.1)
    const doubled = orthogonalMatrix(9, 5, 1, 2)
    expect(
      maxAbsDiff(
        doubled,
        a.map((v) => 2 * v)
      )
    ).toBeLessThan(1e-15)
  })
})

describe('FastOrthogonal initializer', () => {
  it('returns float32 tensors with QᵀQ ≈ I within 1e-5, flattening leading dims like Keras', async () => {
    await useBackend('cpu')
    const init = new FastOrthogonal({ seed: 5 })
    const square = init.apply([16, 16])
    expect(square.dtype).toBe('float32')
    expect(orthoError(square.dataSync(), 16, 16)).toBeLessThan(1e-5)
    const wide = init.apply([8, 32])
    expect(orthoError(wide.dataSync(), 8, 32)).toBeLessThan(1e-5)
    const conv = init.apply([3, 4, 6]) // rows = 3·4 = 12, cols = 6
    expect(conv.shape).toEqual([3, 4, 6])
    expect(maxAbsDiff(conv.dataSync(), orthogonalMatrix(12, 6, 5))).toBeLessThan(1e-7)
    tf.dispose([square, wide, conv])
  })

  it('same seed → same matrix; different or absent seed → different', () => {
    const a = new FastOrthogonal({ seed: 3 }).apply([10, 10]).dataSync()
    expect(new FastOrthogonal({ seed: 3 }).apply([10, 10]).dataSync()).toEqual(a)
    expect(maxAbsDiff(new FastOrthogonal({ seed: 4 }).apply([10, 10]).dataSync(), a)).toBeGreaterThan(0.1)
    const unseeded = new FastOrthogonal()
    expect(maxAbsDiff(unseeded.apply([10, 10]).dataSync(), unseeded.apply([10, 10]).dataSync())).toBeGreaterThan(0.1)
  })

  it('rejects 1-D shapes and non-float dtypes', () => {
    expect(() => new FastOrthogonal().apply([5])).toThrow(/2D/)
    expect(() => new FastOrthogonal().apply([5, 5], 'int32')).toThrow(/dtype/)
  })

  it('builds tf.layers.lstm({ units: 128 }) quickly on cpu with an orthogonal recurrent kernel', async () => {
    await useBackend('cpu')
    const start = performance.now()
    const model = tf.sequential({
      layers: [tf.layers.lstm({ units: 128, inputShape: [20, 1], recurrentInitializer: new FastOrthogonal({ seed: 1 }) })]
    })
    const ms = performance.now() - start
    // Timing is reported, not asserted (bench/orthogonal-init.ts compares it with the stock initializer).
    console.log(`LSTM(128) build with FastOrthogonal on cpu: ${ms.toFixed(0)} ms`)
    const recurrent = model.layers[0].getWeights()[1]
    expect(recurrent.shape).toEqual([128, 512])
    expect(orthoError(recurrent.dataSync(), 128, 512)).toBeLessThan(1e-5)
    model.dispose()
  })

  it('serializes as FastOrthogonal { gain, seed } and survives save/load inside a stock LSTM', async () => {
    await useBackend('cpu')
    const init = new FastOrthogonal({ seed: 8, gain: 1.5 })
    expect(init.getClassName()).toBe('FastOrthogonal')
    expect(init.getConfig()).toEqual({ gain: 1.5, seed: 8 })
    expect(new FastOrthogonal().getConfig()).toEqual({ gain: 1 })
    const model = tf.sequential({
      layers: [tf.layers.lstm({ units: 4, inputShape: [3, 2], recurrentInitializer: init }), tf.layers.dense({ units: 1 })]
    })
    const x = tf.ones([2, 3, 2])
    const before = (model.predict(x) as tf.Tensor).dataSync()
    const { loaded, artifacts } = await saveAndLoad(model)
    expect(JSON.stringify(artifacts.modelTopology)).toContain('{"class_name":"FastOrthogonal","config":{"gain":1.5,"seed":8}}')
    expect(maxAbsDiff((loaded.predict(x) as tf.Tensor).dataSync(), before)).toBe(0)
  })
})
