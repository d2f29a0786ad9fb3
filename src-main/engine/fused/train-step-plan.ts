/**
 * The memory layout and kernel calls of one native training step (./native-train-step.ts): the
 * recurrent stack's forward, the Dense head and its loss, the head's and every layer's backward, in
 * two batch halves (the same split rule as the layers, ./drivers.ts), then the halves' gradient
 * partials added and the Adam update. All of it lives in one native memory: the weights, their
 * gradients and Adam moments from `PARAMS_BASE` on (kept between steps), the step's scratch above.
 */
import { bpttOps, forwardHalf, splitForWork, type BackwardPtrs, type ForwardPtrs, type LayerShape } from './drivers'
import { gatesOf, type CellKind, type Op } from './kernel-ops'

export type NativeLossKind = 'sparseSoftmaxCrossEntropy' | 'mse'

/** How the first layer's input arrives: dense values, mostly-zero values (one-hot), or class ids [B,T]. */
export type InputMode = 'dense' | 'sparse' | 'ids'

export interface RnnSpec {
  kind: CellKind
  D: number
  U: number
  /** Indices of kernel, recurrent_kernel and bias in the variable list. */
  vars: [number, number, number]
}

export interface ModelSpec {
  layers: RnnSpec[]
  /** The head's output width and its kernel / bias variable indices. */
  head: { O: number; vars: [number, number] }
  /** Whether the last layer returns every step (the head then runs on each step). */
  seq: boolean
  loss: NativeLossKind
  /** Element counts of the variables, in the optimizer's order. */
  sizes: number[]
}

/** Byte pointers of every variable's weights, Adam moments and gradient partials (one per half). */
export interface ParamPtrs {
  w: number[]
  m: number[]
  v: number[]
  g: [number, number][]
  end: number
}

export const PARAMS_BASE = 65536

class Bump {
  constructor(public top: number) {}
  alloc(floats: number): number {
    const p = this.top
    this.top += (Math.max(floats, 1) * 4 + 63) & ~63
    return p
  }
}

export function paramPtrs(sizes: number[]): ParamPtrs {
  const m = new Bump(PARAMS_BASE)
  const w = sizes.map((n) => m.alloc(n))
  const mo = sizes.map((n) => m.alloc(n))
  const v = sizes.map((n) => m.alloc(n))
  const g = sizes.map((n) => [m.alloc(n), m.alloc(n)] as [number, number])
  return { w, m: mo, v, g, end: m.top }
}

export interface StepPlan {
  B: number
  T: number
  /** Inputs [B,T,D] and targets (class ids as floats, or values [rows, O]). */
  x: number
  y: number
  yLength: number
  /** Per-half loss sums. */
  loss: [number, number]
  /** What the loss sum is divided by (tfjs's mean). */
  lossCount: number
  /** Weight transposes the backward reads (run before the halves). */
  prep: Op[]
  halves: Op[][]
  /** Half 1's gradient partials added onto half 0's (empty without a split). */
  combine: Op[]
  top: number
}

/** The layers' pointers (the drivers' forward and backward ones, over the same buffers) and HP: H_prev rows. */
type LayerPtrs = ForwardPtrs & BackwardPtrs & { HP: number }

function layerShape(s: RnnSpec, B: number, T: number): LayerShape {
  return { kind: s.kind, B, T, D: s.D, U: s.U }
}

