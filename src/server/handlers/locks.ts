import type { HandlerMap } from '../context';
import { LOCK_PURPOSES, lockToken, obj, oneOf, str } from '../validate';

/** Order locks held by workstations (admin release lives in admin.ts). */
export const lockHandlers: HandlerMap = {
  'locks.acquire': (data, session, ctx) => {
    const o = obj(data);
    const orderId = str(o, 'orderId', { max: 100 });
    const purpose = oneOf(o, 'purpose', LOCK_PURPOSES);
    const requestId = str(o, 'requestId', { max: 100, optional: true }) ?? null;
    return ctx.locks.acquire(orderId, purpose, requestId, session.id, session.actor);
  },

  'locks.release': async (data, session, ctx) => {
    const o = obj(data);
    await ctx.locks.release(str(o, 'orderId', { max: 100 }), lockToken(o, 'token'), session.id, session.actor);
    return { released: true };
  },

  'locks.resume': (data, session, ctx) => {
    const o = obj(data);
    return ctx.locks.resume(str(o, 'orderId', { max: 100 }), lockToken(o, 'token'), session.id, session.actor);
  },

  // Station-level: the proof is the owner key (only the holder's station has it), checked by the server.
  'locks.reclaim': (data, session, ctx) => {
    const o = obj(data);
    return ctx.locks.reclaim(str(o, 'orderId', { max: 100 }), str(o, 'ownerKey', { max: 100 }), session.id, session.actor);
  },

  'locks.list': (_data, _s, ctx) => ctx.locks.list(),
};
