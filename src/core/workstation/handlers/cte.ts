import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallContext } from '../../../shared/api/index';
import type { BillingMethods, DocumentDetail, FinalizeResult, SeriesOption } from '../../../shared/api/billing';
import type { EstablishmentDto } from '../../../shared/api/admin';
import type { CustomerDto } from '../../../shared/api/billing';
import type { CteDetailDto, CteDraftDto, CteEmitenteOption, CteEmitParams, CteMethods } from '../../../shared/api/cte';
import type { SessionUser } from '../../../shared/api/session';
import { ErrorCodes } from '../../../shared/errors';
import { AppError, invalidInput } from '../../errors';
import { cteOrderFromNfes, cumulativeCorrections, emitCte, parseCte, CTE_EVENTO, CTE_EVENTO_LABEL, DESACORDO_DAYS, type CteFromNfeBase, type CteOrder, type CteParty, type InfCorrecao } from '../../fiscal/cte/index';
import { centsToText } from '../../fiscal/money';
import type { NfeModel } from '../../fiscal/model';
import { parseNfe } from '../../fiscal/parse';
import type { OutboxDocument } from '../../sefaz/outbox';
import type { DomainHandlers, WorkstationContext } from '../context';
import { type DocumentRecord, summaryOf } from '../documents';
import { emitenteOf, endereco } from '../fiscal-order';
import { allEmitentes, emitenteByCnpj } from '../emitentes';
import type { CteIdentity } from '../runtime';
import type { WorkstationRuntime } from '../runtime';
import { outcomeWaiters, requireSefaz } from '../sefaz-ready';
import { BillingErrors, parseSeriesId, seriesId, type BillingService } from './billing';
import type { JournalRow } from '../finalize-journal';
import { writeDurable } from '../durable-file';
import { documentPdf } from '../print-document';
import { CONTINGENCY_PENDING, cteContingencyPlan, rekeyCteForSvc } from '../contingency-issue';
import { establishmentOf } from './catalog';
import { cteInput } from './cte-input';

const HOUR = 3_600_000;
const CANCEL_WINDOW_MS = 24 * HOUR;
const FINAL_WAIT_MS = 8_000;
const FINAL_OUTBOX_STATES = new Set(['authorized', 'denied', 'rejected', 'conflict', 'cancelled', 'superseded']);
/** A CT-e that still carries its NF-e: another one for the same NF-e would bill the freight twice. */
const LIVE_CTE = new Set(['processando', 'aguardando_sefaz', 'aguardando_servidor', 'autorizada']);

/**
 * CT-e emission runs on #17's finalize journal (kind 'cte'): freight lock → number → CT-e
 * signed and fsync'd → record + NF-e marked carried + outbox row in one local transaction →
 * lock released → outcome. Each step is durable before the next external effect and a
 * crash anywhere resumes from it (crash points cte.* in crash-points.ts).
 */
interface CtePayload { nfeIds: string[]; params: CteEmitParams }

/**
 * An older version kept a signed-but-not-queued CT-e in settings (`cte.journal`): drained at
 * start, then never written again.
 */
interface LegacyJournalEntry {
  chave: string;
  step: 'signed' | 'recorded';
  nfeIds: string[];
  seriesId: string;
  number: number;
  user: string;
  printTo: 'form' | 'pdf' | 'none';
}
const LEGACY_JOURNAL_KEY = 'cte.journal';

type CteRecord = DocumentRecord & { nfeChaves?: string[]; tomadorDocumento?: string; tomadorNome?: string };
type NfeRecord = DocumentRecord & { cteId?: string | null };

type Methods = CteMethods;
type WrappedMethod = 'documents.get' | 'documents.pdf' | 'documents.xml' | 'documents.cancel' | 'documents.cce' | 'documents.resend';

export interface CteService {
  handlers: DomainHandlers<Methods>;
  /** documents.* and printing for model 57, delegating model 55 to billing. */
  wrap(billing: DomainHandlers<Pick<BillingMethods, WrappedMethod>>): DomainHandlers<Pick<BillingMethods, WrappedMethod>>;
  /** Drains the CT-e journal an older version kept in settings (now on the finalize journal). */
  resume(): void;
}