/** Scratch of every layer; layer l reads layer l−1's H and writes its dH (the dx of layer l). */
function layerPtrs(spec: ModelSpec, p: ParamPtrs, m: Bump, B: number, T: number, sparse: boolean, x: number): LayerPtrs[] {
  const BT = B * T
  const maxU = Math.max(...spec.layers.map((l) => l.U))
  const zeros = m.alloc(B * maxU) // h0 = c0 = 0: zeroed by the prep (plans of other shapes share the scratch)
  const out: LayerPtrs[] = []
  spec.layers.forEach((l, i) => {
    const G = gatesOf(l.kind) * l.U
    const [vW, vR, vb] = l.vars
    const dG = m.alloc(BT * G)
    out.push({
      x: i === 0 ? x : out[i - 1].H,
      W: p.w[vW],
      R: p.w[vR],
      b: p.w[vb],
      h0: zeros,
      c0: zeros,
      acts: m.alloc(BT * G),
      H: m.alloc(BT * l.U),
      C: l.kind === 'lstm' ? m.alloc(BT * l.U) : 0,
      TC: l.kind === 'lstm' ? m.alloc(BT * l.U) : 0,
      RH: l.kind === 'gru' ? m.alloc(BT * l.U) : 0,
      RZ: l.kind === 'gru' ? m.alloc(B * G) : 0,
      RT: m.alloc(l.U * G),
      WT: i > 0 ? m.alloc(l.D * G) : 0,
      dH: 0, // set below
      dG,
      dGR: l.kind === 'gru' ? m.alloc(BT * G) : dG,
      dh: m.alloc(B * l.U),
      dc: m.alloc(B * l.U),
      dx: i > 0 ? m.alloc(BT * l.D) : 0,
      dW: p.g[vW],
      dR: p.g[vR],
      db: p.g[vb],
      XT: 0,
      HT: 0,
      HP: m.alloc(BT * l.U)
    })
  })
  for (let i = 0; i + 1 < out.length; i++) out[i].dH = out[i + 1].dx
  return out
}

/**
 * Weight gradients of half h (rows [r0, r0 + nb)) and dx: dW = xᵀ·dG, dR = H_prevᵀ·dG_rec as
 * transposed-A products (no transposes), db as column sums.
 */
function gradientOpsAtB(l: RnnSpec, p: LayerPtrs, input: InputMode, h: number, T: number, r0: number, nb: number, needDx: boolean): Op[] {
  const { D, U } = l
  const G = gatesOf(l.kind) * U
  const rows = r0 * T
  const n = nb * T
  const x = p.x + rows * D * 4
  const dG = p.dG + rows * G * 4
  const dGR = p.dGR + rows * G * 4
  const hp = p.HP + rows * U * 4
  const dW: Op =
    input === 'ids'
      ? ['scatterRowsAdd', p.x + rows * 4, dG, p.dW[h], n, D, G, G]
      : input === 'sparse'
        ? ['matmulAtBSparse', x, dG, p.dW[h], n, D, G, D, G, G]
        : ['matmulAtB', x, dG, p.dW[h], D, n, G, D, G, G, 0]
  const ops: Op[] = [
    dW,
    ['hPrevRows', p.h0 + r0 * U * 4, p.H + rows * U * 4, hp, nb, T, U],
    ['matmulAtB', hp, dGR, p.dR[h], U, n, G, U, G, G, 0],
    ['colSumAcc', dG, p.db[h], n, G, G]
  ]
  if (l.kind === 'gru') ops.push(['colSumAcc', dGR, p.db[h] + G * 4, n, G, G])
  if (needDx) ops.push(['matmul', dG, p.WT, p.dx + rows * D * 4, n, G, D, G, D, D, 0])
  return ops
}

/** Where the batch is split: by the multiply-adds of the whole step (shapes only, never threads). */
function stepSplit(spec: ModelSpec, B: number, T: number): number {
  let work = 0
  for (const l of spec.layers) work += B * T * gatesOf(l.kind) * l.U * (l.U + l.D)
  const last = spec.layers[spec.layers.length - 1]
  work += (spec.seq ? B * T : B) * last.U * spec.head.O
  return splitForWork(B, work)
}

