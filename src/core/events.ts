import type { ApiEvent, ApiEvents } from '../shared/api/index';

type Listener<E extends ApiEvent> = (payload: ApiEvents[E]) => void;

/** Typed in-process event bus; transports forward every event to their clients. */
export class EventBus {
  private readonly listeners = new Map<ApiEvent, Set<Listener<never>>>();
  private readonly anyListeners = new Set<(event: ApiEvent, payload: unknown) => void>();

  on<E extends ApiEvent>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  onAny(listener: (event: ApiEvent, payload: unknown) => void): () => void {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  }

  emit<E extends ApiEvent>(event: E, payload: ApiEvents[E]): void {
    for (const l of this.listeners.get(event) ?? []) (l as Listener<E>)(payload);
    for (const l of this.anyListeners) l(event, payload);
  }
}
