/**
 * Forward and backward drivers of the fused recurrent kernels, on any kernel backend (./kernels.ts).
 *
 * One forward call runs the input projection of every time step (one matrix product
 * [batch·steps, in] × [in, gates·units], skipping zeros for one-hot inputs) and all recurrent steps;
 * one backward call runs BPTT over all steps and the weight-gradient products. Scratch lives in the
 * backend's memory: a bump arena reset at the start of every call, so nothing is allocated per time
 * step. What backward needs is copied out to JS arrays at the end of forward, because other layers
 * use the same arena in between.
 *
 * Two halves. Batch rows are independent in forward and BPTT, and every buffer is batch-major, so a
 * half is the same kernel calls on offset pointers; the weight gradients of each half go to their own
 * buffers and are added (half 0 + half 1) at the end. The split is decided by the shapes alone
 * (`batchSplit`), never by the thread count, so results are bit-identical with one or two threads.
 */
import { gatesOf, type CellKind, type KernelBackend, type Op } from './kernel-ops'

/** Minimum batch and multiply-adds per call for a split (measured: README.md, "Two threads"). */
export const SPLIT_MIN_BATCH = 16
let splitMinWork = 2_000_000

/** Sets the work threshold of `batchSplit` (tests and benches); returns the old one. */
export function setSplitMinWork(work: number): number {
  const old = splitMinWork
  splitMinWork = work
  return old
}

/**
 * Where the batch rows are split into two halves ([0, split) and [split, B)); B when not split.
 * `work`: multiply-adds of the recurrent + input products, B·T·G·(U + D).
 */
export function batchSplit(kind: CellKind, B: number, T: number, D: number, U: number): number {
  return splitForWork(B, B * T * gatesOf(kind) * U * (U + D))
}

/** Where B batch rows doing `work` multiply-adds in all are split (B when not). */
export function splitForWork(B: number, work: number): number {
  if (B < SPLIT_MIN_BATCH || work < splitMinWork) return B
  const split = Math.round(B / 8) * 4 // a multiple of 4 (the matmul's row block) near B/2
  return split > 0 && split < B ? split : B
}

/** The batch ranges [r0, r1) of the halves. */
function halvesOf(kind: CellKind, B: number, T: number, D: number, U: number): [number, number][] {
  const split = batchSplit(kind, B, T, D, U)
  return split < B
    ? [
        [0, split],
        [split, B]
      ]
    : [[0, B]]
}

/** Bump allocator over the backend's memory; offsets in bytes, 16-byte aligned, page 0 left free. */
class Arena {
  private top = 65536
  constructor(private readonly k: KernelBackend) {}
  alloc(floats: number): number {
    const p = this.top
    this.top += (floats * 4 + 15) & ~15
    return p
  }
  /** Grows the memory to hold everything allocated; returns a fresh f32 view. */
  commit(): Float32Array {
    this.k.ensure(this.top)
    return this.k.f32()
  }
}

/** Copies `src` to the f32 offset of byte pointer `p`, or zeros `n` floats when src is null. */
function put(f: Float32Array, p: number, src: Float32Array | null, n: number): void {
  if (src) f.set(src, p >> 2)
  else f.fill(0, p >> 2, (p >> 2) + n)
}

function isSparse(x: Float32Array): boolean {
  let zeros = 0
  for (let i = 0; i < x.length; i++) if (x[i] === 0) zeros++
  return zeros >= 0.7 * x.length
}

export interface ForwardArgs {
  kind: CellKind
  B: number
  T: number
  D: number
  U: number
  x: Float32Array
  W: Float32Array
  R: Float32Array
  /** [G] (lstm, rnn) or [2G] (gru: input bias, then recurrent bias). */
  bias: Float32Array
  h0: Float32Array | null
  c0: Float32Array | null
  /** Keep what backward needs (false for inference). */
  keep: boolean
}

export interface Saved {
  args: ForwardArgs
  sparse: boolean
  acts: Float32Array
  H: Float32Array
  C: Float32Array | null
  TC: Float32Array | null
  RH: Float32Array | null
}

/** What the backward kernel calls depend on: the layer's shapes and whether x is sparse (one-hot). */
export interface SavedShape {
  args: LayerShape
  sparse: boolean
}

