/**
 * JS driver of the fused recurrent kernels (`rnn-kernels.wasm`, AssemblyScript + WebAssembly SIMD,
 * sources in ./kernels/rnn.ts, built by scripts/build-kernels.mjs).
 *
 * One forward call runs the input projection of every time step (one matrix product
 * [batch·steps, in] × [in, gates·units], skipping zeros for one-hot inputs) and all recurrent steps;
 * one backward call runs BPTT over all steps and the weight-gradient products. Scratch lives in the
 * module's linear memory: a bump arena reset at the start of every call (grown when a call needs
 * more), so nothing is allocated per time step. What backward needs is copied out to JS arrays at
 * the end of forward, because other layers use the same arena in between.
 *
 * Two threads. The memory is a shared `WebAssembly.Memory` (imported by the module), so one helper
 * thread (a `node:worker_threads` Worker spawned lazily, unref'd) can instantiate the same module on
 * the same memory and run the kernels for the second half of the batch rows, synchronised with
 * `Atomics.wait/notify` on a small SharedArrayBuffer. Batch rows are independent in forward and BPTT;
 * the weight gradients (dW, dR, db) of each half go to their own buffers and are added (half 0 +
 * half 1) at the end. The split is decided by the work size alone (`batchSplit`), never by the thread
 * count: with one thread the same two halves run one after the other, so results are bit-identical
 * with one or two threads (and run to run). If the helper has not picked its half up by the time this
 * thread has finished its own, this thread takes it back and runs it (work stealing), so a slow or
 * busy helper never delays a call. `setKernelThreads` (default from RNN_LAB_KERNEL_THREADS: 1, 2 or
 * auto) tells the driver whether the other core is free.
 *
 * Loading is synchronous (`fs.readFileSync` + `new WebAssembly.Module/Instance`, allowed in Node on
 * any thread) because tfjs layers' `call` is synchronous. One memory + instance per thread (module
 * scope), plus at most one helper per thread.
 */
import { existsSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

export type CellKind = 'lstm' | 'gru' | 'rnn'

/** The slice of the WebAssembly API used here (the node tsconfig has no DOM / WebAssembly lib types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer
  grow(pages: number): number
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> }
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory
}
const WASM = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly

/** The module's declared maximum (scripts/build-kernels.mjs --maximumMemory): 4 GiB. */
const MAX_PAGES = 65536

interface Exports {
  memory: WasmMemory
  matmul(a: number, b: number, c: number, M: number, K: number, N: number, lda: number, ldb: number, ldc: number, acc: number): void
  matmulSparseA(a: number, b: number, c: number, M: number, K: number, N: number, lda: number, ldb: number, ldc: number): void
  matmulAtBSparse(a: number, b: number, c: number, M: number, K: number, N: number, lda: number, ldb: number, ldc: number): void
  transpose(src: number, dst: number, R: number, C: number, lds: number, ldd: number): void
  transposeHPrev(h0: number, H: number, HT: number, B: number, T: number, U: number, ldd: number): void
  fillRows(c: number, v: number, M: number, N: number, ldc: number): void
  colSumAcc(a: number, out: number, M: number, N: number, lda: number): void
  lstmForwardSteps(B: number, T: number, U: number, R: number, h0: number, c0: number, acts: number, H: number, C: number, TC: number): void
  lstmBackwardSteps(
    B: number,
    T: number,
    U: number,
    RT: number,
    c0: number,
    acts: number,
    C: number,
    TC: number,
    dH: number,
    seq: number,
    dG: number,
    dh: number,
    dc: number
  ): void
  gruForwardSteps(
    B: number,
    T: number,
    U: number,
    R: number,
    bRec: number,
    h0: number,
    acts: number,
    H: number,
    RH: number,
    RZ: number
  ): void
  gruBackwardSteps(
    B: number,
    T: number,
    U: number,
    RT: number,
    h0: number,
    acts: number,
    H: number,
    RH: number,
    dH: number,
    seq: number,
    dG: number,
    dGR: number,
    dh: number
  ): void
  rnnForwardSteps(B: number, T: number, U: number, R: number, h0: number, acts: number, H: number): void
  rnnBackwardSteps(B: number, T: number, U: number, RT: number, H: number, dH: number, seq: number, dG: number, dh: number): void
}

/** The kernels a half-batch job may call (index = opcode in the helper's command buffer). */
const OPS = [
  'matmul',
  'matmulSparseA',
  'matmulAtBSparse',
  'transpose',
  'transposeHPrev',
  'fillRows',
  'colSumAcc',
  'lstmForwardSteps',
  'lstmBackwardSteps',
  'gruForwardSteps',
  'gruBackwardSteps',
  'rnnForwardSteps',
  'rnnBackwardSteps'
] as const
type OpName = (typeof OPS)[number]
/** One kernel call: name and arguments. */
type Op = [OpName, ...number[]]

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
let wasmModule: object | null = null

/** The kernel module of this thread, or null (with `kernelLoadError()`) when it cannot be loaded. */
export function loadKernels(): Exports | null {
  if (loaded !== undefined) return loaded
  loaded = null
  try {
    const path = candidatePaths().find((p) => existsSync(p))
    if (!path) throw new Error(`${WASM_FILE} not found (run node scripts/build-kernels.mjs)`)
    const module = new WASM.Module(readFileSync(path))
    const memory = new WASM.Memory({ initial: 1, maximum: MAX_PAGES, shared: true })
    loaded = new WASM.Instance(module, { env: { memory } }).exports as unknown as Exports
    wasmModule = module
  } catch (err) {
    loadError = err instanceof Error ? err.message : String(err)
  }
  return loaded
}

export function kernelLoadError(): string | null {
  return loadError
}

// ---------------------------------------------------------------------------------------------
// Threads

export type KernelThreads = 1 | 2
export type KernelThreadsSetting = KernelThreads | 'auto' | (() => KernelThreads)

function envSetting(): KernelThreadsSetting {
  const v = process.env.RNN_LAB_KERNEL_THREADS?.trim()
  return v === '1' ? 1 : v === '2' ? 2 : 'auto'
}

let threadSetting: KernelThreadsSetting = envSetting()

/**
 * How many threads the kernels of THIS thread may use: 1, 2 (this thread + one helper), 'auto'
 * (2 when the machine has at least 2 cores) or a function asked at every kernel call (e.g. reading
 * the pool's busy-worker count from a SharedArrayBuffer). The default comes from the environment
 * variable RNN_LAB_KERNEL_THREADS (1, 2 or auto; unset = auto). Results do not depend on it (see the
 * header), only speed. Going to 1 leaves an already spawned helper idle (blocked in Atomics.wait).
 */
export function setKernelThreads(n: KernelThreadsSetting): void {
  if (n !== 1 && n !== 2 && n !== 'auto' && typeof n !== 'function')
    throw new Error(`setKernelThreads: 1, 2, 'auto' or a function, got ${String(n)}`)
  threadSetting = n
}

/** The thread count the next kernel call would use (before the work-size check of `batchSplit`). */
export function kernelThreads(): KernelThreads {
  const s = threadSetting
  if (s === 1 || s === 2) return s
  if (s === 'auto') return availableParallelism() >= 2 ? 2 : 1
  return s() === 2 ? 2 : 1
}

/** Control words (Int32Array over a SharedArrayBuffer). */
const STATE = 0 // IDLE, POSTED (helper may take it), RUNNING (helper took it), DONE, EXIT
const READY = 1 // 1 once the helper's instance is up
const NOPS = 2 // number of kernel calls in the command buffer
const FAILED = 3 // 1 when the helper's job threw
const IDLE = 0
const POSTED = 1
const RUNNING = 2
const DONE = 3
const EXIT = 4
const CMD_DOUBLES = 8192

/** The helper thread (plain JS, evaluated: no file to locate in tsx / vitest / bundled builds). */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads')
const { module, memory, control, commands, ops } = workerData
const exp = new WebAssembly.Instance(module, { env: { memory } }).exports
const fns = ops.map((name) => exp[name])
const ctl = new Int32Array(control)
const cmd = new Float64Array(commands)
Atomics.store(ctl, ${READY}, 1)
for (;;) {
  Atomics.wait(ctl, ${STATE}, ${IDLE})
  const s = Atomics.load(ctl, ${STATE})
  if (s === ${EXIT}) break
  if (s !== ${POSTED}) {
    // DONE: wait until the owner has collected it (IDLE again)
    if (s !== ${IDLE}) Atomics.wait(ctl, ${STATE}, s, 5)
    continue
  }
  // the owner may have taken it back in between
  if (Atomics.compareExchange(ctl, ${STATE}, ${POSTED}, ${RUNNING}) !== ${POSTED}) continue
  try {
    const n = ctl[${NOPS}]
    let p = 0
    for (let i = 0; i < n; i++) {
      const f = fns[cmd[p]]
      const argc = cmd[p + 1]
      const a = cmd.subarray(p + 2, p + 2 + argc)
      f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13])
      p += 2 + argc
    }
  } catch {
    Atomics.store(ctl, ${FAILED}, 1)
  }
  Atomics.store(ctl, ${STATE}, ${DONE})
  Atomics.notify(ctl, ${STATE})
}
`

interface Helper {
  worker: Worker
  ctl: Int32Array
  cmd: Float64Array
  dead: boolean
}

let helper: Helper | null = null

function spawnHelper(k: Exports): Helper | null {
  if (helper) return helper.dead ? null : helper
  try {
    const control = new SharedArrayBuffer(16)
    const commands = new SharedArrayBuffer(CMD_DOUBLES * 8)
    const worker = new Worker(HELPER_SOURCE, {
      eval: true,
      workerData: { module: wasmModule, memory: k.memory, control, commands, ops: OPS },
      // its own small heap: it only runs wasm
      resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 }
    })
    worker.unref()
    const h: Helper = { worker, ctl: new Int32Array(control), cmd: new Float64Array(commands), dead: false }
    const kill = () => {
      h.dead = true
      Atomics.store(h.ctl, READY, 0)
    }
    worker.on('error', kill)
    worker.on('exit', kill)
    helper = h
    return h
  } catch {
    // no worker_threads here: one thread
    helper = { worker: null as unknown as Worker, ctl: new Int32Array(4), cmd: new Float64Array(0), dead: true }
    return null
  }
}

/** Stops the helper thread of this thread, if any (it also ends with its thread / process). */
export async function disposeKernelThreads(): Promise<void> {
  const h = helper
  helper = null
  if (!h || !h.worker) return
  Atomics.store(h.ctl, STATE, EXIT)
  Atomics.notify(h.ctl, STATE)
  h.dead = true
  await h.worker.terminate()
}

/** Whether a helper thread has been spawned and is up (for tests). */
export function kernelHelperAlive(): boolean {
  return !!helper && !helper.dead && Atomics.load(helper.ctl, READY) === 1
}

const stats = { splitCalls: 0, helperHalves: 0, takenBack: 0 }

/** Counters since the thread started: calls split in two halves, halves the helper ran, halves taken back. */
export function kernelThreadStats(): { helperAlive: boolean; splitCalls: number; helperHalves: number; takenBack: number } {
  return { helperAlive: kernelHelperAlive(), ...stats }
}

function runOps(k: Exports, ops: Op[]): void {
  const fns = k as unknown as Record<OpName, (...a: number[]) => void>
  for (const [name, ...args] of ops) fns[name](...args)
}

/**
 * Runs `halves[0]` here and `halves[1]` (when present) on the helper when two threads are allowed and
 * the helper is up, else here after the first. Same kernel calls either way: bit-identical results.
 */
function runHalves(k: Exports, halves: Op[][]): void {
  if (halves.length === 1) return runOps(k, halves[0])
  stats.splitCalls++
  const h = kernelThreads() === 2 ? spawnHelper(k) : null
  const ready = !!h && !h.dead && Atomics.load(h.ctl, READY) === 1 && Atomics.load(h.ctl, STATE) === IDLE
  if (!h || !ready || !encode(h, halves[1])) {
    runOps(k, halves[0])
    runOps(k, halves[1])
    return
  }
  Atomics.store(h.ctl, FAILED, 0)
  Atomics.store(h.ctl, STATE, POSTED)
  Atomics.notify(h.ctl, STATE)
  let mine: boolean
  try {
    runOps(k, halves[0])
  } finally {
    // Not picked up yet: take it back (the helper skips a job it could not claim).
    if (Atomics.compareExchange(h.ctl, STATE, POSTED, IDLE) === POSTED) {
      Atomics.notify(h.ctl, STATE)
      mine = true
    } else {
      while (Atomics.load(h.ctl, STATE) === RUNNING) waitWhile(h.ctl, STATE, RUNNING)
      // cannot fail with valid pointers; recomputed here to be safe
      mine = Atomics.load(h.ctl, FAILED) === 1
      Atomics.store(h.ctl, STATE, IDLE)
      Atomics.notify(h.ctl, STATE)
    }
  }
  if (mine) stats.takenBack++
  else stats.helperHalves++
  if (mine) runOps(k, halves[1])
}

let canBlock = true
/** Atomics.wait where this thread may block, else a spin (threads where blocking is not allowed). */
function waitWhile(ctl: Int32Array, index: number, value: number): void {
  if (canBlock) {
    try {
      Atomics.wait(ctl, index, value, 1000)
      return
    } catch {
      canBlock = false
    }
  }
  while (Atomics.load(ctl, index) === value) {
    // spin: the helper's half is at most as long as this thread's
  }
}

function encode(h: Helper, ops: Op[]): boolean {
  let p = 0
  for (const [name, ...args] of ops) {
    if (p + 2 + args.length > h.cmd.length) return false
    h.cmd[p] = OPS.indexOf(name)
    h.cmd[p + 1] = args.length
    h.cmd.set(args, p + 2)
    p += 2 + args.length
  }
  h.ctl[NOPS] = ops.length
  return true
}

/** Minimum batch and multiply-adds per call for a split (measured: README.md, "Two threads"). */
export const SPLIT_MIN_BATCH = 16
let splitMinWork = 2_000_000

/** Sets the work threshold of `batchSplit` (tests and bench/fused-throughput.ts); returns the old one. */
export function setSplitMinWork(work: number): number {
  const old = splitMinWork
  splitMinWork = work
  return old
}

/**
 * Where the batch rows are split into two halves ([0, split) and [split, B)); B when not split.
 * Depends only on the shapes (never on the thread count), so results are the same with 1 or 2 threads.
 * `work`: multiply-adds of the recurrent + input products, B·T·G·(U + D).
 */
export function batchSplit(kind: CellKind, B: number, T: number, D: number, U: number): number {
  const G = gatesOf(kind) * U
  if (B < SPLIT_MIN_BATCH || B * T * G * (U + D) < splitMinWork) return B
  const split = Math.round(B / 8) * 4 // a multiple of 4 (the matmul's row block) near B/2
  return split > 0 && split < B ? split : B
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
  // Batch rows [r0, r1): every buffer is batch-major, so a half is the same call on offset pointers.
  const half = ([r0, r1]: [number, number]): Op[] => {
    const nb = r1 - r0
    const rows = r0 * T // first (b, t) row
    const acts = pActs + rows * G * 4
    const H = pH + rows * U * 4
    const h0 = ph0 + r0 * U * 4
    const ops: Op[] = [['fillRows', acts, pb, nb * T, G, G]]
    if (sparse) ops.push(['matmulSparseA', px + rows * D * 4, pW, acts, nb * T, D, G, D, G, G])
    else ops.push(['matmul', px + rows * D * 4, pW, acts, nb * T, D, G, D, G, G, 1])
    if (kind === 'lstm') ops.push(['lstmForwardSteps', nb, T, U, pR, h0, pc0 + r0 * U * 4, acts, H, pC + rows * U * 4, pTC + rows * U * 4])
    else if (kind === 'gru') ops.push(['gruForwardSteps', nb, T, U, pR, pb + G * 4, h0, acts, H, pRH + rows * U * 4, pRZ + r0 * G * 4])
    else ops.push(['rnnForwardSteps', nb, T, U, pR, h0, acts, H])
    return ops
  }
  runHalves(k, halvesOf(kind, B, T, D, U).map(half))
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
  const nBias = s.args.bias.length
  const ranges = halvesOf(kind, B, T, D, U)
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
  // weight-gradient partials, one set per half
  const pdW = ranges.map(() => m.alloc(D * G))
  const pdR = ranges.map(() => m.alloc(U * G))
  const pdb = ranges.map(() => m.alloc(nBias))
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
  for (let i = 0; i < ranges.length; i++) {
    if (s.sparse) f.fill(0, pdW[i] >> 2, (pdW[i] >> 2) + D * G)
    f.fill(0, pdb[i] >> 2, (pdb[i] >> 2) + nBias)
  }
  k.transpose(pR, pRT, U, G, G, U)
  if (needDx) k.transpose(pW, pWT, D, G, G, D)
  const sq = seq ? 1 : 0
  const half = ([r0, r1]: [number, number], i: number): Op[] => {
    const nb = r1 - r0
    const rows = r0 * T
    const n = nb * T
    const acts = pActs + rows * G * 4
    const dG = pdG + rows * G * 4
    const dGR = pdGR + rows * G * 4
    const H = pH + rows * U * 4
    const dHh = pdH + (seq ? rows : r0) * U * 4
    const dh = pdh + r0 * U * 4
    const ops: Op[] = []
    if (kind === 'lstm')
      ops.push([
        'lstmBackwardSteps',
        nb,
        T,
        U,
        pRT,
        pc0 + r0 * U * 4,
        acts,
        pC + rows * U * 4,
        pTC + rows * U * 4,
        dHh,
        sq,
        dG,
        dh,
        pdc + r0 * U * 4
      ])
    else if (kind === 'gru')
      ops.push(['gruBackwardSteps', nb, T, U, pRT, ph0 + r0 * U * 4, acts, H, pRH + rows * U * 4, dHh, sq, dG, dGR, dh])
    else ops.push(['rnnBackwardSteps', nb, T, U, pRT, H, dHh, sq, dG, dh])
    // dW = xᵀ·dG over this half's rows
    if (s.sparse) ops.push(['matmulAtBSparse', px + rows * D * 4, dG, pdW[i], n, D, G, D, G, G])
    else
      ops.push(['transpose', px + rows * D * 4, pXT + rows * 4, n, D, D, BT], ['matmul', pXT + rows * 4, dG, pdW[i], D, n, G, BT, G, G, 0])
    // dR = H_prevᵀ·dG_rec, H_prev row (b,t) = t ? H[b,t-1] : h0[b]
    ops.push(
      ['transposeHPrev', ph0 + r0 * U * 4, H, pHT + rows * 4, nb, T, U, BT],
      ['matmul', pHT + rows * 4, dGR, pdR[i], U, n, G, BT, G, G, 0]
    )
    ops.push(['colSumAcc', dG, pdb[i], n, G, G])
    if (kind === 'gru') ops.push(['colSumAcc', dGR, pdb[i] + G * 4, n, G, G])
    if (needDx) ops.push(['matmul', dG, pWT, pdx + rows * D * 4, n, G, D, G, D, D, 0])
    return ops
  }
  runHalves(k, ranges.map(half))
  const g = new Float32Array(k.memory.buffer)
  const view = (p: number, n: number) => g.slice(p >> 2, (p >> 2) + n)
  /** Half 0 + half 1, in that order (deterministic). */
  const sum = (p: number[], n: number) => {
    const out = view(p[0], n)
    for (let i = 1; i < p.length; i++) {
      const o = p[i] >> 2
      for (let j = 0; j < n; j++) out[j] += g[o + j]
    }
    return out
  }
  return {
    dx: needDx ? view(pdx, BT * D) : new Float32Array(BT * D),
    dW: sum(pdW, D * G),
    dR: sum(pdR, U * G),
    db: sum(pdb, nBias),
    dh0: view(pdh, B * U),
    dc0: kind === 'lstm' ? view(pdc, B * U) : null
  }
}
