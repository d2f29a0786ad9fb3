import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BackendName } from '../../src-shared/domain'
import { afterEach } from 'vitest'
import type { Envelope } from '../../src-shared/errors'
import { AppCore } from '../../src-main/services/app-core'

export const WORKER_BOOTSTRAP = new URL('./train-worker-bootstrap.mjs', import.meta.url)

export function tempDir(prefix = 'rnn-lab-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A real core on a real SQLite file in a temp folder, with real training workers. */
export function testCore(
  dataDir: string,
  options: {
    workers?: number
    backends?: BackendName[]
    checkpointSeconds?: number
    freeMemory?: () => number
  } = {}
): AppCore {
  return new AppCore({
    dataDir,
    workerScript: WORKER_BOOTSTRAP,
    workerExecArgv: [],
    workers: options.workers ?? 1,
    backends: options.backends ?? ['wasm'],
    checkpointSeconds: options.checkpointSeconds,
    freeMemory: options.freeMemory
  })
}

/** The result of a dispatched call, or a thrown Error with its code and message. */
export async function ok<T>(p: Promise<Envelope>): Promise<T> {
  const e = await p
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`)
  return e.result as T
}

/** Clean-ups run after each test, newest first (register with `teardown.push`). */
export function useTeardown(): (() => Promise<void>)[] {
  const list: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const t of list.splice(0).reverse()) await t()
  })
  return list
}
