/** The contract's typed client for a core in this process: how the CLI and the desktop shell's own code reach it. */
import { createClient, type Client } from '../../src-shared/client'
import type { AppCore } from './app-core'

export function coreClient(core: AppCore): Client {
  return createClient({
    kind: 'local',
    invoke: (op, args) => core.dispatch(op, args),
    subscribe: (listener) => core.events.subscribe((e) => listener(e.name, e.payload))
  })
}