export function cteService(w: WorkstationContext, rt: WorkstationRuntime, billing: BillingService): CteService {

  const doc = <T extends DocumentRecord = CteRecord>(id: string): T => {
    const d = w.records.get<T>('documents', String(id ?? ''));
    if (!d) throw new AppError(ErrorCodes.NOT_FOUND, 'Documento não encontrado.');
    return d;
  };
  const cteDoc = (id: string): CteRecord => {
    const d = doc(id);
    if (d.model !== 57) throw new AppError(ErrorCodes.CONFLICT, 'Este documento não é um CT-e.');
    return d;
  };
  const updateDoc = (id: string, fields: Partial<CteRecord | NfeRecord>) => {
    w.records.put<CteRecord>('documents', id, fields);
    w.events.emit('documents.changed', { ids: [id] });
  };

  const sefazReady = () => requireSefaz(rt);

  /** The billed NF-e the CT-e carries: model 55, authorized, with its nfeProc. */
  function billedNfes(ids: string[]): { records: NfeRecord[]; models: NfeModel[]; impedimentos: string[] } {
    const records = ids.map((id) => doc<NfeRecord>(id));
    const impedimentos: string[] = [];
    for (const r of records) {
      if (r.model !== 55) impedimentos.push(`O documento ${r.number} não é uma NF-e.`);
      else if (r.status !== 'autorizada' || !r.procXml) impedimentos.push(`A NF-e ${r.number} série ${r.serie} não está autorizada (${summaryOf(r).statusLabel.toLowerCase()}).`);
      const live = r.cteId ? w.records.get<CteRecord>('documents', r.cteId) : null;
      if (live && LIVE_CTE.has(live.status)) impedimentos.push(`A NF-e ${r.number} já é transportada pelo CT-e ${live.number} série ${live.serie} (${summaryOf(live).statusLabel.toLowerCase()}).`);
    }
    const models = impedimentos.length ? [] : records.map((r) => parseNfe(r.procXml!));
    return { records, models, impedimentos };
  }

  /** Every emitente that may carry: its model-57 series and whether its A1 can sign here. */
  async function emitenteOptions(): Promise<CteEmitenteOption[]> {
    const lan = await rt.requireLan();
    const all = (await lan.listSeries()).filter((s) => s.model === 57 && s.active && s.emissaoPropria);
    const options = allEmitentes(w).map((e): CteEmitenteOption => {
      const identity = rt.sefaz?.cte.forCnpj(e.cnpj) ?? null;
      const series: SeriesOption[] = all
        .filter((s) => s.cnpj === e.cnpj)
        .map((s) => ({ id: seriesId(s), model: s.model, serie: s.serie, emissaoPropria: s.emissaoPropria, suggested: s.nextNumber, description: s.description }));
      const aviso = !identity
        ? (rt.sefaz?.emitenteErrors.get(e.cnpj) ?? 'Certificado A1 deste emitente não instalado nesta estação (Administração > Estabelecimento e certificado).')
        : series.length === 0
          ? 'Nenhuma série de CT-e (modelo 57) ativa deste CNPJ: cadastre uma em Administração > Séries.'
          : null;
      return { cnpj: e.cnpj, nome: e.razaoSocial, principal: e.principal, rntrc: e.rntrc ?? '', certificado: identity !== null, aviso, series };
    });
    // The typical case first: another emitente (the group's transport company) ready to sign.
    const ready = (o: CteEmitenteOption) => o.aviso === null;
    return [...options.filter((o) => ready(o) && !o.principal), ...options.filter((o) => ready(o) && o.principal), ...options.filter((o) => !ready(o))];
  }

  /** A party of the CT-e from the cadastro de clientes (never typed into the dialog). */
  function customerParty(id: string | undefined, field: string, label: string): CteParty {
    const c = id ? w.records.get<CustomerDto>('customers', id) : null;
    if (!c) throw invalidInput(`Escolha o ${label} no cadastro de clientes.`, field);
    const doc = c.documento.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
    return {
      ...(doc.length === 11 ? { cpf: doc } : { cnpj: doc }),
      razaoSocial: c.nome,
      ...(c.ie ? { ie: c.ie } : c.indIEDest === 2 ? { ie: 'ISENTO' } : {}),
      ...(c.email ? { email: c.email } : {}),
      endereco: endereco(c.endereco),
    };
  }

  /** The emitente of a model-57 series and the A1 that signs for it here, or a pt-BR refusal. */
  function signerOf(cnpj: string): { emitente: NonNullable<ReturnType<typeof emitenteByCnpj>>; identity: CteIdentity } {
    const emitente = emitenteByCnpj(w, cnpj);
    if (!emitente) throw new AppError(BillingErrors.NO_ESTABLISHMENT, `A série escolhida é do CNPJ ${cnpj}, que não está cadastrado como emitente em Administração.`, { field: 'seriesId' });
    const identity = sefazReady().sefaz.cte.forCnpj(cnpj);
    if (!identity) {
      throw new AppError('CERTIFICATE_MISSING', `Certificado A1 de ${emitente.razaoSocial} não instalado nesta estação: instale-o em Administração > Estabelecimento e certificado.`, { field: 'seriesId' });
    }
    return { emitente, identity };
  }

  /** The A1 that signs events of a CT-e (its emitente's), or a pt-BR refusal. */
  const eventSigner = (d: CteRecord) => signerOf(d.cnpj).identity.client;

  function freightOrder(models: NfeModel[], p: CteEmitParams, serie: number, numero: number, ambiente: 1 | 2, est: EstablishmentDto): CteOrder {
    const base: CteFromNfeBase = {
      ambiente,
      serie,
      numero,
      emitente: emitenteOf(est),
      tomador: p.tomador === 'outro' ? { tipo: 'outro', ...customerParty(p.tomadorId, 'tomadorId', 'tomador do serviço (outros)') } : { tipo: p.tomador },
      ...(p.expedidorId ? { expedidor: customerParty(p.expedidorId, 'expedidorId', 'expedidor') } : {}),
      ...(p.recebedorId ? { recebedor: customerParty(p.recebedorId, 'recebedorId', 'recebedor') } : {}),
      prestacao: { componentes: p.componentes.map((c) => ({ nome: c.nome, valor: centsToText(c.valorCentavos) })) },
      icms: { cst: p.icms.cst, ...(p.icms.aliquota ? { aliquota: p.icms.aliquota } : {}), ...(p.icms.reducaoBase ? { reducaoBase: p.icms.reducaoBase } : {}) },
      rodoviario: { rntrc: p.rntrc },
      ...(p.placa ? { veiculo: { placa: p.placa, ...(p.ufPlaca ? { uf: p.ufPlaca } : {}) } } : {}),
      ...(p.motorista ? { motorista: p.motorista } : {}),
      ...(p.observacoes ? { observacoes: p.observacoes } : {}),
    };
    return cteOrderFromNfes(models, base);
  }

  const outcomes = outcomeWaiters();

  // Billing's outcome hook (registered first) keeps the record, the number's lifecycle, the
  // print and the journal in step for both models; this one wakes the waiting emitter.
  const onOutcome = (o: OutboxDocument) => {
    if (o.mod === '57' && FINAL_OUTBOX_STATES.has(o.state)) outcomes.wake(o.chave);
  };
  rt.onSefaz({ onAuthorized: onOutcome, onDenied: onOutcome, onRejected: onOutcome, onCancelled: onOutcome });

  /** Record of a signed CT-e, from its own bytes (also what resume rebuilds after a crash). */
  function recordOf(signedXml: string, e: { user: string; seriesId: string; number: number }): CteRecord {
    const m = parseCte(signedXml).infCte;
    const series = parseSeriesId(e.seriesId);
    const toma = m.ide.toma3?.toma;
    const tomador = ({ '0': m.rem, '1': m.exped, '2': m.receb, '3': m.dest } as Record<string, typeof m.rem>)[toma ?? ''] ?? m.ide.toma4;
    const chave = m['@Id'].slice(3);
    return {
      id: chave,
      chave,
      model: 57,
      cnpj: series.cnpj,
      serie: series.serie,
      number: e.number,
      orderId: null,
      cliente: m.dest?.xNome ?? '',
      clienteDocumento: m.dest?.CNPJ ?? m.dest?.CPF ?? '',
      totalCentavos: Math.round(Number(m.vPrest.vTPrest) * 100),
      issuedAt: m.ide.dhEmi,
      status: 'processando',
      cStat: null,
      xMotivo: null,
      nProt: null,
      authorizedAt: null,
      messages: [],
      events: [],
      signedXml,
      procXml: null,
      imported: false,
      user: e.user,
      workstation: w.workstation,
      nfeChaves: (m.infCTeNorm.infDoc?.infNFe ?? []).map((n) => n.chave),
      tomadorDocumento: tomador?.CNPJ ?? tomador?.CPF ?? '',
      tomadorNome: tomador?.xNome ?? '',
    };
  }

  /** Builds and signs the CT-e for the journaled number; the signed bytes are fsync'd before the step is. */
  async function signCte(j: JournalRow): Promise<JournalRow> {
    const { sefaz, schemasDir } = sefazReady();
    const p = JSON.parse(j.payload!) as CtePayload;
    const { models, impedimentos } = billedNfes(p.nfeIds);
    if (impedimentos.length) throw new AppError(ErrorCodes.CONFLICT, impedimentos.join(' '));
    const series = parseSeriesId(j.seriesId);
    // The série names the emitente (the establishment, or the group's transport company):
    // its data goes into emit and its own A1 signs.
    const { emitente, identity } = signerOf(series.cnpj);
    const order = freightOrder(models, p.params, series.serie, j.number!, sefaz.config.environment === 'producao' ? 1 : 2, emitente);
    // A failure here leaves the number open for this freight: correcting and emitting again reuses it.
    const normal = emitCte(order, { numbering: { serie: series.serie, nCT: j.number! }, certificate: identity.certificate, schemasDir, now: w.clock.now() });
    // UF in contingency (issue #20): the same number re-keyed for the UF's SVC (the normal key never left), by the same A1.
    const plan = await cteContingencyPlan(rt, series.cnpj);
    const emitted = plan ? rekeyCteForSvc(rt, w.clock, normal.signedXml, plan, billing.journal.userOf(j).login, identity.certificate) : normal;
    const file = `${emitted.chave}-cte.xml`;
    writeDurable(join(rt.documentsDir(), file), emitted.signedXml);
    return billing.journal.set(j.id, { step: 'signed', chave: emitted.chave, xmlFile: file });
  }

  /** CT-e record, NF-e marked carried, outbox row, audit and journal step: ONE local transaction. */
  function commitCte(j: JournalRow): JournalRow {
    const { sefaz } = sefazReady();
    const p = JSON.parse(j.payload!) as CtePayload;
    const signedXml = readFileSync(join(rt.documentsDir(), j.xmlFile!), 'utf8');
    const user = billing.journal.userOf(j);
    const rec = recordOf(signedXml, { user: user.login, seriesId: j.seriesId, number: j.number! });
    const numbers = p.nfeIds.map((id) => w.records.get<NfeRecord>('documents', id)?.number ?? id);
    const committed = w.store.sqlite.transaction(() => {
      sefaz.outbox.enqueue(signedXml);
      rt.actingAs(user.login, () => {
        w.records.put<CteRecord>('documents', rec.id, rec);
        for (const id of p.nfeIds) w.records.put<NfeRecord>('documents', id, { cteId: rec.id });
      });
      w.audit(user.login, 'cte.emit', `NF-e ${numbers.join(', ')} → CT-e ${j.number} série ${rec.serie} (${rec.chave})`, rec.chave);
      return billing.journal.set(j.id, { step: 'committed' });
    })();
    w.events.emit('documents.changed', { ids: [rec.id, ...p.nfeIds] });
    void sefaz.outbox.processDue().catch(() => undefined);
    return committed;
  }
  billing.registerFlow('cte', { sign: signCte, commit: commitCte });

  async function emit(p: CteEmitParams, user: SessionUser): Promise<FinalizeResult> {
    sefazReady();
    const { records, impedimentos } = billedNfes(p.nfeIds);
    if (impedimentos.length) throw new AppError(ErrorCodes.CONFLICT, impedimentos.join(' '));
    const series = parseSeriesId(p.seriesId);
    if (series.model !== 57) throw new AppError(ErrorCodes.INVALID_INPUT, 'Escolha uma série de CT-e (modelo 57).', { field: 'seriesId' });
    // Refused before any lock or number when this station lacks the emitente's A1.
    signerOf(series.cnpj);
    // UF in contingency without an available option: the 105 refusal before any number is taken.
    await cteContingencyPlan(rt, series.cnpj);
    await rt.requireLan(user.login);
    // The freight of these NF-e is one "order" at the LAN server: its lock keeps two faturistas
    // from billing it twice, and its open allocation gives a retry the same number back.
    const freightId = `cte:${[...records.map((r) => r.chave)].sort()[0]}`;
    const j0 =
      billing.journal.liveFor(freightId) ??
      billing.journal.create({ kind: 'cte', orderId: freightId, user, seriesId: p.seriesId, suggested: p.suggested, printTo: p.printTo, allocRequestId: p.requestId, payload: { nfeIds: records.map((r) => r.id), params: p } satisfies CtePayload });
    let j: JournalRow;
    try {
      j = await billing.run(j0.id);
    } catch (err) {
      if (err instanceof AppError && err.code === CONTINGENCY_PENDING) throw err;
      if (billing.isTransient(err) && billing.journal.get(j0.id)?.step !== 'abandoned') {
        throw new AppError('LAN_OFFLINE', 'Servidor LAN fora do ar no meio da emissão: o CT-e é concluído automaticamente quando ele voltar, com o mesmo número.');
      }
      throw err;
    }
    const chave = j.chave!;
    const out = rt.sefaz?.outbox.get(chave);
    if (!out || !FINAL_OUTBOX_STATES.has(out.state)) await outcomes.wait(chave, FINAL_WAIT_MS);
    const final = doc(chave);
    const msg = `CT-e ${j.number} série ${series.serie}: ${summaryOf(final).statusLabel.toLowerCase()}.`;
    return {
      documentId: final.id,
      number: j.number!,
      serie: series.serie,
      chave: final.chave,
      suggested: p.suggested,
      numberChanged: Boolean(j.numberChanged),
      status: final.status,
      message: final.status === 'rejeitada' ? `${msg} ${final.cStat ?? ''} - ${final.xMotivo ?? ''}`.trim() : msg,
    };
  }

  function registered(chave: string) {
    return rt.sefaz?.cte.events.registered(chave) ?? [];
  }

  function liveComprovante(chave: string) {
    const evs = registered(chave);
    const cancelled = new Set(evs.filter((e) => e.tpEvento === CTE_EVENTO.cancelamentoComprovante).map((e) => e.nSeqEvento));
    // 110181 carries the protocol of the comprovante it cancels; sequences pair them here.
    return evs.filter((e) => e.tpEvento === CTE_EVENTO.comprovanteEntrega && !cancelled.has(e.nSeqEvento)).pop() ?? null;
  }

  function cteDetail(d: CteRecord): DocumentDetail & { cte: CteDetailDto } {
    const authorizedAt = d.authorizedAt ? Date.parse(d.authorizedAt) : NaN;
    const age = w.clock.now().getTime() - authorizedAt;
    const entrega = liveComprovante(d.chave);
    const cancelBlockedReason =
      d.status === 'cancelada'
        ? 'Este CT-e já está cancelado.'
        : d.status !== 'autorizada'
          ? 'Só um CT-e autorizado pode ser cancelado.'
          : entrega
            ? 'Há comprovante de entrega autorizado: cancele o comprovante antes de cancelar o CT-e.'
            : !(age <= CANCEL_WINDOW_MS)
              ? 'Prazo de 24 horas da autorização encerrado: emita um CT-e de anulação ou substituição.'
              : null;
    // The tomador informs the desacordo with its own A1: one of the emitentes installed here.
    // Before SEFAZ is set up on this station (no A1 opened yet), the configuration says it.
    const tomadorDoc = String(d.tomadorDocumento ?? '').replace(/[^0-9A-Za-z]/g, '').toUpperCase();
    const tomadorHere =
      !!tomadorDoc &&
      (rt.sefaz
        ? rt.sefaz.cte.forCnpj(tomadorDoc) !== null
        : [establishmentOf(w)?.cnpj ?? '', ...rt.emitenteCertificateCnpjs()].some((c) => c.replace(/[^0-9A-Za-z]/g, '').toUpperCase().slice(0, 8) === tomadorDoc.slice(0, 8)));
    const desacordoBlockedReason =
      d.status !== 'autorizada'
        ? 'Só um CT-e autorizado (não cancelado nem denegado) aceita prestação em desacordo.'
        : !tomadorHere
          ? 'Só o tomador do serviço pode informar desacordo, com o certificado dele.'
          : !(age <= DESACORDO_DAYS * 24 * HOUR)
            ? `Prazo de ${DESACORDO_DAYS} dias da autorização encerrado.`
            : registered(d.chave).some((e) => e.tpEvento === CTE_EVENTO.desacordo)
              ? 'Desacordo já registrado para este CT-e.'
              : null;
    return {
      ...summaryOf(d),
      messages: d.messages,
      nProt: d.nProt,
      events: d.events.map((e) => ({ tpEvento: e.tpEvento, nSeq: e.nSeq, at: e.at, cStat: e.cStat, xMotivo: e.xMotivo, texto: e.texto })),
      canCancel: cancelBlockedReason === null,
      cancelBlockedReason,
      canCce: d.status === 'autorizada' && d.events.filter((e) => e.tpEvento === CTE_EVENTO.cartaCorrecao).length < 20,
      canResend: false,
      cte: {
        emitente: emitenteByCnpj(w, d.cnpj)?.razaoSocial ?? (d.signedXml ? (parseCte(d.signedXml).infCte.emit.xNome ?? '') : ''),
        emitenteDocumento: d.cnpj,
        nfeChaves: d.nfeChaves ?? [],
        tomador: d.tomadorNome ?? '',
        tomadorDocumento: d.tomadorDocumento ?? '',
        canEntrega: d.status === 'autorizada' && !entrega,
        entregaProt: entrega?.nProt ?? null,
        canDesacordo: desacordoBlockedReason === null,
        desacordoBlockedReason,
      },
    };
  }

  /** Sends a signed event (stored first by CteFiscalEvents) and lists it on the document. */
  async function sendEvent(d: CteRecord, signed: string, texto: string, user: string, extra?: string) {
    const { sefaz } = sefazReady();
    const ev = await sefaz.cte.events.send(signed, extra);
    const fresh = doc(d.id);
    updateDoc(d.id, {
      ...(ev.tpEvento === CTE_EVENTO.cancelamento ? { status: 'cancelada' as const } : {}),
      events: [...fresh.events, { tpEvento: ev.tpEvento, nSeq: ev.nSeqEvento, at: w.clock.now().toISOString(), cStat: ev.cStat, xMotivo: ev.xMotivo, texto, nProt: ev.nProt }],
    });
    w.audit(user, `cte.evento.${ev.tpEvento}`, `CT-e ${d.number} série ${d.serie}: ${CTE_EVENTO_LABEL[ev.tpEvento] ?? ev.tpEvento} seq ${ev.nSeqEvento} (${ev.nProt})`, d.id);
    return ev;
  }

  const authorized = (d: CteRecord) => {
    if (d.status !== 'autorizada' || !d.nProt || !d.authorizedAt) throw new AppError(BillingErrors.NOT_AUTHORIZED, 'O evento só pode ser registrado para um CT-e autorizado.');
    return { nProt: d.nProt, authorizedAt: d.authorizedAt };
  };

  const checked = <M extends keyof Methods>(m: M, fn: (p: Methods[M]['params'], ctx: CallContext) => Methods[M]['result'] | Promise<Methods[M]['result']>) =>
    ((params: unknown, ctx: CallContext) => fn(cteInput[m](params) as Methods[M]['params'], ctx)) as DomainHandlers<Methods>[M];

  const handlers: DomainHandlers<Methods> = {
    'cte.draft': checked('cte.draft', async (p, ctx) => {
      w.sessions.require(ctx, 'faturista');
      const est = establishmentOf(w);
      if (!est) throw new AppError(BillingErrors.NO_ESTABLISHMENT, 'Cadastre o estabelecimento emitente em Administração.');
      const { records, models, impedimentos } = billedNfes(p.nfeIds);
      const emitentes = await emitenteOptions();
      const series = emitentes.flatMap((e) => e.series);
      if (series.length === 0) impedimentos.push('Nenhuma série de CT-e (modelo 57) ativa: cadastre uma em Administração > Séries.');
      else if (!emitentes.some((e) => e.aviso === null)) impedimentos.push(emitentes.find((e) => e.series.length > 0)?.aviso ?? 'Nenhum emitente com certificado e série de CT-e nesta estação.');
      const party = (x: { CNPJ?: string; CPF?: string; xNome?: string } | undefined, e: { xMun: string; UF: string } | undefined) => ({ documento: x?.CNPJ ?? x?.CPF ?? '', nome: x?.xNome ?? '', municipio: e?.xMun ?? '', uf: e?.UF ?? '' });
      let order: CteOrder | null = null;
      if (models.length) {
        try {
          order = cteOrderFromNfes(models, { emitente: emitenteOf(est), prestacao: { componentes: [] }, icms: { cst: '00' }, rodoviario: { rntrc: '' } });
        } catch (err) {
          impedimentos.push((err as Error).message);
        }
      }
      const first = models[0]?.infNFe;
      const draft: CteDraftDto = {
        nfes: records.map((r) => ({ id: r.id, chave: r.chave, serie: r.serie, number: r.number, totalCentavos: r.totalCentavos })),
        remetente: party(first?.emit, first?.emit.enderEmit),
        destinatario: party(first?.dest, first?.dest?.enderDest),
        cargaCentavos: order?.carga.valor ? Math.round(Number(order.carga.valor) * 100) : 0,
        produtoPredominante: order?.carga.produtoPredominante ?? '',
        litros: String(order?.carga.quantidades.find((q) => q.unidade === 'LITROS')?.quantidade ?? ''),
        placa: order?.veiculo?.placa ?? '',
        ufPlaca: order?.veiculo?.uf ?? '',
        cfop: order?.cfop ?? '',
        emitentes,
        series,
        impedimentos,
      };
      return draft;
    }),
    'cte.emit': checked('cte.emit', async (p, ctx) => {
      const me = w.sessions.require(ctx, 'faturista');
      return emit(p, me.user);
    }),
    'cte.get': checked('cte.get', (p, ctx) => {
      w.sessions.require(ctx, 'faturista', 'expedicao');
      return cteDetail(cteDoc(p.id));
    }),
    'cte.cancel': checked('cte.cancel', async (p, ctx) => {
      const me = w.sessions.require(ctx, 'faturista');
      const d = cteDoc(p.id);
      const det = cteDetail(d);
      if (!det.canCancel) throw new AppError(BillingErrors.CANCEL_WINDOW, det.cancelBlockedReason ?? 'Cancelamento não permitido.');
      const a = authorized(d);
      const signed = eventSigner(d).signCancel({ chave: d.chave, cnpj: d.cnpj, nProt: a.nProt, xJust: p.justificativa, authorizedAt: a.authorizedAt });
      const ev = await sendEvent(d, signed, p.justificativa, me.user.login);
      await rt.lan?.updateState({ series: { cnpj: d.cnpj, model: 57, serie: d.serie }, number: d.number, state: 'cancelled', detail: ev.nProt }).catch(() => undefined);
      // The NF-e are free again for a new CT-e.
      for (const k of d.nfeChaves ?? []) if (w.records.get<NfeRecord>('documents', k)?.cteId === d.id) updateDoc(k, { cteId: null });
      return cteDetail(doc(d.id));
    }),
    'cte.cce': checked('cte.cce', async (p, ctx) => {
      const me = w.sessions.require(ctx, 'faturista');
      const d = cteDoc(p.id);
      authorized(d);
      const { sefaz } = sefazReady();
      const next: InfCorrecao[] = p.correcoes.map((c) => ({ grupoAlterado: c.grupo, campoAlterado: c.campo, valorAlterado: c.valor, ...(c.item ? { nroItemAlterado: c.item } : {}) }));
      const correcoes = cumulativeCorrections(sefaz.cte.events.lastCorrections(d.chave), next);
      const seq = sefaz.cte.events.nextSeq(d.chave, CTE_EVENTO.cartaCorrecao);
      const signed = eventSigner(d).signCce({ chave: d.chave, cnpj: d.cnpj, nSeqEvento: seq, correcoes });
      const texto = p.correcoes.map((c) => `${c.grupo}/${c.campo}${c.item ? ` item ${c.item}` : ''} = ${c.valor}`).join('; ');
      await sendEvent(d, signed, texto, me.user.login, JSON.stringify(correcoes));
      return cteDetail(doc(d.id));
    }),
    'cte.entrega': checked('cte.entrega', async (p, ctx) => {
      const me = w.sessions.require(ctx, 'faturista', 'expedicao');
      const d = cteDoc(p.id);
      const a = authorized(d);
      if (liveComprovante(d.chave)) throw new AppError(ErrorCodes.CONFLICT, 'Este CT-e já tem comprovante de entrega autorizado; cancele-o para enviar outro.');
      const { sefaz } = sefazReady();
      const seq = sefaz.cte.events.nextSeq(d.chave, CTE_EVENTO.comprovanteEntrega);
      // The canhoto image is evidence: kept beside the XMLs before the event that hashes it goes out.
      writeFileSync(join(rt.documentsDir(), `${d.chave}-canhoto-${seq}.img`), Buffer.from(p.imagemBase64, 'base64'), { flag: 'w' });
      const signed = eventSigner(d).signComprovante({
        chave: d.chave,
        cnpj: d.cnpj,
        nSeqEvento: seq,
        nProt: a.nProt,
        dhEntrega: p.dataHora,
        nDoc: p.documento,
        xNome: p.nome,
        ...(p.latitude ? { latitude: p.latitude, longitude: p.longitude! } : {}),
        imageBase64: p.imagemBase64,
        chavesNFe: d.nfeChaves ?? [],
      });
      const t = p.dataHora;
      await sendEvent(d, signed, `Recebido por ${p.nome} (${p.documento}) em ${t.slice(8, 10)}/${t.slice(5, 7)}/${t.slice(0, 4)} ${t.slice(11, 16)}`, me.user.login);
      return cteDetail(doc(d.id));
    }),
    'cte.entregaCancel': checked('cte.entregaCancel', async (p, ctx) => {
      const me = w.sessions.require(ctx, 'faturista', 'expedicao');
      const d = cteDoc(p.id);
      const a = authorized(d);
      const ce = liveComprovante(d.chave);
      if (!ce?.nProt) throw new AppError(ErrorCodes.CONFLICT, 'Este CT-e não tem comprovante de entrega autorizado.');
      // Same sequence as the comprovante it cancels: that is how liveComprovante pairs them.
      const signed = eventSigner(d).signCancelComprovante({ chave: d.chave, cnpj: d.cnpj, nSeqEvento: ce.nSeqEvento, nProt: a.nProt, nProtCE: ce.nProt });
      await sendEvent(d, signed, `Cancela o comprovante ${ce.nProt}`, me.user.login);
      return cteDetail(doc(d.id));
    }),
    'cte.desacordo': checked('cte.desacordo', async (p, ctx) => {
      const me = w.sessions.require(ctx, 'faturista');
      const d = cteDoc(p.id);
      const det = cteDetail(d);
      if (!det.cte.canDesacordo) throw new AppError(ErrorCodes.CONFLICT, det.cte.desacordoBlockedReason ?? 'Desacordo não permitido.');
      const { sefaz } = sefazReady();
      const a = authorized(d);
      const tomadorClient = sefaz.cte.forCnpj(d.tomadorDocumento ?? '')?.client;
      if (!tomadorClient) throw new AppError(ErrorCodes.CONFLICT, 'Só o tomador do serviço pode informar desacordo, com o certificado dele.');
      const signed = tomadorClient.signDesacordo({ chave: d.chave, tomador: d.tomadorDocumento!, xObs: p.observacao, authorizedAt: a.authorizedAt });
      await sendEvent(d, signed, p.observacao, me.user.login);
      return cteDetail(doc(d.id));
    }),
  };

  return {
    handlers,
    wrap(billing) {
      const isCte = (id: unknown) => w.records.get<DocumentRecord>('documents', String(id ?? ''))?.model === 57;
      return {
        'documents.get': (params, ctx) => (isCte(params?.id) ? handlers['cte.get'](params, ctx) : billing['documents.get'](params, ctx)),
        'documents.cancel': (params, ctx) => (isCte(params?.id) ? handlers['cte.cancel'](params, ctx) : billing['documents.cancel'](params, ctx)),
        'documents.cce': (params, ctx) => {
          if (isCte(params?.id)) throw new AppError(ErrorCodes.INVALID_INPUT, 'A carta de correção do CT-e indica grupo, campo e novo valor: use a correção do CT-e.', { field: 'correcao' });
          return billing['documents.cce'](params, ctx);
        },
        'documents.resend': (params, ctx) => {
          if (isCte(params?.id)) throw new AppError(ErrorCodes.CONFLICT, 'CT-e rejeitado: corrija os dados e emita de novo a partir das NF-e (o número é reaproveitado).');
          return billing['documents.resend'](params, ctx);
        },
        'documents.xml': (params, ctx) => {
          if (!isCte(params?.id)) return billing['documents.xml'](params, ctx);
          w.sessions.require(ctx, 'faturista', 'expedicao');
          const d = cteDoc(params.id);
          return d.procXml ? { fileName: `${d.chave}-procCTe.xml`, xml: d.procXml } : { fileName: `${d.chave}-cte.xml`, xml: d.signedXml };
        },
        'documents.pdf': async (params, ctx) => {
          if (!isCte(params?.id)) return billing['documents.pdf'](params, ctx);
          w.sessions.require(ctx, 'faturista', 'expedicao');
          const d = cteDoc(params.id);
          const pdf = await documentPdf(w, d);
          return { fileName: `DACTE-${d.serie}-${d.number}.pdf`, base64: pdf.toString('base64') };
        },
      };
    },
    resume() {
      const legacy = w.settings.get<Record<string, LegacyJournalEntry>>(LEGACY_JOURNAL_KEY, {});
      if (!rt.sefaz || Object.keys(legacy).length === 0) return;
      for (const entry of Object.values(legacy)) {
        const signedXml = rt.readDocumentFile(`${entry.chave}-cte.xml`);
        if (!signedXml) continue;
        try {
          w.store.sqlite.transaction(() => {
            if (rt.sefaz!.outbox.get(entry.chave) === undefined) rt.sefaz!.outbox.enqueue(signedXml);
            if (!w.records.get<CteRecord>('documents', entry.chave)) w.records.put<CteRecord>('documents', entry.chave, recordOf(signedXml, entry));
            for (const id of entry.nfeIds) w.records.put<NfeRecord>('documents', id, { cteId: entry.chave });
            w.audit(entry.user, 'cte.resume', `CT-e ${entry.number} (${entry.chave}) retomado do passo ${entry.step} após uma interrupção`, entry.chave);
          })();
        } catch (err) {
          w.audit(entry.user, 'cte.resume.failed', `${entry.chave}: ${(err as Error).message}`, entry.chave);
        }
      }
      w.settings.set(LEGACY_JOURNAL_KEY, {});
    },
  };
}
