import type { ApiBridge, ApiEvent, ApiEvents, ApiMethod, ParamsOf, ResultOf } from '../../shared/api/index';
import type { ApiError, Envelope } from '../../shared/errors';

declare global {
  interface Window {
    /** Present in Electron (preload); absent in the browser host, where HTTP carries the Api. */
    api?: ApiBridge;
  }
}

/** The browser host's transport: POST /api/:method and server-sent events. */
function httpBridge(): ApiBridge {
  let source: EventSource | null = null;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const ensureSource = (event: string) => {
    source ??= new EventSource('/api/events');
    if (!listeners.has(event)) {
      listeners.set(event, new Set());
      source.addEventListener(event, (e) => {
        const payload = JSON.parse((e as MessageEvent<string>).data) as unknown;
        for (const l of listeners.get(event) ?? []) l(payload);
      });
    }
  };
  return {
    async invoke(method, params) {
      try {
        const res = await fetch(`/api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...sessionHeader() },
          body: params === undefined ? '' : JSON.stringify(params),
        });
        return (await res.json()) as Envelope<never>;
      } catch {
        return { ok: false, error: { code: 'UNAVAILABLE', message: 'Sem comunicação com o Comboio nesta estação.' } };
      }
    },
    on(event, listener) {
      ensureSource(event);
      const set = listeners.get(event)!;
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
  };
}

let session: string | null = null;
export function setSession(token: string | null): void {
  session = token;
}
let sessionLost: (() => void) | null = null;
/** Called when the core refuses the current session (expired or revoked). */
export function onSessionLost(listener: (() => void) | null): void {
  sessionLost = listener;
}
function sessionHeader(): Record<string, string> {
  return session ? { 'x-comboio-session': session } : {};
}

const bridge: ApiBridge = window.api ?? httpBridge();

/** Thrown by `call` so screens can show `message` and branch on `code`. */
export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

export async function call<M extends ApiMethod>(method: M, ...params: ParamsOf<M> extends void ? [] : [ParamsOf<M>]): Promise<ResultOf<M>> {
  const envelope = await bridge.invoke(method, params[0] as ParamsOf<M>);
  if (!envelope.ok) {
    if (envelope.error.code === 'UNAUTHENTICATED' && session && method !== 'auth.login') sessionLost?.();
    throw new ApiCallError(envelope.error);
  }
  return envelope.data;
}

export function on<E extends ApiEvent>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
  return bridge.on(event, listener);
}
