/**
 * Browser transport for `rnn-lab serve`: operations are `POST /api/<op>` with a JSON body, events
 * arrive over a WebSocket at `/events`, which reconnects with backoff when it drops. When it drops,
 * a probe tells why: the server refuses this page's token (restarted with `--new-token`: retrying is
 * pointless, the page says so) or does not answer at all (stopped, or back on another port).
 */
import type { Transport } from '../../src-shared/client'
import type { Envelope, ErrorCode } from '../../src-shared/errors'
import { HTTP_API_PREFIX, WS_EVENTS_PATH } from '../../src-shared/channels'

/** `token-refused`: the server answers 401 to this page; `unreachable`: no answer for a few tries. */
export type ConnectionStatus = 'connected' | 'reconnecting' | 'token-refused' | 'unreachable'

export interface HttpTransport extends Transport {
  /** Called after the event socket came back from a drop (events may have been missed). */
  onReconnect(cb: () => void): () => void
  /** Live connection state of the event socket. */
  onConnectionChange(cb: (status: ConnectionStatus) => void): () => void
}

type Listener = (name: string, payload: unknown) => void

const MIN_BACKOFF_MS = 500
const MAX_BACKOFF_MS = 15_000
/** Failed probes in a row before the page says the server is not answering. */
const UNREACHABLE_AFTER = 3

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
  const connectionCallbacks = new Set<(status: ConnectionStatus) => void>()
  let socket: WebSocket | null = null
  let backoff = MIN_BACKOFF_MS
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let everConnected = false
  let failedProbes = 0

  function eventsUrl(): string {
    const url = new URL(WS_EVENTS_PATH, origin)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    if (token) url.searchParams.set('token', token)
    return url.toString()
  }

  function setStatus(status: ConnectionStatus): void {
    for (const cb of connectionCallbacks) cb(status)
  }

  function authHeaders(): Record<string, string> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' }
    if (token) headers.Authorization = `Bearer ${token}`
    return headers
  }

  /** Why the socket is down: the token is refused (401), the server is silent, or just a drop. */
  async function probe(): Promise<'token-refused' | 'silent' | 'answering'> {
    try {
      const r = await fetch(new URL(HTTP_API_PREFIX + 'app.info', origin), {
        method: 'POST',
        headers: authHeaders(),
        body: '{}',
        credentials: 'same-origin'
      })
      return r.status === 401 ? 'token-refused' : 'answering'
    } catch {
      return 'silent'
    }
  }

  async function diagnose(): Promise<void> {
    const found = await probe()
    if (found === 'token-refused') return setStatus('token-refused') // retrying cannot help
    failedProbes = found === 'silent' ? failedProbes + 1 : 0
    setStatus(failedProbes >= UNREACHABLE_AFTER ? 'unreachable' : 'reconnecting')
    scheduleReconnect()
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
      failedProbes = 0
      setStatus('connected')
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
      if (listeners.size > 0) void diagnose()
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
      const headers = authHeaders()
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
