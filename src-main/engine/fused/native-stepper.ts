/**
 * Stateful generation through the native kernels: every weight of the recurrent layers and the Dense
 * head stays in a native memory of its own, and one token is ONE native call — input row (one-hot:
 * a row of W; embedding: the embedding row through W), each layer's single step (T = 1) with its
 * state carried in ping-pong buffers, then the logits of the Dense head. No tfjs op per token.
 */
import { gatesOf, type CellKind, type Op } from './kernel-ops'
import { createNativeBackend } from './native-kernels'

export interface StepCell {
  kind: CellKind
  units: number
  /** Keras layout: kernel [in, G], recurrent kernel [U, G], bias [G] (GRU: [2·G]). */
  W: Float32Array
  R: Float32Array
  bias: Float32Array
}

export interface StepModel {
  vocabSize: number
  /** [vocab, dim] when the model embeds its input; null for one-hot input. */
  embedding: Float32Array | null
  cells: StepCell[]
  denseKernel: Float32Array
  denseBias: Float32Array
}

export interface NativeStepper {
  /** Feeds one token and returns the logits of the next one (a fresh array). */
  step(token: number): Float32Array
}

interface CellPtrs {
  cell: StepCell
  inDim: number
  W: number
  R: number
  b: number
  acts: number
  h: [number, number]
  c: [number, number]
  TC: number
  RH: number
  RZ: number
}

/** A stepper over the native kernels, or null when they are not available. */
export function nativeStepper(m: StepModel): NativeStepper | null {
  const k = createNativeBackend()
  if (!k) return null
  let top = 64
  const alloc = (floats: number) => {
    const p = top
    top += (floats * 4 + 15) & ~15
    return p
  }
  const inDim0 = m.embedding ? m.embedding.length / m.vocabSize : m.vocabSize
  const emb = m.embedding ? alloc(m.embedding.length) : 0
  const x0 = alloc(inDim0)
  let inDim = inDim0
  const cells: CellPtrs[] = m.cells.map((cell) => {
    const G = gatesOf(cell.kind) * cell.units
    const U = cell.units
    const p: CellPtrs = {
      cell,
      inDim,
      W: alloc(inDim * G),
      R: alloc(U * G),
      b: alloc(cell.bias.length),
      acts: alloc(G),
      h: [alloc(U), alloc(U)],
      c: [alloc(U), alloc(U)],
      TC: alloc(U),
      RH: alloc(U),
      RZ: alloc(G)
    }
    inDim = U
    return p
  })
  const V = m.denseBias.length
  const dW = alloc(m.denseKernel.length)
  const dB = alloc(V)
  const logits = alloc(V)
  k.ensure(top)
  const f = k.f32()
  if (m.embedding) f.set(m.embedding, emb >> 2)
  for (const p of cells) {
    f.set(p.cell.W, p.W >> 2)
    f.set(p.cell.R, p.R >> 2)
    f.set(p.cell.bias, p.b >> 2)
  }
  f.set(m.denseKernel, dW >> 2)
  f.set(m.denseBias, dB >> 2)
  let flip = 0
  return {
    step(token) {
      const ops: Op[] = []
      let x = x0
      if (m.embedding) ops.push(['fillRows', x0, emb + token * inDim0 * 4, 1, inDim0, inDim0])
      for (const p of cells) {
        const U = p.cell.units
        const G = gatesOf(p.cell.kind) * U
        const [h0, h1] = flip ? [p.h[1], p.h[0]] : p.h
        const [c0, c1] = flip ? [p.c[1], p.c[0]] : p.c
        ops.push(['fillRows', p.acts, p.b, 1, G, G])
        // one-hot first layer: add row `token` of W; otherwise x · W
        if (x === x0 && !m.embedding) ops.push(['colSumAcc', p.W + token * G * 4, p.acts, 1, G, G])
        else ops.push(['matmul', x, p.W, p.acts, 1, p.inDim, G, p.inDim, G, G, 1])
        if (p.cell.kind === 'lstm') ops.push(['lstmForwardSteps', 1, 1, U, p.R, h0, c0, p.acts, h1, c1, p.TC])
        else if (p.cell.kind === 'gru') ops.push(['gruForwardSteps', 1, 1, U, p.R, p.b + G * 4, h0, p.acts, h1, p.RH, p.RZ])
        else ops.push(['rnnForwardSteps', 1, 1, U, p.R, h0, p.acts, h1])
        x = h1
      }
      ops.push(['fillRows', logits, dB, 1, V, V], ['matmul', x, dW, logits, 1, inDim, V, inDim, V, V, 1])
      k.run([ops])
      flip ^= 1
      return k.f32().slice(logits >> 2, (logits >> 2) + V)
    }
  }
}
