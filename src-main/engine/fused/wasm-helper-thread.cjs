// @ts-check
/**
 * The helper thread of the WebAssembly kernels (spawned by ./wasm-kernels.ts): instantiates the same
 * WebAssembly.Module on the same shared memory as its owner, then runs the batch half it is posted,
 * synchronised through Atomics on a small control buffer. Plain CommonJS so that it runs as a worker
 * as is under tsx, vitest and the bundled app (shipped beside rnn-kernels.wasm).
 *
 * workerData: { module, memory, control: SharedArrayBuffer (Int32Array), commands: SharedArrayBuffer
 * (Float64Array of [opcode, argc, ...args] per call), ops: kernel names by opcode, slot: indices of
 * the control words, state: the values of the STATE word }.
 */
const { workerData } = require('node:worker_threads')

const { module: wasmModule, memory, control, commands, ops, slot, state } = workerData
const exp = new WebAssembly.Instance(wasmModule, { env: { memory } }).exports
const fns = ops.map((/** @type {string} */ name) => exp[name])
const ctl = new Int32Array(control)
const cmd = new Float64Array(commands)

/** Runs the posted op list. */
function runJob() {
  const n = ctl[slot.NOPS]
  let p = 0
  for (let i = 0; i < n; i++) {
    const argc = cmd[p + 1]
    fns[cmd[p]](...cmd.subarray(p + 2, p + 2 + argc))
    p += 2 + argc
  }
}

Atomics.store(ctl, slot.READY, 1)
for (;;) {
  Atomics.wait(ctl, slot.STATE, state.IDLE)
  const s = Atomics.load(ctl, slot.STATE)
  if (s === state.EXIT) break
  if (s !== state.POSTED) {
    // DONE: wait until the owner has collected it (IDLE again)
    if (s !== state.IDLE) Atomics.wait(ctl, slot.STATE, s, 5)
    continue
  }
  // the owner may have taken it back in between
  if (Atomics.compareExchange(ctl, slot.STATE, state.POSTED, state.RUNNING) !== state.POSTED) continue
  try {
    runJob()
  } catch {
    Atomics.store(ctl, slot.FAILED, 1)
  }
  Atomics.store(ctl, slot.STATE, state.DONE)
  Atomics.notify(ctl, slot.STATE)
}
