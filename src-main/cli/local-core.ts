/** The core in the CLI's own process, reached only through the contract's typed client, as the UI reaches it. */
import { resolve } from 'node:path'
import type { Client } from '../../src-shared/client'
import { connectQueue } from '../remote'
import { AppCore } from '../services/app-core'
import { coreClient } from '../services/core-client'
import { defaultDataDir } from '../services/data-dir'
import type { GrantAccess } from '../services/path-grants'
import { TRAIN_WORKER_SCRIPT } from '../workers/worker-script'

/**
 * A path typed on the command line, granted: the person at the terminal chose it, as in a dialog.
 * Operations take the grant id, so the CLI goes through the same checks as the desktop and `serve`.
 */
export type Grant = (path: string, access: GrantAccess) => string

export interface LocalCoreOptions {
  /** Training threads of this process (default 1). */
  workers?: number
  /** The queue of remote workers (`--queue URL`) for this session; the saved one otherwise. */
  queueUrl?: string
}

/** Opens the core on the data folder, runs `fn` with its client, and always closes the core. */
export async function withLocalCore<T>(
  dataDir: string | undefined,
  fn: (client: Client, grant: Grant) => Promise<T>,
  options: LocalCoreOptions = {}
): Promise<T> {
  const core = new AppCore({
    dataDir: dataDir ?? defaultDataDir(),
    workerScript: TRAIN_WORKER_SCRIPT,
    workers: options.workers ?? 1,
    queueUrl: options.queueUrl,
    connectQueue
  })
  const client = coreClient(core)
  try {
    return await fn(client, (path, access) => core.grants.register(resolve(path), access))
  } finally {
    await core.close()
  }
}
