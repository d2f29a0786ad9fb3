/**
 * GPU truth for @tensorflow/tfjs-node-gpu: the package can load and still run on the CPU, because
 * TensorFlow falls back silently when the CUDA / cuDNN libraries it was built against are missing.
 * tfjs-node's backend says whether it really placed ops on a GPU device (`isUsingGpuDevice`, set from
 * the binding at start); a run is named CUDA only then, otherwise the reason names what was missing.
 *
 * tfjs-node-gpu 4.22 downloads libtensorflow 2.9.1, built against CUDA 11.2 and cuDNN 8.1 (Linux x64).
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/** The shared libraries TensorFlow 2.9 (tfjs-node-gpu 4.22) opens for CUDA 11.2 / cuDNN 8.1. */
export const CUDA_LIBRARIES = [
  'libcudart.so.11.0',
  'libcublas.so.11',
  'libcublasLt.so.11',
  'libcufft.so.10',
  'libcurand.so.10',
  'libcusolver.so.11',
  'libcusparse.so.11',
  'libcudnn.so.8'
] as const
export const CUDA_NEEDED = 'CUDA 11.2 and cuDNN 8.1 (tfjs-node-gpu 4.22, libtensorflow 2.9.1)'

export interface GpuFacts {
  /** Whether @tensorflow/tfjs-node-gpu loaded and its backend initialised. */
  packageLoaded: boolean
  /** The backend's `isUsingGpuDevice` (undefined when it does not say). */
  usingGpuDevice: boolean | undefined
  /** Library name → path found, or null (see `findCudaLibraries`). */
  libraries: Record<string, string | null>
}

export interface GpuVerdict {
  cuda: boolean
  reason: string
}

/** Pure: whether a run on tfjs-node-gpu really uses CUDA, and why not. */
export function gpuVerdict(f: GpuFacts): GpuVerdict {
  if (!f.packageLoaded) return { cuda: false, reason: '@tensorflow/tfjs-node-gpu is not loaded' }
  if (f.usingGpuDevice === true) return { cuda: true, reason: 'CUDA: TensorFlow placed ops on a GPU device' }
  const missing = Object.entries(f.libraries)
    .filter(([, path]) => !path)
    .map(([name]) => name)
  const why = missing.length
    ? `missing ${missing.join(', ')} (needs ${CUDA_NEEDED})`
    : f.usingGpuDevice === false
      ? `no usable GPU device (driver or GPU missing, or libraries of other versions; needs ${CUDA_NEEDED})`
      : 'the backend does not say whether it uses a GPU'
  return { cuda: false, reason: `tfjs-node-gpu runs on the CPU: ${why}` }
}

const LIBRARY_DIRS = ['/usr/local/cuda/lib64', '/usr/local/cuda-11.2/lib64', '/usr/lib/x86_64-linux-gnu', '/usr/lib64']

/** Where each CUDA library is: `ldconfig -p`, then LD_LIBRARY_PATH and the usual folders. */
export function findCudaLibraries(): Record<string, string | null> {
  let cache = ''
  try {
    cache = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch {
    // no ldconfig (not Linux)
  }
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), ...LIBRARY_DIRS]
  const found: Record<string, string | null> = {}
  for (const lib of CUDA_LIBRARIES) {
    const line = cache.split('\n').find((l) => l.trim().startsWith(`${lib} `))
    found[lib] = line?.split('=>')[1]?.trim() ?? dirs.map((d) => `${d}/${lib}`).find((p) => existsSync(p)) ?? null
  }
  return found
}
