import type { SyncConnection } from '../sync/connection';

/**
 * The replica needs one stable connection, while the LAN connection is reopened whenever
 * a different user signs in (the server records who allocates and who holds locks). This
 * forwards to the current connection and moves subscriptions across a switch.
 */
export class SwitchableConnection implements SyncConnection {
  private current: SyncConnection | null = null;
  private readonly eventSubs = new Map<(data: unknown) => void, { event: string; off: (() => void) | null }>();
  private readonly stateSubs = new Map<(online: boolean) => void, (() => void) | null>();

  switchTo(next: SyncConnection | null): void {
    for (const sub of this.eventSubs.values()) sub.off?.();
    for (const off of this.stateSubs.values()) off?.();
    this.current = next;
    for (const [listener, sub] of this.eventSubs) sub.off = next ? next.onEvent(sub.event, listener) : null;
    for (const listener of this.stateSubs.keys()) {
      this.stateSubs.set(listener, next ? next.onStateChange(listener) : null);
      listener(next?.isOnline() ?? false);
    }
  }

  isOnline(): boolean {
    return this.current?.isOnline() ?? false;
  }

  request<T>(type: string, data: unknown): Promise<T> {
    if (!this.current) return Promise.reject(new Error('sem conexão com o servidor LAN'));
    return this.current.request<T>(type, data);
  }

  onEvent(event: string, listener: (data: unknown) => void): () => void {
    this.eventSubs.set(listener, { event, off: this.current ? this.current.onEvent(event, listener) : null });
    return () => {
      this.eventSubs.get(listener)?.off?.();
      this.eventSubs.delete(listener);
    };
  }

  onStateChange(listener: (online: boolean) => void): () => void {
    this.stateSubs.set(listener, this.current ? this.current.onStateChange(listener) : null);
    return () => {
      this.stateSubs.get(listener)?.();
      this.stateSubs.delete(listener);
    };
  }
}
