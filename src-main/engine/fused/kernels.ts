/**
 * Which kernel backend the fused layers use: the native addon (./native-kernels.ts) when it loads,
 * else WebAssembly (./wasm-kernels.ts); RNN_LAB_KERNELS=wasm (or `setKernelBackend('wasm')`) forces
 * WebAssembly. Both run the same kernel calls with the same memory layout.
 */
import type { KernelBackend } from './kernel-ops'
import { nativeBackend, nativeLoadError } from './native-kernels'
import { wasmBackend } from './wasm-kernels'
import { wasmLoadError } from './wasm-loader'

export type KernelChoice = 'auto' | 'native' | 'wasm'

let choice: KernelChoice = 'auto'

/** 'auto' (native, else wasm), 'native' (none when it does not load) or 'wasm'. Per thread. */
export function setKernelBackend(c: KernelChoice): void {
  choice = c
}

/** The kernels of this thread, or null (with `kernelLoadError()`) when none can be loaded. */
export function loadKernels(): KernelBackend | null {
  if (choice !== 'wasm') {
    const native = nativeBackend()
    if (native || choice === 'native') return native
  }
  return wasmBackend()
}

/** Why no kernels load (null when some do). */
export function kernelLoadError(): string | null {
  if (loadKernels()) return null
  return [nativeLoadError() && `native: ${nativeLoadError()}`, wasmLoadError() && `wasm: ${wasmLoadError()}`].filter(Boolean).join('; ')
}

/** One line for doctor, Settings and the run record: what serves, and why native does not if so. */
export function kernelsDescription(): string {
  const k = loadKernels()
  if (!k) return `tfjs ops: ${kernelLoadError() ?? 'kernels unavailable'}`
  if (k.name === 'native') return `fused ${k.label} kernels`
  const why = choice === 'wasm' ? 'chosen' : (nativeLoadError() ?? 'not loaded')
  return `fused ${k.label} kernels (native kernels: ${why})`
}