export interface ForwardResult {
  /** All hidden states [B,T,U]. */
  H: Float32Array
  /** Last cell state [B,U] (LSTM). */
  cLast: Float32Array | null
  saved: Saved | null
}

/** Byte pointers of the forward buffers. */
export interface ForwardPtrs {
  x: number
  W: number
  R: number
  b: number
  h0: number
  c0: number
  acts: number
  H: number
  C: number
  TC: number
  RH: number
  RZ: number
}

function forwardPtrs(m: Arena, a: ForwardArgs): ForwardPtrs {
  const { kind, B, T, D, U } = a
  const G = gatesOf(kind) * U
  const BT = B * T
  return {
    x: m.alloc(BT * D),
    W: m.alloc(D * G),
    R: m.alloc(U * G),
    b: m.alloc(a.bias.length),
    h0: m.alloc(B * U),
    c0: m.alloc(B * U),
    acts: m.alloc(BT * G),
    H: m.alloc(BT * U),
    C: kind === 'lstm' ? m.alloc(BT * U) : 0,
    TC: kind === 'lstm' ? m.alloc(BT * U) : 0,
    RH: kind === 'gru' ? m.alloc(BT * U) : 0,
    RZ: kind === 'gru' ? m.alloc(B * G) : 0
  }
}

/** The shapes a layer's kernel calls depend on. */
export type LayerShape = Pick<ForwardArgs, 'kind' | 'B' | 'T' | 'D' | 'U'>

/** The forward kernel calls of batch rows [r0, r1): input projection, then the recurrent steps. */
export function forwardHalf(a: LayerShape, p: ForwardPtrs, sparse: boolean, [r0, r1]: [number, number]): Op[] {
  const { kind, T, D, U } = a
  const G = gatesOf(kind) * U
  const nb = r1 - r0
  const rows = r0 * T // first (b, t) row
  const acts = p.acts + rows * G * 4
  const H = p.H + rows * U * 4
  const h0 = p.h0 + r0 * U * 4
  const x = p.x + rows * D * 4
  const ops: Op[] = [['fillRows', acts, p.b, nb * T, G, G]]
  if (sparse) ops.push(['matmulSparseA', x, p.W, acts, nb * T, D, G, D, G, G])
  else ops.push(['matmul', x, p.W, acts, nb * T, D, G, D, G, G, 1])
  if (kind === 'lstm')
    ops.push(['lstmForwardSteps', nb, T, U, p.R, h0, p.c0 + r0 * U * 4, acts, H, p.C + rows * U * 4, p.TC + rows * U * 4])
  else if (kind === 'gru') ops.push(['gruForwardSteps', nb, T, U, p.R, p.b + G * 4, h0, acts, H, p.RH + rows * U * 4, p.RZ + r0 * G * 4])
  else ops.push(['rnnForwardSteps', nb, T, U, p.R, h0, acts, H])
  return ops
}

/** The last cell state of every batch row, from C [B,T,U]. */
function lastCells(f: Float32Array, pC: number, B: number, T: number, U: number): Float32Array {
  const out = new Float32Array(B * U)
  for (let b = 0; b < B; b++) out.set(f.subarray((pC >> 2) + (b * T + T - 1) * U, (pC >> 2) + (b * T + T) * U), b * U)
  return out
}

export function fusedForward(k: KernelBackend, a: ForwardArgs): ForwardResult {
  const { kind, B, T, D, U } = a
  const G = gatesOf(kind) * U
  const BT = B * T
  const m = new Arena(k)
  const p = forwardPtrs(m, a)
  const f = m.commit()
  f.set(a.x, p.x >> 2)
  f.set(a.W, p.W >> 2)
  f.set(a.R, p.R >> 2)
  f.set(a.bias, p.b >> 2)
  put(f, p.h0, a.h0, B * U)
  put(f, p.c0, a.c0, B * U)
  const sparse = isSparse(a.x)
  k.run(halvesOf(kind, B, T, D, U).map((r) => forwardHalf(a, p, sparse, r)))
  const g = k.f32()
  const view = (ptr: number, n: number) => g.slice(ptr >> 2, (ptr >> 2) + n)
  const H = view(p.H, BT * U)
  const saved: Saved | null = a.keep
    ? {
        args: a,
        sparse,
        acts: kind === 'rnn' ? new Float32Array(0) : view(p.acts, BT * G),
        H,
        C: kind === 'lstm' ? view(p.C, BT * U) : null,
        TC: kind === 'lstm' ? view(p.TC, BT * U) : null,
        RH: kind === 'gru' ? view(p.RH, BT * U) : null
      }
    : null
  return { H, cLast: kind === 'lstm' ? lastCells(g, p.C, B, T, U) : null, saved }
}

