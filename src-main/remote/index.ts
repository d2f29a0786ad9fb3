/** The queue behind a URL, as the core's port: what the front ends hand the core (CoreOptions.connectQueue). */
import type { RemotePort } from '../services/remote-port'
import { checkQueueUrl } from './redis-connection'
import { RemoteRunner } from './remote-runner'

export function connectQueue(url: string): RemotePort {
  return new RemoteRunner(checkQueueUrl(url))
}

export { checkReachable } from './redis-connection'
