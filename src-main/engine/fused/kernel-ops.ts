/**
 * What the fused kernels compute, independent of where they run: the kernel calls (ops), their
 * encoding as a flat Float64Array (read by the wasm helper thread and by the native addon), and the
 * interface of a kernel backend (the native addon, ./native-kernels.ts, or WebAssembly,
 * ./wasm-kernels.ts). Pointers are byte offsets into the backend's linear memory.
 */
export type CellKind = 'lstm' | 'gru' | 'rnn'

export function gatesOf(kind: CellKind): number {
  return kind === 'lstm' ? 4 : kind === 'gru' ? 3 : 1
}

/**
 * The kernel calls, in opcode order (kernels/rnn.ts exports, native/src/kernels.h `exec`). The
 * training-step ops at the end exist in the native kernels only (./native-train-step.ts).
 */
export const OPS = [
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
  'rnnBackwardSteps',
  // training-step ops (native only: native/src/train_kernels.h)
  'softmaxXent',
  'mseLoss',
  'adam',
  'addInto',
  'zero',
  'matmulAtB',
  'hPrevRows',
  'gatherRowsAdd',
  'scatterRowsAdd'
] as const
export type OpName = (typeof OPS)[number]
/** One kernel call: name and arguments. */
export type Op = [OpName, ...number[]]

/**
 * Writes `ops` as [opcode, argc, ...args] from `at` in `into`; returns the end position, or -1 when
 * they do not fit.
 */
export function encodeOps(ops: Op[], into: Float64Array, at = 0): number {
  let p = at
  for (const [name, ...args] of ops) {
    if (p + 2 + args.length > into.length) return -1
    into[p] = OPS.indexOf(name)
    into[p + 1] = args.length
    into.set(args, p + 2)
    p += 2 + args.length
  }
  return p
}

/** Floats needed to encode `ops`. */
export function encodedLength(ops: Op[]): number {
  let n = 0
  for (const op of ops) n += op.length + 1
  return n
}

/** A place to run kernel calls: one linear memory and a runner of batch halves. */
export interface KernelBackend {
  readonly name: 'native' | 'wasm'
  /** E.g. 'native AVX-512' or 'WebAssembly SIMD'. */
  readonly label: string
  /** Makes the memory at least `bytes` long (contents kept). */
  ensure(bytes: number): void
  /** A view of the whole memory (invalid after `ensure`). */
  f32(): Float32Array
  /**
   * Runs the ops of `halves[0]` and then (or, with two threads, at the same time) `halves[1]`: the
   * halves must touch disjoint memory except what both only read.
   */
  run(halves: Op[][]): void
}
