/**
 * JS driver of the fused recurrent kernels (`rnn-kernels.wasm`, AssemblyScript + WebAssembly SIMD,
 * sources in ./kernels/rnn.ts, built by scripts/build-kernels.mjs).
 *
 * One forward call runs the input projection of every time step (one matrix product
 * [batch·steps, in] × [in, gates·units], skipping zeros for one-hot inputs) and all recurrent steps;
 * one backward call runs BPTT over all steps and the weight-gradient products. Scratch lives in the
 * module's own linear memory: a bump arena reset at the start of every call (grown when a call needs
 * more), so nothing is allocated per time step. What backward needs is copied out to JS arrays at
 * the end of forward, because other layers use the same arena in between.
 *
 * Loading is synchronous (`fs.readFileSync` + `new WebAssembly.Module/Instance`, allowed in Node on
 * any thread) because tfjs layers' `call` is synchronous. One instance per thread (module scope).
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export type CellKind = 'lstm' | 'gru' | 'rnn'

/** The slice of the WebAssembly API used here (the node tsconfig has no DOM / WebAssembly lib types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer
  grow(pages: number): number
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> }
}
const WASM = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly

interface Exports {
  memory: WasmMemory
  matmul(a: number, b: number, c: number, M: number, K: number, N: number, lda: number, ldb: number, ldc: number, acc: number): void
  matmulSparseA(a: number, b: number, c: number, M: number, K: number, N: number, lda: number, ldb: number, ldc: number): void
  matmulAtBSparse(a: number, b: number, c: number, M: number, K: number, N: number, lda: number, ldb: number, ldc: number): void
  transpose(src: number, dst: number, R: number, C: number, lds: number, ldd: number): void
  fillRows(c: number, v: number, M: number, N: number, ldc: number): void
  colSumAcc(a: number, out: number, M: number, N: number, lda: number): void
  lstmForwardSteps(B: number, T: number, U: number, R: number, h0: number, c0: number, acts: number, H: number, C: number, TC: number): void
  lstmBackwardSteps(B: number, T: number, U: number, RT: number, c0: number, acts: number, C: number, TC: number, dH: number, seq: number, dG: number, dh: number, dc: number): void
  gruForwardSteps(B: number, T: number, U: number, R: number, bRec: number, h0: number, acts: number, H: number, RH: number, RZ: number): void
  gruBackwardSteps(B: number, T: number, U: number, RT: number, h0: number, acts: number, H: number, RH: number, dH: number, seq: number, dG: number, dGR: number, dh: number): void
  rnnForwardSteps(B: number, T: number, U: number, R: number, h0: number, acts: number, H: number): void
  rnnBackwardSteps(B: number, T: number, U: number, RT: number, H: number, dH: number, seq: number, dG: number, dh: number): void
}

const WASM_FILE = 'rnn-kernels.wasm'

function candidatePaths(): string[] {
  const paths: string[] = []
  if (process.env.RNN_LAB_FUSED_WASM) paths.push(process.env.RNN_LAB_FUSED_WASM)
  try {
    paths.push(join(dirname(fileURLToPath(import.meta.url)), WASM_FILE))
  } catch {
    // no import.meta.url (bundled CJS without the shim)
  }
  if (typeof __dirname === 'string') paths.push(join(__dirname, WASM_FILE))
  const resources = (process as { resourcesPath?: string }).resourcesPath
  if (resources) paths.push(join(resources, WASM_FILE))
  paths.push(join(process.cwd(), 'src-main/engine/fused', WASM_FILE))
  return paths
}

let loaded: Exports | null | undefined
let loadError: string | null = null

/** The kernel module of this thread, or null (with `kernelLoadError()`) when it cannot be loaded. */
export function loadKernels(): Exports | null {
  if (loaded !== undefined) return loaded
  loaded = null
  try {
    const path = candidatePaths().find((p) => existsSync(p))
    if (!path) throw new Error(`${WASM_FILE} not found (run node scripts/build-kernels.mjs)`)
    const module = new WASM.Module(readFileSync(path))
    loaded = new WASM.Instance(module, {}).exports as unknown as Exports
  } catch (err) {
    loadError = err instanceof Error ? err.message : String(err)
  }
  return loaded
}

export function kernelLoadError(): string | null {
  return loadError
}

