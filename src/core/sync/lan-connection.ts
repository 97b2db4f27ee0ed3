import type { NumberingClient } from '../numbering/client';
import type { SyncConnection } from './connection';

/**
 * The replica rides on the workstation's one connection to the LAN server (the numbering
 * client): same socket, same hello, same reconnect loop. Every sync request is idempotent
 * (pushes by mutation id, the rest are reads), so all are retried across reconnects.
 */
export function lanSyncConnection(client: NumberingClient): SyncConnection {
  return {
    isOnline: () => client.state === 'online',
    request: <T>(type: string, data: unknown) => client.request<T>(type, data, { retry: true }),
    onEvent: (event, listener) => client.onPushEvent(event, listener),
    onStateChange: (listener) => client.on('state', ({ state }) => listener(state === 'online')),
  };
}
