import { logger, type Fields } from '../core/log/index';
import { SyncMessageTypes } from '../core/sync/protocol';
import type { Handler, HandlerMap } from './context';

const log = logger('servidor');

type Summary = (data: Record<string, unknown>, result: Record<string, unknown>) => Fields;
const pick = (o: Record<string, unknown> | undefined, ...keys: string[]): Fields => Object.fromEntries(keys.filter((k) => o?.[k] !== undefined).map((k) => [k, o![k]]));
const series = (d: Record<string, unknown>) => pick(d.series as Record<string, unknown> | undefined, 'cnpj', 'model', 'serie');

/**
 * The messages a support person needs one line for (allocations, number states, locks,
 * replicated batches), with what was asked and what came of it. Reads are not logged.
 */
const EVENTS: Record<string, { msg: string; summary: Summary }> = {
  'numbers.allocate': { msg: 'número alocado', summary: (d, r) => ({ ...series(d), orderId: d.orderId, requestId: d.requestId, number: r.number, replayed: r.replayed }) },
  'numbers.update': { msg: 'número atualizado', summary: (d) => ({ ...series(d), ...pick(d, 'number', 'state', 'detail') }) },
  'numbers.inutilize': { msg: 'inutilização registrada', summary: (d) => ({ ...series(d), ...pick(d, 'first', 'last', 'detail') }) },
  'locks.acquire': {
    msg: 'trava pedida',
    summary: (d, r) => ({ orderId: d.orderId, purpose: d.purpose, granted: r.granted, token: r.token, holder: (r.holder as { workstation?: unknown } | undefined)?.workstation }),
  },
  'locks.release': { msg: 'trava liberada', summary: (d) => pick(d, 'orderId', 'token') },
  'locks.adminRelease': { msg: 'trava liberada pelo administrador', summary: (d) => pick(d, 'orderId') },
  'series.create': { msg: 'série criada', summary: (d) => pick(d, 'cnpj', 'model', 'serie') },
  'series.setNext': { msg: 'próximo número alterado', summary: (d) => ({ ...series(d), ...pick(d, 'nextNumber', 'reason') }) },
  [SyncMessageTypes.push]: {
    msg: 'lote de sincronização recebido',
    summary: (d, r) => {
      const results = Array.isArray(r.results) ? (r.results as { status: string }[]) : [];
      const by = (status: string) => results.filter((x) => x.status === status).length;
      return { clientId: d.clientId, mutations: d.mutations, applied: by('applied'), rejected: by('rejected'), held: by('held'), head: r.head };
    },
  },
};

const asObject = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const count = (v: unknown) => (Array.isArray(v) ? v.length : v);

/** The same handlers, each logged event writing one line when it settles (ok or refused). */
export function withEventLog(handlers: HandlerMap): HandlerMap {
  const out: Record<string, Handler> = { ...handlers };
  for (const [type, event] of Object.entries(EVENTS)) {
    const handler = handlers[type];
    if (!handler) continue;
    out[type] = (data, session, ctx) => {
      const started = performance.now();
      const who = { user: session.actor.user, workstation: session.actor.workstation };
      const done = (value: unknown) => {
        const summary = event.summary(asObject(data), asObject(value));
        for (const k of Object.keys(summary)) summary[k] = count(summary[k]);
        log.info(event.msg, { type, ...who, ...summary, ms: Math.round(performance.now() - started) });
        return value;
      };
      const failed = (err: unknown) => {
        log.warn(`${event.msg}: recusado`, { type, ...who, code: (err as { code?: unknown })?.code, erro: (err as Error)?.message });
        throw err;
      };
      let result: unknown;
      try {
        result = handler(data, session, ctx);
      } catch (err) {
        return failed(err);
      }
      return result !== null && typeof (result as { then?: unknown })?.then === 'function' ? (result as Promise<unknown>).then(done, failed) : done(result);
    };
  }
  return out;
}
