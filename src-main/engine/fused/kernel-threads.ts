/**
 * How many threads the fused kernels of THIS thread may use (results never depend on it, only speed):
 * 1, 2 (this thread + one helper), 'auto' (2 when the machine has at least 2 cores) or a function
 * asked at every kernel call (the worker pool reads its busy-worker count). Default: the environment
 * variable RNN_LAB_KERNEL_THREADS (1, 2 or auto; unset = auto).
 */
import { availableParallelism } from 'node:os'

export type KernelThreads = 1 | 2
export type KernelThreadsSetting = KernelThreads | 'auto' | (() => KernelThreads)

function envSetting(): KernelThreadsSetting {
  const v = process.env.RNN_LAB_KERNEL_THREADS?.trim()
  return v === '1' ? 1 : v === '2' ? 2 : 'auto'
}

let threadSetting: KernelThreadsSetting = envSetting()

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