export interface BackwardResult {
  dx: Float32Array
  dW: Float32Array
  dR: Float32Array
  db: Float32Array
  dh0: Float32Array
  dc0: Float32Array | null
}

/** Byte pointers of the backward buffers; dW, dR, db: one partial per half. */
export interface BackwardPtrs extends Omit<ForwardPtrs, 'b' | 'RZ'> {
  RT: number
  dH: number
  dG: number
  dGR: number
  dh: number
  dc: number
  dx: number
  WT: number
  dW: number[]
  dR: number[]
  db: number[]
  XT: number
  HT: number
}

function backwardPtrs(m: Arena, s: Saved, dHLength: number, halves: number): BackwardPtrs {
  const { kind, B, T, D, U } = s.args
  const G = gatesOf(kind) * U
  const BT = B * T
  const each = (n: number) => Array.from({ length: halves }, () => m.alloc(n))
  const dG = m.alloc(BT * G)
  return {
    x: m.alloc(BT * D),
    W: m.alloc(D * G),
    R: m.alloc(U * G),
    RT: m.alloc(U * G),
    h0: m.alloc(B * U),
    c0: m.alloc(B * U),
    acts: kind === 'rnn' ? 0 : m.alloc(BT * G),
    H: m.alloc(BT * U),
    C: kind === 'lstm' ? m.alloc(BT * U) : 0,
    TC: kind === 'lstm' ? m.alloc(BT * U) : 0,
    RH: kind === 'gru' ? m.alloc(BT * U) : 0,
    dH: m.alloc(dHLength),
    dG,
    dGR: kind === 'gru' ? m.alloc(BT * G) : dG,
    dh: m.alloc(B * U),
    dc: m.alloc(B * U),
    dx: m.alloc(BT * D),
    WT: m.alloc(D * G),
    dW: each(D * G),
    dR: each(U * G),
    db: each(s.args.bias.length),
    XT: s.sparse ? 0 : m.alloc(D * BT),
    HT: m.alloc(U * BT)
  }
}

/** Copies the forward state and dH into the arena; zeroes the accumulated partials. */
function loadBackward(f: Float32Array, s: Saved, p: BackwardPtrs, dH: Float32Array): void {
  const { kind, B, U, D } = s.args
  const G = gatesOf(kind) * U
  const a = s.args
  f.set(a.x, p.x >> 2)
  f.set(a.W, p.W >> 2)
  f.set(a.R, p.R >> 2)
  put(f, p.h0, a.h0, B * U)
  put(f, p.c0, a.c0, B * U)
  if (p.acts) f.set(s.acts, p.acts >> 2)
  f.set(s.H, p.H >> 2)
  if (s.C) f.set(s.C, p.C >> 2)
  if (s.TC) f.set(s.TC, p.TC >> 2)
  if (s.RH) f.set(s.RH, p.RH >> 2)
  f.set(dH, p.dH >> 2)
  for (let i = 0; i < p.dW.length; i++) {
    if (s.sparse) put(f, p.dW[i], null, D * G)
    put(f, p.db[i], null, a.bias.length)
  }
}

/** BPTT of batch rows [r0, r1): dG (and dGR), then dh / dc of the first step. */
export function bpttOps(s: SavedShape, p: BackwardPtrs, seq: boolean, r0: number, nb: number): Op {
  const { kind, T, U } = s.args
  const G = gatesOf(kind) * U
  const rows = r0 * T
  const dHh = p.dH + (seq ? rows : r0) * U * 4
  const dG = p.dG + rows * G * 4
  const dh = p.dh + r0 * U * 4
  const acts = p.acts + rows * G * 4
  const sq = seq ? 1 : 0
  if (kind === 'lstm')
    return [
      'lstmBackwardSteps',
      nb,
      T,
      U,
      p.RT,
      p.c0 + r0 * U * 4,
      acts,
      p.C + rows * U * 4,
      p.TC + rows * U * 4,
      dHh,
      sq,
      dG,
      dh,
      p.dc + r0 * U * 4
    ]
  if (kind === 'gru')
    return [
      'gruBackwardSteps',
      nb,
      T,
      U,
      p.RT,
      p.h0 + r0 * U * 4,
      acts,
      p.H + rows * U * 4,
      p.RH + rows * U * 4,
      dHh,
      sq,
      dG,
      p.dGR + rows * G * 4,
      dh
    ]
  return ['rnnBackwardSteps', nb, T, U, p.RT, p.H + rows * U * 4, dHh, sq, dG, dh]
}

