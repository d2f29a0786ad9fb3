/** The core in the CLI's own process, reached through the same typed client as the UI. */
import { createClient, type Client } from '../../src-shared/client'
import { AppCore } from '../services/app-core'
import { defaultDataDir } from '../services/data-dir'
import { TRAIN_WORKER_SCRIPT } from '../workers/worker-script'
import { connectQueue } from '../remote'

export interface LocalCore {
  core: AppCore
  client: Client
  close(): Promise<void>
}

export function openLocalCore(dataDir: string | undefined, workers = 1, queueUrl?: string): LocalCore {
  const core = new AppCore({
    dataDir: dataDir ?? defaultDataDir(),
    workerScript: TRAIN_WORKER_SCRIPT,
    workers,
    transport: 'http',
    queueUrl,
    connectQueue
  })
  const client = createClient({
    kind: 'local',
    invoke: (op, args) => core.dispatch(op, args),
    subscribe: (listener) => core.events.subscribe((e) => listener(e.name, e.payload))
  })
  return { core, client, close: () => core.close() }
}
