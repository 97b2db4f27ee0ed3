import { invalidInput } from '../../core/errors';
import { isValidCnpj } from '../../core/fiscal/documents';
import { requireCapability, type HandlerMap } from '../context';
import { bool, int, obj, seriesKey, str } from '../validate';

/** Administration: series, próximo número, forced lock release, audit. All need `admin`. */
export const adminHandlers: HandlerMap = {
  'series.create': (data, session, ctx) => {
    requireCapability(session, 'admin');
    const o = obj(data);
    const key = seriesKey(o, 'data');
    // Only at creation: a series with a mistyped CNPJ would number notes SEFAZ refuses.
    if (!isValidCnpj(key.cnpj)) throw invalidInput(`CNPJ ${key.cnpj} inválido: os dígitos verificadores não conferem.`, 'data.cnpj');
    const p = {
      ...key,
      emissaoPropria: bool(o, 'emissaoPropria'),
      active: bool(o, 'active', true),
      description: str(o, 'description', { optional: true, max: 200 }) ?? null,
      nextNumber: int(o, 'nextNumber', { min: 1, max: 999_999_999, optional: true }),
    };
    return ctx.committer.submit(() => ctx.series.create(p, session.actor));
  },

  'series.update': (data, session, ctx) => {
    requireCapability(session, 'admin');
    const o = obj(data);
    const p = {
      series: seriesKey(o.series),
      emissaoPropria: bool(o, 'emissaoPropria', true),
      active: bool(o, 'active', true),
      description: o.description === null ? null : str(o, 'description', { optional: true, max: 200 }),
      reason: str(o, 'reason', { optional: true, max: 500 }) ?? null,
    };
    return ctx.committer.submit(() => ctx.series.update(p, session.actor));
  },

  'series.setNext': (data, session, ctx) => {
    requireCapability(session, 'admin');
    const o = obj(data);
    const p = {
      series: seriesKey(o.series),
      nextNumber: int(o, 'nextNumber', { min: 1, max: 1_000_000_000 }),
      reason: str(o, 'reason', { min: 5, max: 500 }),
    };
    return ctx.committer.submit(() => ctx.series.setNext(p, session.actor));
  },

  'locks.adminRelease': async (data, session, ctx) => {
    requireCapability(session, 'admin');
    const o = obj(data);
    const holder = await ctx.locks.adminRelease(str(o, 'orderId', { max: 100 }), str(o, 'reason', { min: 5, max: 500 }), session.actor);
    return { released: holder !== null, holder };
  },

  'audit.list': (data, session, ctx) => {
    requireCapability(session, 'admin');
    return ctx.audit.list(int(obj(data), 'limit', { min: 1, max: 1000, optional: true }) ?? 100);
  },
};
