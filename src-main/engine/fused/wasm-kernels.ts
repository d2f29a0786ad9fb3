/**
 * The WebAssembly kernel backend (fallback of the native addon): the kernels of ./wasm-loader.ts and,
 * for two threads, one helper thread (./wasm-helper-thread.cjs, a `node:worker_threads` Worker spawned
 * lazily and unref'd) that instantiates the same module on the same shared memory and runs batch
 * half 1 while this thread runs half 0, synchronised with `Atomics.wait/notify` on a 16-byte
 * SharedArrayBuffer. If the helper has not picked its half up when this thread has finished its own,
 * this thread takes it back (so a slow or busy helper never delays a call). The same kernel calls run
 * either way: results are bit-identical with one or two threads.
 */
import { existsSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { OPS, encodeOps, type KernelBackend, type Op } from './kernel-ops'
import { kernelThreads } from './kernel-threads'
import { loadWasm, shippedFileCandidates, type LoadedWasm } from './wasm-loader'

/** Control words (Int32Array over a SharedArrayBuffer) and the values of STATE. */
const SLOT = { STATE: 0, READY: 1, NOPS: 2, FAILED: 3 } as const
const STATE = { IDLE: 0, POSTED: 1, RUNNING: 2, DONE: 3, EXIT: 4 } as const
const CMD_DOUBLES = 8192
const HELPER_FILE = 'wasm-helper-thread.cjs'

interface Helper {
  worker: Worker | null
  ctl: Int32Array
  cmd: Float64Array
  dead: boolean
}

let helper: Helper | null = null
const stats = { splitCalls: 0, helperHalves: 0, takenBack: 0 }

function spawnHelper(w: LoadedWasm): Helper | null {
  if (helper) return helper.dead ? null : helper
  try {
    const script = shippedFileCandidates(HELPER_FILE).find((p) => existsSync(p))
    if (!script) throw new Error(`${HELPER_FILE} not found`)
    const control = new SharedArrayBuffer(16)
    const commands = new SharedArrayBuffer(CMD_DOUBLES * 8)
    const worker = new Worker(script, {
      workerData: { module: w.module, memory: w.memory, control, commands, ops: OPS, slot: SLOT, state: STATE },
      // plain Node: no loaders of the parent (tsx would re-transform this CommonJS file)
      execArgv: [],
      // its own small heap: it only runs wasm
      resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 }
    })
    worker.unref()
    const h: Helper = { worker, ctl: new Int32Array(control), cmd: new Float64Array(commands), dead: false }
    const kill = () => {
      h.dead = true
      Atomics.store(h.ctl, SLOT.READY, 0)
    }
    worker.on('error', kill)
    worker.on('exit', kill)
    helper = h
    return h
  } catch {
    // no worker_threads (or no helper file) here: one thread
    helper = { worker: null, ctl: new Int32Array(4), cmd: new Float64Array(0), dead: true }
    return null
  }
}

/** Stops the helper thread of this thread, if any (it also ends with its thread / process). */
export async function disposeKernelThreads(): Promise<void> {
  const h = helper
  helper = null
  if (!h || !h.worker) return
  Atomics.store(h.ctl, SLOT.STATE, STATE.EXIT)
  Atomics.notify(h.ctl, SLOT.STATE)
  h.dead = true
  await h.worker.terminate()
}

/** Whether a helper thread has been spawned and is up (for tests). */
export function kernelHelperAlive(): boolean {
  return !!helper && !helper.dead && Atomics.load(helper.ctl, SLOT.READY) === 1
}

/** Counters since the thread started: calls split in two halves, halves the helper ran, halves taken back. */
export function kernelThreadStats(): { helperAlive: boolean; splitCalls: number; helperHalves: number; takenBack: number } {
  return { helperAlive: kernelHelperAlive(), ...stats }
}

function runOps(w: LoadedWasm, ops: Op[]): void {
  for (const [name, ...args] of ops) w.exports[name](...args)
}

/** Whether the helper is up and idle, and took the op list. */
function post(h: Helper | null, ops: Op[]): h is Helper {
  if (!h || h.dead || Atomics.load(h.ctl, SLOT.READY) !== 1 || Atomics.load(h.ctl, SLOT.STATE) !== STATE.IDLE) return false
  if (encodeOps(ops, h.cmd) < 0) return false
  h.ctl[SLOT.NOPS] = ops.length
  Atomics.store(h.ctl, SLOT.FAILED, 0)
  Atomics.store(h.ctl, SLOT.STATE, STATE.POSTED)
  Atomics.notify(h.ctl, SLOT.STATE)
  return true
}

/** After this thread's half: true when the posted half is still ours to run (taken back, or failed). */
function collect(h: Helper): boolean {
  if (Atomics.compareExchange(h.ctl, SLOT.STATE, STATE.POSTED, STATE.IDLE) === STATE.POSTED) {
    Atomics.notify(h.ctl, SLOT.STATE)
    stats.takenBack++
    return true
  }
  while (Atomics.load(h.ctl, SLOT.STATE) === STATE.RUNNING) waitWhile(h.ctl, SLOT.STATE, STATE.RUNNING)
  const failed = Atomics.load(h.ctl, SLOT.FAILED) === 1 // cannot fail with valid pointers
  Atomics.store(h.ctl, SLOT.STATE, STATE.IDLE)
  Atomics.notify(h.ctl, SLOT.STATE)
  if (!failed) stats.helperHalves++
  return failed
}

function runHalves(w: LoadedWasm, halves: Op[][]): void {
  if (halves.length === 1) return runOps(w, halves[0])
  stats.splitCalls++
  const h = kernelThreads() === 2 ? spawnHelper(w) : null
  if (!post(h, halves[1])) {
    runOps(w, halves[0])
    runOps(w, halves[1])
    return
  }
  let mine: boolean
  try {
    runOps(w, halves[0])
  } finally {
    mine = collect(h)
  }
  if (mine) runOps(w, halves[1])
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

let backend: KernelBackend | null | undefined

/** The WebAssembly backend of this thread, or null when the .wasm cannot be loaded (see wasmLoadError). */
export function wasmBackend(): KernelBackend | null {
  if (backend !== undefined) return backend
  const w = loadWasm()
  backend = w && {
    name: 'wasm',
    label: 'WebAssembly SIMD',
    ensure(bytes) {
      const need = bytes - w.memory.buffer.byteLength
      if (need > 0) w.memory.grow(Math.ceil(need / 65536))
    },
    f32: () => new Float32Array(w.memory.buffer),
    run: (halves) => runHalves(w, halves)
  }
  return backend
}
