/** The core in the CLI's own process, reached only through the contract's typed client, as the UI reaches it. */
import { createClient, type Client } from '../../src-shared/client'
import { AppCore } from '../services/app-core'
import { defaultDataDir } from '../services/data-dir'
import { TRAIN_WORKER_SCRIPT } from '../workers/worker-script'

/** Opens the core on the data folder, runs `fn` with its client, and always closes the core. */
export async function withLocalCore<T>(dataDir: string | undefined, fn: (client: Client) => Promise<T>, workers = 1): Promise<T> {
  const core = new AppCore({ dataDir: dataDir ?? defaultDataDir(), workerScript: TRAIN_WORKER_SCRIPT, workers, transport: 'http' })
  const client = createClient({
    kind: 'local',
    invoke: (op, args) => core.dispatch(op, args),
    subscribe: (listener) => core.events.subscribe((e) => listener(e.name, e.payload))
  })
  try {
    return await fn(client)
  } finally {
    await core.close()
  }
}
