/** The renderer's one client: Electron IPC when the preload bridge exists, HTTP + WebSocket otherwise. */
import { createClient, type Transport } from '../../src-shared/client'
import { createHttpTransport, type ConnectionStatus, type HttpTransport } from './http-transport'
import { createIpcTransport, getBridge } from './ipc-transport'
import { takeToken } from './token'

function pickTransport(): Transport {
  const bridge = getBridge()
  if (bridge) return createIpcTransport(bridge)
  return createHttpTransport(takeToken())
}

const transport = pickTransport()

export const client = createClient(transport)

function isHttp(t: Transport): t is HttpTransport {
  return t.kind === 'http' && 'onReconnect' in t
}

/**
 * Runs `cb` after the event stream reconnects (events may have been missed: refetch).
 * IPC never drops, so there it never fires. Returns an unsubscribe function.
 */
export function onReconnect(cb: () => void): () => void {
  return isHttp(transport) ? transport.onReconnect(cb) : () => {}
}

/** Connection state of the event stream (always connected over IPC). */
export function onConnectionChange(cb: (status: ConnectionStatus) => void): () => void {
  return isHttp(transport) ? transport.onConnectionChange(cb) : () => {}
}
