/** Electron transport: wraps the bridge that the preload exposes as `window.rnnLab`. */
import type { Transport } from '../../src-shared/client'
import type { Envelope } from '../../src-shared/errors'

export interface RnnLabBridge {
  invoke(op: string, args: unknown): Promise<Envelope>
  subscribe(listener: (name: string, payload: unknown) => void): () => void
  /** A read grant for a dropped or picked file (never its path); null when it has no path on disk. */
  grantForFile?(file: File): Promise<{ grant: string; name: string } | null>
}

declare global {
  interface Window {
    rnnLab?: RnnLabBridge
  }
}

export function getBridge(): RnnLabBridge | null {
  return typeof window !== 'undefined' && window.rnnLab ? window.rnnLab : null
}

export function createIpcTransport(bridge: RnnLabBridge): Transport {
  return {
    kind: 'ipc',
    invoke: (op, args) => bridge.invoke(op, args),
    subscribe: (listener) => bridge.subscribe(listener)
  }
}