/** Weight gradients of half `i` (rows [r0, r0 + nb)): dW = xᵀ·dG, dR = H_prevᵀ·dG_rec, db, and dx. */
export function gradientOps(s: SavedShape, p: BackwardPtrs, i: number, r0: number, nb: number, needDx: boolean): Op[] {
  const { kind, B, T, D, U } = s.args
  const G = gatesOf(kind) * U
  const BT = B * T
  const rows = r0 * T
  const n = nb * T
  const x = p.x + rows * D * 4
  const dG = p.dG + rows * G * 4
  const dGR = p.dGR + rows * G * 4
  const ops: Op[] = s.sparse
    ? [['matmulAtBSparse', x, dG, p.dW[i], n, D, G, D, G, G]]
    : [
        ['transpose', x, p.XT + rows * 4, n, D, D, BT],
        ['matmul', p.XT + rows * 4, dG, p.dW[i], D, n, G, BT, G, G, 0]
      ]
  // H_prev row (b,t) = t ? H[b,t-1] : h0[b]
  ops.push(['transposeHPrev', p.h0 + r0 * U * 4, p.H + rows * U * 4, p.HT + rows * 4, nb, T, U, BT])
  ops.push(['matmul', p.HT + rows * 4, dGR, p.dR[i], U, n, G, BT, G, G, 0])
  ops.push(['colSumAcc', dG, p.db[i], n, G, G])
  if (kind === 'gru') ops.push(['colSumAcc', dGR, p.db[i] + G * 4, n, G, G])
  if (needDx) ops.push(['matmul', dG, p.WT, p.dx + rows * D * 4, n, G, D, G, D, D, 0])
  return ops
}

/** Sum of the per-half partials at `ptrs`, half 0 + half 1 in that order (deterministic). */
function sumHalves(g: Float32Array, ptrs: number[], n: number): Float32Array {
  const out = g.slice(ptrs[0] >> 2, (ptrs[0] >> 2) + n)
  for (let i = 1; i < ptrs.length; i++) {
    const o = ptrs[i] >> 2
    for (let j = 0; j < n; j++) out[j] += g[o + j]
  }
  return out
}

/**
 * BPTT. dH: gradient of the output, [B,T,U] when `seq` (all states returned) or [B,U] (last state).
 * `needDx` false skips dL/dx (returned as zeros).
 */
export function fusedBackward(k: KernelBackend, s: Saved, dH: Float32Array, seq: boolean, needDx = true): BackwardResult {
  const { kind, B, T, D, U } = s.args
  const G = gatesOf(kind) * U
  const ranges = halvesOf(kind, B, T, D, U)
  const m = new Arena(k)
  const p = backwardPtrs(m, s, dH.length, ranges.length)
  loadBackward(m.commit(), s, p, dH)
  const transposes: Op[] = [['transpose', p.R, p.RT, U, G, G, U]]
  if (needDx) transposes.push(['transpose', p.W, p.WT, D, G, G, D])
  k.run([transposes])
  k.run(ranges.map(([r0, r1], i) => [bpttOps(s, p, seq, r0, r1 - r0), ...gradientOps(s, p, i, r0, r1 - r0, needDx)]))
  const g = k.f32()
  const view = (ptr: number, n: number) => g.slice(ptr >> 2, (ptr >> 2) + n)
  return {
    dx: needDx ? view(p.dx, B * T * D) : new Float32Array(B * T * D),
    dW: sumHalves(g, p.dW, D * G),
    dR: sumHalves(g, p.dR, U * G),
    db: sumHalves(g, p.db, s.args.bias.length),
    dh0: view(p.dh, B * U),
    dc0: kind === 'lstm' ? view(p.dc, B * U) : null
  }
}
