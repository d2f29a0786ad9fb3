import type { AnyEvent, EventName, EventPayload } from '../../src-shared/contract'

export type EventListener = (event: AnyEvent) => void

/** Fan-out of contract events from the core to every transport that listens. */
export class EventBus {
  private readonly listeners = new Set<EventListener>()

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    const event = { name, payload } as AnyEvent
    for (const l of this.listeners) {
      try {
        l(event)
      } catch (err) {
        console.error(`rnn-lab: event listener failed on ${name}:`, err)
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