/** Bump allocator over the kernel memory; offsets in bytes, 16-byte aligned. */
class Arena {
  private top = 0
  constructor(private readonly k: Exports) {}
  reset(): void {
    this.top = 65536 // page 0 left to the module's own (static) data
  }
  alloc(floats: number): number {
    const p = this.top
    this.top += (floats * 4 + 15) & ~15
    return p
  }
  /** Grows the memory to hold everything allocated so far; returns a fresh f32 view. */
  commit(): Float32Array {
    const need = this.top - this.k.memory.buffer.byteLength
    if (need > 0) this.k.memory.grow(Math.ceil(need / 65536))
    return new Float32Array(this.k.memory.buffer)
  }
}

let arena: Arena | null = null
function getArena(k: Exports): Arena {
  if (!arena) arena = new Arena(k)
  arena.reset()
  return arena
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

export interface ForwardResult {
  /** All hidden states [B,T,U]. */
  H: Float32Array
  /** Last cell state [B,U] (LSTM). */
  cLast: Float32Array | null
  saved: Saved | null
}

export function gatesOf(kind: CellKind): number {
  return kind === 'lstm' ? 4 : kind === 'gru' ? 3 : 1
}

function isSparse(x: Float32Array): boolean {
  let zeros = 0
  for (let i = 0; i < x.length; i++) if (x[i] === 0) zeros++
  return zeros >= 0.7 * x.length
}

export function fusedForward(k: Exports, a: ForwardArgs): ForwardResult {
  const { kind, B, T, D, U } = a
  const G = gatesOf(kind) * U
  const BT = B * T
  const m = getArena(k)
  const px = m.alloc(BT * D)
  const pW = m.alloc(D * G)
  const pR = m.alloc(U * G)
  const pb = m.alloc(a.bias.length)
  const ph0 = m.alloc(B * U)
  const pc0 = m.alloc(B * U)
  const pActs = m.alloc(BT * G)
  const pH = m.alloc(BT * U)
  const pC = kind === 'lstm' ? m.alloc(BT * U) : 0
  const pTC = kind === 'lstm' ? m.alloc(BT * U) : 0
  const pRH = kind === 'gru' ? m.alloc(BT * U) : 0
  const pRZ = kind === 'gru' ? m.alloc(B * G) : 0
  let f = m.commit()
  f.set(a.x, px >> 2)
  f.set(a.W, pW >> 2)
  f.set(a.R, pR >> 2)
  f.set(a.bias, pb >> 2)
  if (a.h0) f.set(a.h0, ph0 >> 2)
  else f.fill(0, ph0 >> 2, (ph0 >> 2) + B * U)
  if (a.c0) f.set(a.c0, pc0 >> 2)
  else f.fill(0, pc0 >> 2, (pc0 >> 2) + B * U)
  const sparse = isSparse(a.x)
  k.fillRows(pActs, pb, BT, G, G)
  if (sparse) k.matmulSparseA(px, pW, pActs, BT, D, G, D, G, G)
  else k.matmul(px, pW, pActs, BT, D, G, D, G, G, 1)
  if (kind === 'lstm') k.lstmForwardSteps(B, T, U, pR, ph0, pc0, pActs, pH, pC, pTC)
  else if (kind === 'gru') k.gruForwardSteps(B, T, U, pR, pb + G * 4, ph0, pActs, pH, pRH, pRZ)
  else k.rnnForwardSteps(B, T, U, pR, ph0, pActs, pH)
  f = new Float32Array(k.memory.buffer)
  const view = (p: number, n: number) => f.slice(p >> 2, (p >> 2) + n)
  const H = view(pH, BT * U)
  let cLast: Float32Array | null = null
  if (kind === 'lstm') {
    cLast = new Float32Array(B * U)
    for (let b = 0; b < B; b++) cLast.set(f.subarray((pC >> 2) + (b * T + T - 1) * U, (pC >> 2) + (b * T + T) * U), b * U)
  }
  const saved: Saved | null = a.keep
    ? {
        args: a,
        sparse,
        acts: kind === 'rnn' ? new Float32Array(0) : view(pActs, BT * G),
        H,
        C: kind === 'lstm' ? view(pC, BT * U) : null,
        TC: kind === 'lstm' ? view(pTC, BT * U) : null,
        RH: kind === 'gru' ? view(pRH, BT * U) : null
      }
    : null
  return { H, cLast, saved }
}

export interface BackwardResult {
  dx: Float32Array
  dW: Float32Array
  dR: Float32Array
  db: Float32Array
  dh0: Float32Array
  dc0: Float32Array | null
}

/**
 * BPTT. dH: gradient of the output, [B,T,U] when `seq` (all states returned) or [B,U] (last state).
 * `needDx` false skips dL/dx (returned as zeros).
 */
export function fusedBackward(k: Exports, s: Saved, dH: Float32Array, seq: boolean, needDx = true): BackwardResult {
  const { kind, B, T, D, U } = s.args
  const G = gatesOf(kind) * U
  const BT = B * T
  const m = getArena(k)
  const px = m.alloc(BT * D)
  const pW = m.alloc(D * G)
  const pR = m.alloc(U * G)
  const pRT = m.alloc(U * G)
  const ph0 = m.alloc(B * U)
  const pc0 = m.alloc(B * U)
  const pActs = kind === 'rnn' ? 0 : m.alloc(BT * G)
  const pH = m.alloc(BT * U)
  const pC = kind === 'lstm' ? m.alloc(BT * U) : 0
  const pTC = kind === 'lstm' ? m.alloc(BT * U) : 0
  const pRH = kind === 'gru' ? m.alloc(BT * U) : 0
  const pdH = m.alloc(dH.length)
  const pdG = m.alloc(BT * G)
  const pdGR = kind === 'gru' ? m.alloc(BT * G) : pdG
  const pdh = m.alloc(B * U)
  const pdc = m.alloc(B * U)
  const pdx = m.alloc(BT * D)
  const pWT = m.alloc(D * G)
  const pdW = m.alloc(D * G)
  const pdR = m.alloc(U * G)
  const pdb = m.alloc(s.args.bias.length)
  const pXT = s.sparse ? 0 : m.alloc(D * BT)
  const pHT = m.alloc(U * BT)
  const f = m.commit()
  const a = s.args
  f.set(a.x, px >> 2)
  f.set(a.W, pW >> 2)
  f.set(a.R, pR >> 2)
  if (a.h0) f.set(a.h0, ph0 >> 2)
  else f.fill(0, ph0 >> 2, (ph0 >> 2) + B * U)
  if (a.c0) f.set(a.c0, pc0 >> 2)
  else f.fill(0, pc0 >> 2, (pc0 >> 2) + B * U)
  if (pActs) f.set(s.acts, pActs >> 2)
  f.set(s.H, pH >> 2)
  if (s.C) f.set(s.C, pC >> 2)
  if (s.TC) f.set(s.TC, pTC >> 2)
  if (s.RH) f.set(s.RH, pRH >> 2)
  f.set(dH, pdH >> 2)
  f.fill(0, pdW >> 2, (pdW >> 2) + D * G)
  f.fill(0, pdb >> 2, (pdb >> 2) + s.args.bias.length)
  k.transpose(pR, pRT, U, G, G, U)
  const sq = seq ? 1 : 0
  if (kind === 'lstm') k.lstmBackwardSteps(B, T, U, pRT, pc0, pActs, pC, pTC, pdH, sq, pdG, pdh, pdc)
  else if (kind === 'gru') k.gruBackwardSteps(B, T, U, pRT, ph0, pActs, pH, pRH, pdH, sq, pdG, pdGR, pdh)
  else k.rnnBackwardSteps(B, T, U, pRT, pH, pdH, sq, pdG, pdh)
  // dW = xᵀ·dG
  if (s.sparse) k.matmulAtBSparse(px, pdG, pdW, BT, D, G, D, G, G)
  else {
    k.transpose(px, pXT, BT, D, D, BT)
    k.matmul(pXT, pdG, pdW, D, BT, G, BT, G, G, 0)
  }
  // dR = H_prevᵀ·dG_rec, H_prev row (b,t) = t ? H[b,t-1] : h0[b]
  for (let b = 0; b < B; b++) {
    k.transpose(ph0 + b * U * 4, pHT + b * T * 4, 1, U, U, BT)
    if (T > 1) k.transpose(pH + b * T * U * 4, pHT + (b * T + 1) * 4, T - 1, U, U, BT)
  }
  k.matmul(pHT, pdGR, pdR, U, BT, G, BT, G, G, 0)
  k.colSumAcc(pdG, pdb, BT, G, G)
  if (kind === 'gru') k.colSumAcc(pdGR, pdb + G * 4, BT, G, G)
  if (needDx) {
    k.transpose(pW, pWT, D, G, G, D)
    k.matmul(pdG, pWT, pdx, BT, G, D, G, D, D, 0)
  }
  const g = new Float32Array(k.memory.buffer)
  const view = (p: number, n: number) => g.slice(p >> 2, (p >> 2) + n)
  return {
    dx: needDx ? view(pdx, BT * D) : new Float32Array(BT * D),
    dW: view(pdW, D * G),
    dR: view(pdR, U * G),
    db: view(pdb, s.args.bias.length),
    dh0: view(pdh, B * U),
    dc0: kind === 'lstm' ? view(pdc, B * U) : null
  }
}