export function planStep(spec: ModelSpec, p: ParamPtrs, B: number, T: number, input: InputMode): StepPlan {
  const sparse = input !== 'dense'
  const m = new Bump(p.end)
  const { O } = spec.head
  const [vWd, vbd] = spec.head.vars
  const last = spec.layers[spec.layers.length - 1]
  const U = last.U
  const rows = spec.seq ? B * T : B
  const ce = spec.loss === 'sparseSoftmaxCrossEntropy'
  const yLength = ce ? rows : rows * O
  const x = m.alloc(B * T * (input === 'ids' ? 1 : spec.layers[0].D))
  const y = m.alloc(yLength)
  const loss: [number, number] = [m.alloc(1), m.alloc(1)]
  const lp = layerPtrs(spec, p, m, B, T, sparse, x)
  const top = lp[lp.length - 1]
  const headDH = m.alloc(rows * U)
  top.dH = headDH
  const Z = m.alloc(rows * O)
  const dZ = m.alloc(rows * O)
  const WdT = m.alloc(O * U)
  const lossCount = ce ? rows : rows * O

  const maxU = Math.max(...spec.layers.map((l) => l.U))
  const prep: Op[] = [
    ['zero', lp[0].h0, B * maxU],
    ['transpose', p.w[vWd], WdT, U, O, O, U]
  ]
  spec.layers.forEach((l, i) => {
    const G = gatesOf(l.kind) * l.U
    prep.push(['transpose', lp[i].R, lp[i].RT, l.U, G, G, l.U])
    if (i > 0) prep.push(['transpose', lp[i].W, lp[i].WT, l.D, G, G, l.D])
  })

  const half = (h: number, r0: number, r1: number): Op[] => {
    const nb = r1 - r0
    const ops: Op[] = [['zero', loss[h], 1]]
    spec.layers.forEach((l, i) => {
      const fw = forwardHalf(layerShape(l, B, T), lp[i], i === 0 && sparse, [r0, r1])
      // [fillRows, input projection, steps]: with ids the projection adds the kernel's rows
      if (i === 0 && input === 'ids')
        fw[1] = [
          'gatherRowsAdd',
          x + r0 * T * 4,
          lp[0].W,
          lp[0].acts + r0 * T * gatesOf(l.kind) * l.U * 4,
          nb * T,
          l.D,
          gatesOf(l.kind) * l.U,
          gatesOf(l.kind) * l.U
        ]
      ops.push(...fw)
    })
    // the head on this half's rows: every step (seq) or the last step of each sequence
    const h0 = spec.seq ? r0 * T : r0
    const nh = spec.seq ? nb * T : nb
    const src = spec.seq ? top.H + h0 * U * 4 : top.H + (r0 * T + T - 1) * U * 4
    const ld = spec.seq ? U : T * U
    const z = Z + h0 * O * 4
    const dz = dZ + h0 * O * 4
    ops.push(['fillRows', z, p.w[vbd], nh, O, O], ['matmul', src, p.w[vWd], z, nh, U, O, ld, O, O, 1])
    if (ce) ops.push(['softmaxXent', z, y + h0 * 4, dz, loss[h], nh, O, O, 1 / lossCount])
    else ops.push(['mseLoss', z, y + h0 * O * 4, dz, loss[h], nh, O, O, 1 / lossCount])
    ops.push(
      ['matmulAtB', src, dz, p.g[vWd][h], U, nh, O, ld, O, O, 0],
      ['zero', p.g[vbd][h], O],
      ['colSumAcc', dz, p.g[vbd][h], nh, O, O],
      ['matmul', dz, WdT, headDH + h0 * U * 4, nh, O, U, O, U, U, 0]
    )
    for (let i = spec.layers.length - 1; i >= 0; i--) {
      const l = spec.layers[i]
      const saved = { args: layerShape(l, B, T), sparse: i === 0 && sparse }
      const G = gatesOf(l.kind) * l.U
      ops.push(['zero', lp[i].db[h], spec.sizes[l.vars[2]]])
      if (saved.sparse) ops.push(['zero', lp[i].dW[h], l.D * G])
      ops.push(bpttOps(saved, lp[i], i < spec.layers.length - 1 || spec.seq, r0, nb))
      ops.push(...gradientOpsAtB(l, lp[i], i === 0 ? input : 'dense', h, T, r0, nb, i > 0))
    }
    return ops
  }

  const split = stepSplit(spec, B, T)
  const halves = split < B ? [half(0, 0, split), half(1, split, B)] : [half(0, 0, B)]
  const combine: Op[] = split < B ? spec.sizes.map((n, i) => ['addInto', p.g[i][0], p.g[i][1], n] as Op) : []
  if (split === B) halves[0].push(['zero', loss[1], 1])
  return { B, T, x, y, yLength, loss, lossCount, prep, halves, combine, top: m.top }
}
