/**
 * Backend selection: tfjs-node-gpu (CUDA) → tfjs-node → wasm → cpu. The native packages are optional
 * and may be missing or fail to load; every backend tried or skipped is reported with its reason and
 * stored with the run. Native backends load in one long-lived worker only (tfjs issue 8388).
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type * as TF from '@tensorflow/tfjs'
import type { BackendAttempt, BackendName, BackendReport } from '../../src-shared/domain'

export type Tfjs = typeof TF

export const BACKEND_ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']

const NATIVE_PACKAGES: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node'
}

/** Loads a package by name; tests replace it to simulate missing or broken native packages. */
export type ModuleLoader = (name: string) => Promise<unknown>

const nodeRequire = createRequire(import.meta.url)
export const defaultLoader: ModuleLoader = async (name) => nodeRequire(name)

export interface SelectOptions {
  /** False in every worker but the first: tfjs-node loads in one worker per process only. */
  allowNative: boolean
  /** Restrict to these backends (e.g. ['cpu'] in tests, or a user's choice). */
  only?: BackendName[]
  loader?: ModuleLoader
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err)
  return msg.split('\n')[0].slice(0, 300)
}

async function tryNative(tf: Tfjs, name: 'tensorflow-gpu' | 'tensorflow', loader: ModuleLoader): Promise<string> {
  const pkg = NATIVE_PACKAGES[name]
  try {
    await loader(pkg)
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') throw new Error(`${pkg} is not installed`, { cause: err })
    throw new Error(`${pkg} failed to load: ${firstLine(err)}`, { cause: err })
  }
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${pkg} loaded but its backend did not initialise`)
  return name === 'tensorflow-gpu' ? `${pkg} loaded (CUDA)` : `${pkg} loaded (native CPU)`
}

async function tryWasm(tf: Tfjs, loader: ModuleLoader): Promise<string> {
  const wasm = (await loader('@tensorflow/tfjs-backend-wasm')) as typeof import('@tensorflow/tfjs-backend-wasm')
  const dist = join(dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/'
  wasm.setWasmPaths(dist)
  // One thread per worker: the pool runs several workers side by side.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise')
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')
  return `WebAssembly${simd ? ' with SIMD' : ''}, one thread`
}

export async function selectBackend(tf: Tfjs, options: SelectOptions): Promise<BackendReport> {
  const loader = options.loader ?? defaultLoader
  const attempts: BackendAttempt[] = []
  let selected: BackendName | null = null
  for (const backend of BACKEND_ORDER) {
    if (selected) {
      attempts.push({ backend, status: 'skipped', reason: `not needed: ${selected} comes first and works` })
      continue
    }
    if (options.only && !options.only.includes(backend)) {
      attempts.push({ backend, status: 'skipped', reason: 'not among the backends allowed for this run' })
      continue
    }
    try {
      let reason: string
      if (backend === 'tensorflow-gpu' || backend === 'tensorflow') {
        if (!options.allowNative) {
          attempts.push({
            backend,
            status: 'skipped',
            reason: 'native TensorFlow loads in the first worker only (tfjs issue 8388)'
          })
          continue
        }
        reason = await tryNative(tf, backend, loader)
      } else if (backend === 'wasm') {
        reason = await tryWasm(tf, loader)
      } else {
        if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise')
        reason = 'pure JavaScript, always available'
      }
      await tf.ready()
      attempts.push({ backend, status: 'used', reason })
      selected = backend
    } catch (err) {
      const message = firstLine(err)
      attempts.push({ backend, status: message.endsWith('is not installed') ? 'skipped' : 'failed', reason: message })
    }
  }
  if (!selected) throw new Error(`No tfjs backend could be loaded: ${attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ')}`)
  return { selected, attempts, tfjsVersion: tf.version.tfjs, kernels: 'not checked' }
}
