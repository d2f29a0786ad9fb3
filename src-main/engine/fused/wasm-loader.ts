/**
 * Loads the WebAssembly kernels (`rnn-kernels.wasm`, AssemblyScript + SIMD, sources in ./kernels/rnn.ts,
 * built by scripts/build-kernels.mjs) on a shared `WebAssembly.Memory`, one instance per thread.
 * Synchronous (`fs.readFileSync` + `new WebAssembly.Module/Instance`, allowed in Node on any thread)
 * because tfjs layers' `call` is synchronous. Also finds the other files shipped beside it.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The slice of the WebAssembly API used here (the node tsconfig has no DOM / WebAssembly lib types). */
export interface WasmMemory {
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
const WASM_FILE = 'rnn-kernels.wasm'

/** Where a file shipped beside this module may be: source tree, bundle, packaged app, cwd. */
export function shippedFileCandidates(file: string, envOverride?: string): string[] {
  const paths: string[] = []
  if (envOverride) paths.push(envOverride)
  try {
    paths.push(join(dirname(fileURLToPath(import.meta.url)), file))
  } catch {
    // no import.meta.url (bundled CJS without the shim)
  }
  if (typeof __dirname === 'string') paths.push(join(__dirname, file))
  const resources = (process as { resourcesPath?: string }).resourcesPath
  if (resources) paths.push(join(resources, file))
  paths.push(join(process.cwd(), 'src-main/engine/fused', file))
  return paths
}

export interface LoadedWasm {
  module: object
  memory: WasmMemory
  /** The kernels by name (see ./kernel-ops.ts OPS), pointers as byte offsets into `memory`. */
  exports: Record<string, (...args: number[]) => void>
}

let loaded: LoadedWasm | null | undefined
let loadError: string | null = null

/** The wasm kernels of this thread, or null (with `wasmLoadError()`) when they cannot be loaded. */
export function loadWasm(): LoadedWasm | null {
  if (loaded !== undefined) return loaded
  loaded = null
  try {
    const path = shippedFileCandidates(WASM_FILE, process.env.RNN_LAB_FUSED_WASM).find((p) => existsSync(p))
    if (!path) throw new Error(`${WASM_FILE} not found (run node scripts/build-kernels.mjs)`)
    const module = new WASM.Module(readFileSync(path))
    const memory = new WASM.Memory({ initial: 1, maximum: MAX_PAGES, shared: true })
    const exports = new WASM.Instance(module, { env: { memory } }).exports as LoadedWasm['exports']
    loaded = { module, memory, exports }
  } catch (err) {
    loadError = err instanceof Error ? err.message : String(err)
  }
  return loaded
}

export function wasmLoadError(): string | null {
  return loadError
}
