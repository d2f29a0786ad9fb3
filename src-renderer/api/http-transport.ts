/**
 * Browser transport for `rnn-lab serve`: operations are `POST /api/<op>` with a JSON body, events
 * arrive over a WebSocket at `/events`, which reconnects with backoff when it drops.
 */
import type { Transport } from '../../src-shared/client'
import type { Envelope, ErrorCode } from '../../src-shared/errors'
import { HTTP_API_PREFIX, WS_EVENTS_PATH } from '../../src-shared/channels'

export interface HttpTransport extends Transport {
  /** Called after the event socket came back from a drop (events may have been missed). */
  onReconnect(cb: () => void): () => void
  /** Live connection state of the event socket. */
  onConnectionChange(cb: (connected: boolean) => void): () => void
}

type Listener = (name: string, payload: unknown) => void

const MIN_BACKOFF_MS = 500
const MAX_BACKOFF_MS = 15_000

function failure(code: ErrorCode, message: string): Envelope {
  return { ok: false, error: { code, message } }
}

function isEnvelope(value: unknown): value is Envelope {
  if (!value || typeof value !== 'object' || !('ok' in value)) return false
  const v = value as { ok: unknown; error?: unknown }
  return v.ok === true || (v.ok === false && typeof v.error === 'object' && v.error !== null)
}

export function createHttpTransport(token: string | null, origin: string = location.origin): HttpTransport {
  const listeners = new Set<Listener>()
  const reconnectCallbacks = new Set<() => void>()
  const connectionCallbacks = new Set<(connected: boolean) => void>()
  let socket: WebSocket | null = null
  let backoff = MIN_BACKOFF_MS
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let everConnected = false

  function eventsUrl(): string {
    const url = new URL(WS_EVENTS_PATH, origin)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    if (token) url.searchParams.set('token', token)
    return url.toString()
  }

  function setConnected(connected: boolean): void {
    for (const cb of connectionCallbacks) cb(connected)
  }

  function connect(): void {
    if (socket || listeners.size === 0) return
    let ws: WebSocket
    try {
      ws = new WebSocket(eventsUrl())
    } catch {
      scheduleReconnect()
      return
    }
    socket = ws
    ws.onopen = () => {
      backoff = MIN_BACKOFF_MS
      setConnected(true)
      if (everConnected) for (const cb of reconnectCallbacks) cb()
      everConnected = true
    }
    ws.onmessage = (message) => {
      let data: unknown
      try {
        data = JSON.parse(String(message.data))
      } catch {
        return
      }
      if (!data || typeof data !== 'object') return
      const { event, payload } = data as { event?: unknown; payload?: unknown }
      if (typeof event !== 'string') return
      for (const l of listeners) l(event, payload)
    }
    ws.onclose = () => {
      if (socket === ws) socket = null
      setConnected(false)
      scheduleReconnect()
    }
    ws.onerror = () => {
      /* onclose follows and schedules the retry */
    }
  }

  function scheduleReconnect(): void {
    if (retryTimer || listeners.size === 0) return
    const delay = backoff + Math.random() * backoff * 0.3
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)
    retryTimer = setTimeout(() => {
      retryTimer = null
      connect()
    }, delay)
  }

  return {
    kind: 'http',
    async invoke(op, args) {
      const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' }
      if (token) headers.Authorization = `Bearer ${token}`
      let response: Response
      try {
        response = await fetch(new URL(HTTP_API_PREFIX + op, origin), {
          method: 'POST',
          headers,
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
    },
    subscribe(listener) {
      listeners.add(listener)
      connect()
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0) {
          if (retryTimer) clearTimeout(retryTimer)
          retryTimer = null
          const ws = socket
          socket = null
          ws?.close()
        }
      }
    },
    onReconnect(cb) {
      reconnectCallbacks.add(cb)
      return () => reconnectCallbacks.delete(cb)
    },
    onConnectionChange(cb) {
      connectionCallbacks.add(cb)
      return () => connectionCallbacks.delete(cb)
    }
  }
}
