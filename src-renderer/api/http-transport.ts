/**
 * Browser transport for `rnn-lab serve`: operations are `POST /api/<op>` with a JSON body; events come
 * from the EventSocket (`/events`, reconnecting, with the reason when it cannot).
 */
import type { Transport } from '../../src-shared/client'
import type { Envelope, ErrorCode } from '../../src-shared/errors'
import { HTTP_API_PREFIX } from '../../src-shared/channels'
import { authHeaders, EventSocket, type ConnectionStatus } from './event-socket'

export type { ConnectionStatus } from './event-socket'

export interface HttpTransport extends Transport {
  /** Called after the event socket came back from a drop (events may have been missed). */
  onReconnect(cb: () => void): () => void
  /** Live connection state of the event socket. */
  onConnectionChange(cb: (status: ConnectionStatus) => void): () => void
}

function failure(code: ErrorCode, message: string): Envelope {
  return { ok: false, error: { code, message } }
}

function isEnvelope(value: unknown): value is Envelope {
  if (!value || typeof value !== 'object' || !('ok' in value)) return false
  const v = value as { ok: unknown; error?: unknown }
  return v.ok === true || (v.ok === false && typeof v.error === 'object' && v.error !== null)
}

/** One operation over HTTP: the server's envelope, or a failure that says what went wrong on the way. */
async function postOperation(origin: string, token: string | null, op: string, args: unknown): Promise<Envelope> {
  let response: Response
  try {
    response = await fetch(new URL(HTTP_API_PREFIX + op, origin), {
      method: 'POST',
      headers: authHeaders(token),
      body: JSON.stringify(args ?? {}),
      credentials: 'same-origin'
    })
  } catch (err) {
    return failure('INTERNAL', `Cannot reach the RNN Lab server (${err instanceof Error ? err.message : String(err)})`)
  }
  const text = await response.text().catch(() => '')
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  if (isEnvelope(body)) return body
  const code: ErrorCode = response.status === 401 || response.status === 403 ? 'UNAUTHORIZED' : 'INTERNAL'
  const hint = code === 'UNAUTHORIZED' ? ' — open the link printed by `rnn-lab serve` again' : ''
  return failure(code, `HTTP ${response.status} ${response.statusText} from /api/${op}${hint}`.trim())
}

export function createHttpTransport(token: string | null, origin: string = location.origin): HttpTransport {
  const events = new EventSocket(token, origin)
  return {
    kind: 'http',
    invoke: (op, args) => postOperation(origin, token, op, args),
    subscribe: (listener) => events.subscribe(listener),
    onReconnect(cb) {
      events.reconnectCallbacks.add(cb)
      return () => events.reconnectCallbacks.delete(cb)
    },
    onConnectionChange(cb) {
      events.connectionCallbacks.add(cb)
      return () => events.connectionCallbacks.delete(cb)
    }
  }
}
