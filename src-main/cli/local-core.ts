/** The core in the CLI's own process, reached through the same typed client as the UI. */
import { resolve } from 'node:path'
import { createClient, type Client } from '../../src-shared/client'
import { AppCore } from '../services/app-core'
import { defaultDataDir } from '../services/data-dir'
import type { GrantAccess } from '../services/path-grants'
import { TRAIN_WORKER_SCRIPT } from '../workers/worker-script'

export interface LocalCore {
  core: AppCore
  client: Client
  /**
   * A path typed on the command line, granted: the person at the terminal chose it, as in a dialog.
   * Operations take the grant id, so the CLI goes through the same checks as the desktop and `serve`.
   */
  grant(path: string, access: GrantAccess): string
  close(): Promise<void>
}

export function openLocalCore(dataDir: string | undefined, workers = 1): LocalCore {
  const core = new AppCore({ dataDir: dataDir ?? defaultDataDir(), workerScript: TRAIN_WORKER_SCRIPT, workers, transport: 'http' })
  const client = createClient({
    kind: 'local',
    invoke: (op, args) => core.dispatch(op, args),
    subscribe: (listener) => core.events.subscribe((e) => listener(e.name, e.payload))
  })
  return { core, client, grant: (path, access) => core.grants.register(resolve(path), access), close: () => core.close() }
}
