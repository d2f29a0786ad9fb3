/**
 * The native kernel backend: `native/build/Release/rnn_kernels.node` (C, Node-API, built by
 * node-gyp at `npm ci` through scripts/build-native.mjs; sources in native/src/). The same kernel
 * calls as the WebAssembly module (./kernel-ops.ts), compiled for AVX-512, AVX2 + FMA and the
 * baseline, chosen at load from the CPU. Its memory is an ArrayBuffer owned here; with two threads the
 * addon runs batch half 1 on its own helper pthread (one per JS thread) while this thread runs half 0.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { encodeOps, encodedLength, type KernelBackend, type Op } from './kernel-ops'
import { kernelThreads } from './kernel-threads'

interface Addon {
  run(memory: ArrayBuffer, cmd: Float64Array, n0: number, n1: number, threads: number): void
  isa(): string
  setIsa(name: string): string
}

const ADDON = 'rnn_kernels.node'
const BUILD = join('native', 'build', 'Release', ADDON)

/** Project roots to look in: from this file (source tree or out/main), the packaged app, cwd. */
function candidates(): string[] {
  const paths: string[] = []
  if (process.env.RNN_LAB_NATIVE_KERNELS) paths.push(process.env.RNN_LAB_NATIVE_KERNELS)
  // tests: only the given path, as on a machine where the build failed
  if (process.env.RNN_LAB_NATIVE_SEARCH === 'env-only') return paths
  const here = (() => {
    try {
      return dirname(fileURLToPath(import.meta.url))
    } catch {
      return typeof __dirname === 'string' ? __dirname : null
    }
  })()
  if (here) for (const up of ['../../..', '../..', '../../../..']) paths.push(join(here, up, BUILD))
  const resources = (process as { resourcesPath?: string }).resourcesPath
  if (resources) paths.push(join(resources, 'app.asar.unpacked', BUILD))
  paths.push(join(process.cwd(), BUILD))
  return paths
}

/** Why the last build failed (written by scripts/build-native.mjs), if it says. */
function buildFailure(): string | null {
  for (const p of candidates()) {
    const status = join(dirname(dirname(p)), 'status.json')
    if (!existsSync(status)) continue
    try {
      const s = JSON.parse(readFileSync(status, 'utf8')) as { ok?: boolean; reason?: string }
      if (s.ok === false && s.reason) return s.reason
    } catch {
      // unreadable: say nothing
    }
  }
  return null
}

let addon: Addon | null | undefined
let loadError: string | null = null

/** The addon, or null (with `nativeLoadError()`): not built, RNN_LAB_KERNELS=wasm, or load failure. */
export function loadNative(): Addon | null {
  if (addon !== undefined) return addon
  addon = null
  if (process.env.RNN_LAB_KERNELS?.trim() === 'wasm') {
    loadError = 'RNN_LAB_KERNELS=wasm'
    return null
  }
  const path = candidates().find((p) => existsSync(p))
  if (!path) {
    loadError = `${ADDON} not built (${buildFailure() ?? 'run npm ci, or node scripts/build-native.mjs'})`
    return null
  }
  try {
    const m = { exports: {} as Addon }
    process.dlopen(m, path)
    addon = m.exports
  } catch (err) {
    loadError = `${ADDON}: ${err instanceof Error ? err.message : String(err)}`
  }
  return addon
}

export function nativeLoadError(): string | null {
  return loadError
}

const ISA_LABEL: Record<string, string> = { avx512: 'AVX-512', avx2: 'AVX2 + FMA', base: 'baseline SIMD' }

let backend: KernelBackend | null | undefined

/** The native backend of this thread (shared by the fused layers), or null (see nativeLoadError). */
export function nativeBackend(): KernelBackend | null {
  if (backend === undefined) backend = createNativeBackend()
  return backend
}

/** A native backend with its own memory (a sampler keeps its weights there between calls), or null. */
export function createNativeBackend(): KernelBackend | null {
  const a = loadNative()
  if (!a) return null
  let memory = new ArrayBuffer(1 << 20)
  let cmd = new Float64Array(1024)
  return {
    name: 'native',
    get label() {
      return `native ${ISA_LABEL[a.isa()] ?? a.isa()}`
    },
    ensure(bytes) {
      if (bytes <= memory.byteLength) return
      const grown = new ArrayBuffer(Math.ceil((bytes * 1.25) / (1 << 20)) << 20)
      new Uint8Array(grown).set(new Uint8Array(memory))
      memory = grown
    },
    f32: () => new Float32Array(memory),
    run(halves: Op[][]) {
      const need = halves.reduce((n, h) => n + encodedLength(h), 0)
      if (need > cmd.length) cmd = new Float64Array(need * 2)
      const end0 = encodeOps(halves[0], cmd)
      if (halves.length > 1) encodeOps(halves[1], cmd, end0)
      a.run(memory, cmd, halves[0].length, halves[1]?.length ?? 0, kernelThreads())
    }
  }
}

/** Switches the native kernels to a lower instruction set ('base', 'avx2'; tests); returns the one in use. */
export function setNativeIsa(name: 'base' | 'avx2' | 'best'): string | null {
  return loadNative()?.setIsa(name) ?? null
}
