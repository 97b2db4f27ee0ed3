import type { ContingencyMethods, ContingencyPendingDto, ContingencyStateDto, PriorityDto, UfContingencyDto } from '../../../shared/api/contingency';
import type { CallContext } from '../../../shared/api/index';
import { AppError } from '../../errors';
import { obj, oneOf } from '../../input';
import { tpEmisLabel } from '../../sefaz/contingency/engine';
import { DOC_KINDS, priorityList, xJust } from '../../sefaz/contingency/lan';
import type { ContingencyDoc } from '../../sefaz/contingency/state';
import type { DomainHandlers, WorkstationContext } from '../context';
import type { WorkstationRuntime } from '../runtime';
import { establishmentOf } from './catalog';

/** One schema per Api method of the contingency screens (the LAN server checks the same again). */
const schemas = {
  prioritySave: (p: unknown) => {
    const o = obj(p, 'params');
    const model = oneOf(o, 'model', DOC_KINDS);
    return { model, options: priorityList(o.options, model) };
  },
  manual: (p: unknown) => {
    const o = obj(p, 'params');
    return { model: oneOf(o, 'model', DOC_KINDS), xJust: xJust(o) };
  },
  page: (p: unknown) => {
    const o = obj(p, 'params');
    const limit = o.limit === undefined ? 50 : o.limit;
    const offset = o.offset === undefined ? 0 : o.offset;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 200) throw new AppError('INVALID_INPUT', 'limit deve ser de 1 a 200.', { field: 'limit' });
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) throw new AppError('INVALID_INPUT', 'offset deve ser um inteiro ≥ 0.', { field: 'offset' });
    return { limit, offset };
  },
};

const SITUACAO: Record<ContingencyDoc['kind'], string> = {
  svc: 'Enviado à SVC: aguardando a autorização',
  epec: 'EPEC registrado — enviar à SEFAZ na volta',
  fsda: 'FS-DA impresso — transmitir à SEFAZ na volta',
  pendente: 'Pendente (105)',
  descarte: 'Necessita interação (108): consultar, cancelar ou inutilizar na volta',
};

/** Contingency screens: the status, the priority order and manual entry (Administração), the pending report. */
export function contingencyHandlers(w: WorkstationContext, rt: WorkstationRuntime): DomainHandlers<ContingencyMethods> {
  const uf = () => rt.sefaz?.config.uf ?? rt.sefazConfig().uf ?? null;
  const cnpj = () => {
    const e = establishmentOf(w);
    if (!e?.cnpj) throw new AppError('NO_ESTABLISHMENT', 'Cadastre o estabelecimento emitente em Administração.');
    return e.cnpj;
  };
  const state = (): ContingencyStateDto => {
    const u = uf();
    const of = (m: 'nfe' | 'cte') => {
      const s = u ? rt.contingency.current(u, m) : undefined;
      return s ? { since: s.since, reason: s.reason, source: s.source, actor: s.actor } : null;
    };
    return { uf: u, shared: rt.lan?.state === 'online', nfe: of('nfe'), cte: of('cte'), board: rt.contingency.board };
  };
  /** The administrator's own connection: the server checks their role, not the station's claim. */
  const adminLan = (ctx: CallContext) => {
    const me = w.sessions.require(ctx, 'administrador');
    return { me, lan: rt.requireLan(me.user.login) };
  };
  const manual = async (kind: 'enter' | 'leave', params: unknown, ctx: CallContext) => {
    const p = schemas.manual(params);
    const u = uf();
    if (!u) throw new AppError('SEFAZ_NOT_READY', 'Escolha a UF da SEFAZ em Administração > SEFAZ.');
    const { me, lan } = adminLan(ctx);
    const client = await lan;
    const r = await client.request<UfContingencyDto | { left: boolean; state: UfContingencyDto | null }>(`contingency.${kind}`, { uf: u, model: p.model, xJust: p.xJust });
    const s = 'uf' in r ? r : r.state;
    if (s) rt.contingency.mirror([s]);
    w.audit(me.user.login, `contingency.${kind}`, `${p.model === 'nfe' ? 'NF-e' : 'CT-e'} ${u}: ${p.xJust}`);
    return state();
  };

  return {
    'contingency.state': (_p, ctx) => {
      w.sessions.require(ctx);
      return state();
    },
    'contingency.priority.get': async (_p, ctx): Promise<PriorityDto> => {
      w.sessions.require(ctx);
      return rt.contingency.priority(cnpj());
    },
    'contingency.priority.save': async (params, ctx) => {
      const p = schemas.prioritySave(params);
      const { me, lan } = adminLan(ctx);
      const r = await (await lan).request<PriorityDto>('contingency.priority.set', { cnpj: cnpj(), model: p.model, options: p.options });
      w.audit(me.user.login, 'contingency.priority', `${p.model === 'nfe' ? 'NF-e' : 'CT-e'}: ${p.options.join(' → ')}`);
      return rt.contingency.priority(r.cnpj);
    },
    'contingency.enter': (params, ctx) => manual('enter', params, ctx),
    'contingency.leave': (params, ctx) => manual('leave', params, ctx),
    'contingency.pending': (params, ctx) => {
      w.sessions.require(ctx);
      const p = schemas.page(params);
      const nowMs = w.clock.now().getTime();
      const items: ContingencyPendingDto[] = rt.contingency.local.pending({ limit: p.limit, offset: p.offset }).map((d) => {
        const deadlineMs = d.deadline ? Date.parse(d.deadline) : NaN;
        return {
          chave: d.chave,
          model: d.model,
          uf: d.uf,
          serie: d.serie,
          numero: d.nnf,
          kind: d.kind,
          modo: d.kind === 'descarte' ? 'Descarte (108)' : tpEmisLabel(d.chave, d.model),
          emitidoEm: d.created_at,
          idadeHoras: Math.round(((nowMs - Date.parse(d.created_at)) / 3_600_000) * 10) / 10,
          prazo: d.deadline,
          horasRestantes: Number.isFinite(deadlineMs) ? Math.round(((deadlineMs - nowMs) / 3_600_000) * 10) / 10 : null,
          situacao: d.note && d.kind !== 'descarte' && !d.note.startsWith('EPEC registrado') ? `${SITUACAO[d.kind]} (${d.note})` : SITUACAO[d.kind],
        };
      });
      return { items, total: rt.contingency.pendingCount() };
    },
    'contingency.audit': (params, ctx) => {
      w.sessions.require(ctx);
      const limit = schemas.page({ limit: obj(params, 'params').limit ?? 50 }).limit;
      return rt.contingency.local.recentAudit(limit);
    },
  };
}
