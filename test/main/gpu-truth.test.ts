/**
 * The CUDA decision as a pure function, with CUDA mocked (no GPU or CUDA libraries exist here): a
 * run is named CUDA only when tfjs-node-gpu's backend uses a GPU device; otherwise the reason names
 * what was missing. The library scan runs for real (it finds none here, or some on a CUDA machine).
 */
import { describe, expect, it } from 'vitest'
import { CUDA_LIBRARIES, findCudaLibraries, gpuVerdict } from '../../src-main/engine/gpu-truth'

const all = (path: string | null) => Object.fromEntries(CUDA_LIBRARIES.map((l) => [l, path]))

describe('GPU truth (CUDA mocked)', () => {
  it('mocked CUDA: CUDA only when the backend reports a GPU device', () => {
    expect(gpuVerdict({ packageLoaded: true, usingGpuDevice: true, libraries: all('/x') })).toEqual({
      cuda: true,
      reason: 'CUDA: TensorFlow placed ops on a GPU device'
    })
  })

  it('mocked CUDA: loaded but on the CPU names the missing libraries and the versions needed', () => {
    const v = gpuVerdict({ packageLoaded: true, usingGpuDevice: false, libraries: { ...all('/x'), 'libcudnn.so.8': null } })
    expect(v.cuda).toBe(false)
    expect(v.reason).toBe(
      'tfjs-node-gpu runs on the CPU: missing libcudnn.so.8 (needs CUDA 11.2 and cuDNN 8.1 (tfjs-node-gpu 4.22, libtensorflow 2.9.1))'
    )
  })

  it('mocked CUDA: all libraries present but no device says so', () => {
    const v = gpuVerdict({ packageLoaded: true, usingGpuDevice: false, libraries: all('/x') })
    expect(v.cuda).toBe(false)
    expect(v.reason).toMatch(/no usable GPU device/)
  })

  it('mocked CUDA: a package that is not loaded, or a backend that does not say, is never CUDA', () => {
    expect(gpuVerdict({ packageLoaded: false, usingGpuDevice: true, libraries: all('/x') }).cuda).toBe(false)
    expect(gpuVerdict({ packageLoaded: true, usingGpuDevice: undefined, libraries: all('/x') }).cuda).toBe(false)
  })

  it('scans for every library tfjs-node-gpu 4.22 needs', () => {
    const found = findCudaLibraries()
    expect(Object.keys(found).sort()).toEqual([...CUDA_LIBRARIES].sort())
  })
})
