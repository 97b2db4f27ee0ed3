import { AppError } from '../../core/errors';
import { seriesLabel } from '../../core/numbering/protocol';
import { hasRole } from '../auth/permissions';
import type { HandlerMap, ServerContext, Session } from '../context';
import { MAX_EVIDENCE_CHARS, verifyImportEvidence, verifyInutEvidence } from '../numbering/evidence';
import { NUMBER_STATES, docNumber, int, lockToken, obj, oneOf, seriesKey, str, type Obj } from '../validate';

/** The evidence file, read raw: signed XML is checked byte for byte, never trimmed. */
function evidence(o: Obj, field: string): string | undefined {
  const v = o[field];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new AppError('INVALID_INPUT', `O campo "${field}" deve ser o texto do XML.`);
  if (v.length > MAX_EVIDENCE_CHARS) throw new AppError('INVALID_INPUT', `O campo "${field}" é grande demais.`);
  return v;
}

/**
 * Who may move a number to `state`: abandoning is a faturista's decision; the SEFAZ outcome
 * (transmitted, authorized, denied, cancelled) is reported by the station that allocated the
 * number, or by an administrator; inutilizada needs the SEFAZ protocol (checked apart).
 */
function mayReport(state: string, allocatedBy: string, session: Session, ctx: ServerContext, where: string): void {
  const roles = session.roles();
  if (state === 'abandoned') {
    if (session.login !== null && hasRole(roles, ['faturista'])) return;
    throw new AppError('FORBIDDEN', `Só um faturista autenticado no servidor abandona um número (${where}).`);
  }
  if (allocatedBy === session.actor.workstation || hasRole(roles, ['administrador'])) return;
  ctx.audit.record(session.actor, { action: 'numbers.update.refused', target: where, newValue: state, reason: `número dado à estação ${allocatedBy}` });
  throw new AppError('FORBIDDEN', `O ${where} foi dado à estação ${allocatedBy}; só ela (ou um administrador) informa a situação dele.`);
}

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
    const where = `número ${p.number} da ${seriesLabel(p.series)}`;
    if (p.state === 'inutilizada') {
      const { nProt } = verifyInutEvidence(evidence(o, 'procInutNFe'), { series: p.series, first: p.number, last: p.number }, ctx.fiscalTrust());
      return ctx.committer.submit(() => ctx.numbers.updateState({ ...p, detail: `nProt ${nProt}` }, session.actor));
    }
    const current = ctx.numbers.get(p.series, p.number);
    if (current.state !== p.state) mayReport(p.state, current.workstation, session, ctx, where);
    return ctx.committer.submit(() => ctx.numbers.updateState(p, session.actor));
  },

  // The range is what SEFAZ signed, not what the station says: both must agree.
  'numbers.inutilize': (data, session, ctx) => {
    const o = obj(data);
    const p = { series: seriesKey(o.series), first: docNumber(o, 'first'), last: docNumber(o, 'last') };
    if (p.last < p.first) throw new AppError('INVALID_INPUT', 'O número final deve ser maior ou igual ao inicial.');
    const { nProt } = verifyInutEvidence(evidence(o, 'procInutNFe'), p, ctx.fiscalTrust());
    return ctx.committer.submit(() => ctx.numbers.inutilize({ ...p, detail: `nProt ${nProt}` }, session.actor));
  },

  'numbers.get': (data, _s, ctx) => {
    const o = obj(data);
    return ctx.numbers.get(seriesKey(o.series), docNumber(o, 'number'));
  },

  'numbers.gaps': (data, _s, ctx) => ctx.numbers.gaps(seriesKey(obj(data).series)),

  // Order numbers: the establishment's short sequence (not fiscal; a lost reply only leaves a hole),
  // and the station's own tag for the orders it saves offline.
  'orderNumbers.take': (data, session, ctx) => {
    const o = obj(data);
    const cnpj = str(o, 'cnpj', { max: 14 }).toUpperCase();
    if (!/^[0-9A-Z]{12}[0-9]{2}$/.test(cnpj)) throw new AppError('INVALID_INPUT', 'CNPJ do estabelecimento inválido para numerar pedidos.');
    return ctx.committer.submit(() => ctx.orderNumbers.take(cnpj, session.stationId));
  },

  'import.validate': (data, session, ctx) => {
    const o = obj(data);
    const p = {
      series: seriesKey(o.series),
      number: docNumber(o, 'number'),
      requestId: str(o, 'requestId', { max: 100 }),
    };
    const { chave } = verifyImportEvidence(evidence(o, 'xml'), p);
    return ctx.committer.submit(() => ctx.numbers.validateImport({ ...p, detail: `chNFe ${chave}` }, session.actor));
  },
};
