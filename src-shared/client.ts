/**
 * The typed client of the contract, independent of the transport. Electron's preload bridge and the
 * HTTP/WebSocket transport both implement `Transport`; errors come back as `ApiError`.
 */
import { ApiError, fromWireError, type Envelope } from './errors'
import { events, operations, type EventName, type EventPayload, type OperationName, type Request, type Response } from './contract'
import { parseOrThrow } from './validation'

export interface Transport {
  readonly kind: 'ipc' | 'http' | 'local'
  invoke(op: string, args: unknown): Promise<Envelope>
  /** Calls `listener` for every event; returns an unsubscribe function. */
  subscribe(listener: (name: string, payload: unknown) => void): () => void
}

export interface Client {
  readonly transport: Transport['kind']
  // `{} extends Request<K>` asks whether every field of the request is optional (then it may be left out).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  invoke<K extends OperationName>(op: K, ...args: {} extends Request<K> ? [Request<K>?] : [Request<K>]): Promise<Response<K>>
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void
}

export function createClient(transport: Transport): Client {
  const listeners = new Map<string, Set<(payload: never) => void>>()
  let unsubscribe: (() => void) | null = null

  function ensureSubscribed(): void {
    if (unsubscribe) return
    unsubscribe = transport.subscribe((name, payload) => {
      const set = listeners.get(name)
      if (!set || !(name in events)) return
      const parsed = events[name as EventName].safeParse(payload)
      if (!parsed.success) {
        console.warn(`rnn-lab: dropped malformed "${name}" event`, parsed.error.issues)
        return
      }
      for (const l of set) (l as (p: unknown) => void)(parsed.data)
    })
  }

  return {
    transport: transport.kind,
    async invoke(op, ...rest) {
      const envelope = await transport.invoke(op, rest[0] ?? {})
      if (!envelope.ok) throw fromWireError(envelope.error)
      const spec = operations[op]
      if (!spec) throw new ApiError('UNKNOWN_OPERATION', `Unknown operation "${op}"`)
      return parseOrThrow(spec.response, envelope.result, `response of "${op}"`) as never
    },
    on(name, listener) {
      let set = listeners.get(name)
      if (!set) listeners.set(name, (set = new Set()))
      set.add(listener as (payload: never) => void)
      ensureSubscribed()
      return () => {
        set!.delete(listener as (payload: never) => void)
      }
    }
  }
}
