/**
 * The one contract between the UI and the core. Each domain declares its methods in its
 * own file; this file merges them. Transports (IPC, HTTP, direct) loop over
 * `API_METHOD_NAMES` and never add logic of their own.
 */
import type { Envelope } from '../errors';
import { adminMethodNames, type AdminEvents, type AdminMethods } from './admin';
import { appMethodNames, type AppEvents, type AppMethods } from './app';
import { batchMethodNames, type BatchMethods } from './batch';
import { billingMethodNames, type BillingEvents, type BillingMethods } from './billing';
import { contingencyMethodNames, type ContingencyMethods } from './contingency';
import { cteMethodNames, type CteMethods } from './cte';
import { sessionMethodNames, type SessionMethods } from './session';
import { registryMethodNames, type RegistryMethods } from './registry';

export * from './admin';
export * from './app';
export * from './batch';
export * from './billing';
export * from './contingency';
export * from './cte';
export * from './session';
export * from './registry';

export type ApiMethods = AppMethods & SessionMethods & BillingMethods & CteMethods & AdminMethods & RegistryMethods & ContingencyMethods & BatchMethods;
export type ApiEvents = AppEvents & BillingEvents & AdminEvents;

export type ApiMethod = keyof ApiMethods;
export type ApiEvent = keyof ApiEvents;
export type ParamsOf<M extends ApiMethod> = ApiMethods[M]['params'];
export type ResultOf<M extends ApiMethod> = ApiMethods[M]['result'];

const methodNames: Record<ApiMethod, true> = { ...appMethodNames, ...sessionMethodNames, ...billingMethodNames, ...cteMethodNames, ...adminMethodNames, ...registryMethodNames, ...contingencyMethodNames, ...batchMethodNames };
export const API_METHOD_NAMES = Object.freeze(Object.keys(methodNames) as ApiMethod[]);

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(methodNames, name);
}

/**
 * What a transport answers before anyone signs in: signing in itself and what the sign-in
 * screen and status bar show. Everything else needs a signed-in session (issue #16).
 */
export const SESSIONLESS_METHODS: ReadonlySet<ApiMethod> = new Set<ApiMethod>(['auth.login', 'auth.hints', 'auth.me', 'auth.logout', 'app.info', 'app.status']);

/** What the renderer sees as `window.api` — same shape in Electron and in the browser host. */
export interface ApiBridge {
  invoke<M extends ApiMethod>(method: M, params: ParamsOf<M>): Promise<Envelope<ResultOf<M>>>;
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/** Per-call context every transport supplies; handlers use it for roles and auditing. */
export interface CallContext {
  /** Session token of the signed-in user, when there is one. */
  session?: string;
  /** Who is calling, for audit lines: 'electron', 'web 127.0.0.1', 'cli', 'test'. */
  origin: string;
}
