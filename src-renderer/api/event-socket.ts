/**
 * The browser's event stream from `rnn-lab serve`: a WebSocket at `/events` that reconnects with backoff
 * when it drops. When it drops, a probe tells why: the server refuses this page's token (restarted with
 * `--new-token`: retrying is pointless, the page says so) or does not answer at all (stopped, or back on
 * another port). Open while anyone listens; closed when the last listener leaves.
 */
import { HTTP_API_PREFIX, WS_EVENTS_PATH } from '../../src-shared/channels'

/** `token-refused`: the server answers 401 to this page; `unreachable`: no answer for a few tries. */
export type ConnectionStatus = 'connected' | 'reconnecting' | 'token-refused' | 'unreachable'

export type EventListener = (name: string, payload: unknown) => void

const MIN_BACKOFF_MS = 500
const MAX_BACKOFF_MS = 15_000
/** Failed probes in a row before the page says the server is not answering. */
const UNREACHABLE_AFTER = 3

/** The headers of an operation call: JSON, and the page's token when it has one. */
export function authHeaders(token: string | null): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' }
  if (token) headers.Authorization = `Bearer ${token}`
  return headers
}

/** `{event, payload}` of a socket message, or null for anything else. */
function parseEvent(raw: unknown): { event: string; payload: unknown } | null {
  let data: unknown
  try {
    data = JSON.parse(String(raw))
  } catch {
    return null
  }
  if (!data || typeof data !== 'object') return null
  const { event, payload } = data as { event?: unknown; payload?: unknown }
  return typeof event === 'string' ? { event, payload } : null
}

export class EventSocket {
  readonly reconnectCallbacks = new Set<() => void>()
  readonly connectionCallbacks = new Set<(status: ConnectionStatus) => void>()
  private readonly listeners = new Set<EventListener>()
  private socket: WebSocket | null = null
  private backoff = MIN_BACKOFF_MS
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private everConnected = false
  private failedProbes = 0

  constructor(
    private readonly token: string | null,
    private readonly origin: string
  ) {}

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    this.connect()
    return () => {
      this.listeners.delete(listener)
      if (this.listeners.size === 0) this.close()
    }
  }

  private close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = null
    const ws = this.socket
    this.socket = null
    ws?.close()
  }

  private eventsUrl(): string {
    const url = new URL(WS_EVENTS_PATH, this.origin)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    if (this.token) url.searchParams.set('token', this.token)
    return url.toString()
  }

  private setStatus(status: ConnectionStatus): void {
    for (const cb of this.connectionCallbacks) cb(status)
  }

  private connect(): void {
    if (this.socket || this.listeners.size === 0) return
    let ws: WebSocket
    try {
      ws = new WebSocket(this.eventsUrl())
    } catch {
      this.scheduleReconnect()
      return
    }
    this.socket = ws
    ws.onopen = () => this.opened()
    ws.onmessage = (message) => {
      const e = parseEvent(message.data)
      if (e) for (const l of this.listeners) l(e.event, e.payload)
    }
    ws.onclose = () => {
      if (this.socket === ws) this.socket = null
      if (this.listeners.size > 0) void this.diagnose()
    }
    ws.onerror = () => {
      /* onclose follows and schedules the retry */
    }
  }

  private opened(): void {
    this.backoff = MIN_BACKOFF_MS
    this.failedProbes = 0
    this.setStatus('connected')
    if (this.everConnected) for (const cb of this.reconnectCallbacks) cb()
    this.everConnected = true
  }

  /** Why the socket is down: the token is refused (401), the server is silent, or just a drop. */
  private async probe(): Promise<'token-refused' | 'silent' | 'answering'> {
    try {
      const r = await fetch(new URL(HTTP_API_PREFIX + 'app.info', this.origin), {
        method: 'POST',
        headers: authHeaders(this.token),
        body: '{}',
        credentials: 'same-origin'
      })
      return r.status === 401 ? 'token-refused' : 'answering'
    } catch {
      return 'silent'
    }
  }

  private async diagnose(): Promise<void> {
    const found = await this.probe()
    if (found === 'token-refused') return this.setStatus('token-refused') // retrying cannot help
    this.failedProbes = found === 'silent' ? this.failedProbes + 1 : 0
    this.setStatus(this.failedProbes >= UNREACHABLE_AFTER ? 'unreachable' : 'reconnecting')
    this.scheduleReconnect()
  }

  private scheduleReconnect(): void {
    if (this.retryTimer || this.listeners.size === 0) return
    const delay = this.backoff + Math.random() * this.backoff * 0.3
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS)
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      this.connect()
    }, delay)
  }
}
