import type { HandlerMap } from '../context';
import { NUMBER_STATES, docNumber, int, lockToken, obj, oneOf, seriesKey, str } from '../validate';

/** Numbers: suggestion, allocation, lifecycle, import validation, gap report. */
export const numberingHandlers: HandlerMap = {
  'series.list': (data, _s, ctx) => {
    const o = obj(data);
    const cnpj = str(o, 'cnpj', { optional: true, max: 14 });
    return ctx.series.list(cnpj?.toUpperCase());
  },

  // Non-binding: two faturistas may see the same number; allocation decides.
  'series.suggest': (data, _s, ctx) => ctx.series.info(seriesKey(obj(data).series)),

  'numbers.allocate': (data, session, ctx) => {
    const o = obj(data);
    const p = {
      series: seriesKey(o.series),
      orderId: str(o, 'orderId', { max: 100 }),
      suggested: int(o, 'suggested', { min: 0, optional: true }) ?? null,
      requestId: str(o, 'requestId', { max: 100 }),
      lockToken: o.lockToken === undefined || o.lockToken === null ? null : lockToken(o, 'lockToken'),
    };
    // No user on this connection: only a station finishing a lock it reclaimed, as its holder.
    const actor = session.login === null ? ctx.locks.reclaimedHolder(p.orderId, p.lockToken, session.id, ctx.users, 'numbers.allocate') : session.actor;
    if (p.lockToken !== null) ctx.locks.verifyFence(p.orderId, p.lockToken, actor);
    return ctx.committer.submit(() => ctx.numbers.allocate(p, actor, (orderId, token) => ctx.locks.checkFence(orderId, token)));
  },

  'numbers.update': (data, session, ctx) => {
    const o = obj(data);
    const p = {
      series: seriesKey(o.series),
      number: docNumber(o, 'number'),
      state: oneOf(o, 'state', NUMBER_STATES.filter((s) => s !== 'allocated' && s !== 'imported')),
      detail: str(o, 'detail', { optional: true, max: 500 }) ?? null,
    };
    return ctx.committer.submit(() => ctx.numbers.updateState(p, session.actor));
  },

  'numbers.inutilize': (data, session, ctx) => {
    const o = obj(data);
    const p = { series: seriesKey(o.series), first: docNumber(o, 'first'), last: docNumber(o, 'last'), detail: str(o, 'detail', { optional: true, max: 500 }) ?? null };
    return ctx.committer.submit(() => ctx.numbers.inutilize(p, session.actor));
  },

  'numbers.get': (data, _s, ctx) => {
    const o = obj(data);
    return ctx.numbers.get(seriesKey(o.series), docNumber(o, 'number'));
  },

  'numbers.gaps': (data, _s, ctx) => ctx.numbers.gaps(seriesKey(obj(data).series)),

  'import.validate': (data, session, ctx) => {
    const o = obj(data);
    const p = {
      series: seriesKey(o.series),
      number: docNumber(o, 'number'),
      requestId: str(o, 'requestId', { max: 100 }),
      detail: str(o, 'detail', { optional: true, max: 500 }) ?? null,
    };
    return ctx.committer.submit(() => ctx.numbers.validateImport(p, session.actor));
  },
};
