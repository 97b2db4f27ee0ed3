/**
 * What the replica needs from the link to the LAN server. The numbering client's
 * connection provides it (request/reply frames, push events, connection state); tests may
 * use an in-process one. Requests reject while offline or on timeout.
 */
export interface SyncConnection {
  /** True while authenticated with the server. */
  isOnline(): boolean;
  request<T>(type: string, data: unknown): Promise<T>;
  /** Server push events ({event, data} frames). Returns an unsubscribe function. */
  onEvent(event: string, listener: (data: unknown) => void): () => void;
  /** Called on every transition; `online` true once the connection is authenticated again. */
  onStateChange(listener: (online: boolean) => void): () => void;
}
