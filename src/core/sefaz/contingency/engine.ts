import { and, eq, max } from 'drizzle-orm';
import { isoWithOffset, systemClock, type Clock } from '../../clock';
import { buildEpecOfCte, buildEpecOfNfe, CTE_TP_EMIS, NFE_TP_EMIS, resignInContingency } from '../../fiscal/contingency';
import { signXml, type SigningMaterial } from '../../fiscal/sign';
import { isoInUf } from '../../fiscal/timezone';
import type { Store } from '../../store/open';
import { sefazDocuments } from '../../store/schema/sefaz';
import type { EventResult, InutResult, SefazClient } from '../client';
import type { CteSefazClient } from '../cte-client';
import type { Uf } from '../endpoints';
import { writeFiscalFile } from '../files';
import { identifyNFe, SefazOutbox, type BackoffPolicy, type OutboxDocument } from '../outbox';
import { svcTpEmis } from '../svc-table';
import type { ContingencyDoc, ContingencyState } from './state';
import { join } from 'node:path';

/**
 * Emission in contingency, for NF-e and CT-e alike (the seed's "Contingência para Módulo
 * CT-e"): a failed exchange with the UF authorizer puts the UF in contingency; each document
 * then goes to the first option of the establishment's priority order that is available;
 * the document that found the outage is never resent blindly (the "108" rule); when a status
 * poll finds the UF back, EPEC/FS-DA documents are transmitted and the 108 documents are
 * consulted, then cancelled or inutilizados. Every step is written down and audited.
 */

export type ContingencyOption = 'svc' | 'epec' | 'fsda' | 'nenhuma';
export type ContingencyChoice = 'auto' | ContingencyOption;
export const CONTINGENCY_OPTIONS: readonly ContingencyOption[] = ['svc', 'epec', 'fsda', 'nenhuma'];
/** The seed's examples: SVC → EPEC → FS-DA (NF-e), SVC → EPEC → Nenhuma (CT-e). */
export const DEFAULT_PRIORITY: Record<'nfe' | 'cte', ContingencyOption[]> = { nfe: ['svc', 'epec', 'fsda'], cte: ['svc', 'epec', 'nenhuma'] };
/** EPEC / FS-DA documents must reach the UF within 168 hours of the entry (FISCAL.md). */
export const TRANSMISSION_DEADLINE_MS = 168 * 3_600_000;

type Client = SefazClient | CteSefazClient;

export interface ContingencyEngineOptions {
  model: 'nfe' | 'cte';
  uf: Uf;
  cnpj: string;
  store: Store;
  state: ContingencyState;
  outDir: string;
  key: SigningMaterial;
  /** Client of the UF authorizer (NF-e: also sends EPEC to the Ambiente Nacional). */
  normal: Client;
  /** Client of the UF's SVC (CT-e: also receives the CT-e EPEC). */
  svc: Client;
  priority?: ContingencyOption[];
  /** How long one attempt at an authorizer may take before it counts as failed. */
  attemptMs?: number;
  actor?: string;
  clock?: Clock;
  backoff?: Partial<BackoffPolicy>;
  verAplic?: string;
  /** The next free number of the series (the LAN server's allocation); default: the highest this station knows + 1. */
  nextNumber?: (serie: number) => number;
}

/** SVC refusals that mean "not active for this UF": nothing was recorded under the SVC key. */
const SVC_NOT_ACTIVE = new Set(['114']);
/** Service paused (108 short term, 109 without forecast): an answer that refuses nothing. */
const SERVICE_PAUSED = new Set(['108', '109']);

export type SendStatus = 'authorized' | 'epec' | 'fsda' | 'pending' | 'rejected' | 'denied' | 'conflict';

export interface SendResult {
  status: SendStatus;
  /** The key the document finally carries (a contingency key when re-keyed). */
  chave: string;
  /** Codes in the seed's sense: 108 (this document found the outage), 109 (UF in contingency), 136, 105. */
  codes: string[];
  message: string;
  files: string[];
  /** The document this one replaced under the next number (108 rule). */
  replaces?: string;
}

const FAILURE_OUTCOMES = new Set(['unreachable', 'no-reply', 'tls', 'error']);
/** Outcomes after which the request may have been processed by SEFAZ. */
const UNCERTAIN_OUTCOMES = new Set(['no-reply', 'error']);

export class ContingencyEngine {
  private readonly clock: Clock;
  private readonly priority: ContingencyOption[];
  private readonly actor: string;

  constructor(private readonly o: ContingencyEngineOptions) {
    this.clock = o.clock ?? systemClock;
    this.priority = (o.priority ?? DEFAULT_PRIORITY[o.model]).filter((p) => o.model === 'nfe' || p !== 'fsda');
    this.actor = o.actor ?? 'estação';
  }

  private now(): string {
    return isoWithOffset(this.clock.now());
  }

  private audit(chave: string | null, action: string, detail: string): void {
    this.o.state.audit({ at: this.now(), uf: this.o.uf, chave, action, detail, actor: this.actor });
  }

  private outbox(client: Client): SefazOutbox {
    return new SefazOutbox({ store: this.o.store, client, outDir: this.o.outDir, sync: true, clock: this.clock, ...(this.o.backoff ? { backoff: this.o.backoff } : {}) });
  }

  inContingency() {
    return this.o.state.uf(this.o.uf, this.o.model);
  }

  /** Manual entry (an administrator, with a reason), e.g. for announced maintenance. */
  enter(reason: string, source: 'auto' | 'manual' = 'manual', actor = this.actor): boolean {
    return this.o.state.enter({ uf: this.o.uf, model: this.o.model, since: this.now(), reason, source, actor });
  }

  leave(reason: string, actor = this.actor): boolean {
    return this.o.state.leave(this.o.uf, this.o.model, this.now(), reason, actor);
  }

  /**
   * Status poll of the UF authorizer (NFeStatusServico4 / CTeStatusServicoV4). 107 while in
   * contingency ends it — unless an administrator entered it by hand — and reconciles.
   */
  async poll(): Promise<{ available: boolean; cStat?: string; xMotivo?: string; reconciled?: ReconcileReport }> {
    let r: { cStat: string; xMotivo: string };
    try {
      r = await this.o.normal.status();
    } catch (err) {
      this.enter(`Sem resposta do autorizador da UF na consulta de status: ${(err as Error).message}`, 'auto');
      return { available: false };
    }
    if (r.cStat !== '107') {
      this.enter(`Consulta de status: ${r.cStat} ${r.xMotivo}`, 'auto');
      return { available: false, cStat: r.cStat, xMotivo: r.xMotivo };
    }
    const cur = this.inContingency();
    if (cur?.source === 'manual') return { available: true, cStat: r.cStat, xMotivo: r.xMotivo };
    if (cur) this.leave(`Autorizador da UF respondeu ${r.cStat} ${r.xMotivo}`, 'status');
    const reconciled = await this.reconcile();
    return { available: true, cStat: r.cStat, xMotivo: r.xMotivo, reconciled };
  }

  /** Sends one signed document, in contingency when the UF is (or turns out to be) in it. */
  async send(signedXml: string, choice: ContingencyChoice = 'auto'): Promise<SendResult> {
    const id = identifyNFe(signedXml);
    if (this.inContingency()) await this.poll();
    if (!this.inContingency()) {
      const box = this.outbox(this.o.normal);
      box.enqueue(signedXml);
      await box.drain(this.o.attemptMs ?? 35_000);
      const doc = box.get(id.chave)!;
      const settled = this.settled(doc);
      if (settled) return settled;
      const failure = this.failureOf(id.chave);
      if (!failure) return { status: 'pending', chave: id.chave, codes: ['105'], message: 'Em processamento na SEFAZ: a fila da estação segue consultando.', files: [] };
      this.enter(failure.reason, 'auto');
      this.audit(id.chave, 'deteccao', `Documento que identificou a contingência (108): ${failure.reason}`);
      if (choice === 'nenhuma') {
        return { status: 'pending', chave: id.chave, codes: ['108', '105'], message: `108 – Entrada da SEFAZ em contingência: ${failure.reason}. O documento fica na fila da estação (sem contingência escolhida).`, files: [] };
      }
      if (failure.uncertain) return this.replaceUnderNextNumber(doc, failure.reason, choice);
      // Certainly not received (refused connection, 108/109 reply): the same number may take a contingency key.
      return this.issueInContingency(signedXml, choice, { discard: doc, codes: ['108'] });
    }
    return this.issueInContingency(signedXml, choice, { codes: ['109'] });
  }

  private settled(doc: OutboxDocument): SendResult | undefined {
    const files = doc.procPath ? [doc.procPath] : [];
    switch (doc.state) {
      case 'authorized':
        return { status: 'authorized', chave: doc.chave, codes: [doc.cStat ?? '100'], message: `Autorizada — protocolo ${doc.nProt ?? ''}`, files };
      case 'rejected':
        return { status: 'rejected', chave: doc.chave, codes: [doc.cStat ?? ''], message: `Rejeição ${doc.cStat}: ${doc.xMotivo ?? ''}`, files };
      case 'denied':
        return { status: 'denied', chave: doc.chave, codes: [doc.cStat ?? ''], message: `Denegado ${doc.cStat}: ${doc.xMotivo ?? ''}`, files };
      case 'conflict':
        return { status: 'conflict', chave: doc.chave, codes: ['539'], message: doc.xMotivo ?? 'Número já usado com outra chave', files };
      default:
        return undefined;
    }
  }

  /** Why the authorizer is considered out: the last exchanges of this document. */
  private failureOf(chave: string): { reason: string; uncertain: boolean } | undefined {
    const messages = this.outbox(this.o.normal).messages(chave);
    const failures = messages.filter((m) => FAILURE_OUTCOMES.has(m.outcome) || m.cStat === '108' || m.cStat === '109');
    if (failures.length === 0) return undefined;
    const last = failures[failures.length - 1]!;
    const uncertain = messages.some((m) => (m.service === 'autorizacao' || m.service === 'recepcaoSinc') && UNCERTAIN_OUTCOMES.has(m.outcome));
    const reason = last.cStat ? `${last.cStat} ${last.xMotivo ?? ''}`.trim() : `${last.outcome === 'unreachable' ? 'conexão recusada' : last.outcome === 'no-reply' ? 'sem resposta' : last.outcome}: ${last.error ?? ''}`.trim();
    return { reason, uncertain };
  }

  /** The outbox row stops for good: another document (same number re-keyed, or the next number) takes its place. */
  private retire(doc: OutboxDocument, why: string): void {
    this.o.store.db.update(sefazDocuments).set({ state: 'superseded', lastError: why, updatedAt: this.now() }).where(eq(sefazDocuments.chave, doc.chave)).run();
  }

  private nextNumber(serie: number): number {
    if (this.o.nextNumber) return this.o.nextNumber(serie);
    const mod = this.o.model === 'nfe' ? '55' : '57';
    const row = this.o.store.db
      .select({ n: max(sefazDocuments.nNF) })
      .from(sefazDocuments)
      .where(and(eq(sefazDocuments.cnpj, this.o.cnpj), eq(sefazDocuments.mod, mod), eq(sefazDocuments.serie, serie)))
      .get();
    return Math.max(row?.n ?? 0, this.o.state.maxNumber(this.o.cnpj, this.o.model, serie)) + 1;
  }

  /**
   * The 108 rule: this document's request may have reached SEFAZ, so it is neither resent
   * nor re-keyed. The order is billed again under the next number in contingency,
   * referencing it; on return it is consulted and cancelled or inutilizado.
   */
  private async replaceUnderNextNumber(doc: OutboxDocument, reason: string, choice: ContingencyChoice): Promise<SendResult> {
    const nNF = this.nextNumber(doc.serie);
    const what = this.o.model === 'nfe' ? 'NF-e' : 'CT-e';
    const reference = `Substitui a ${what} ${doc.serie}/${doc.nNF} (chave ${doc.chave}), transmitida sem resposta da SEFAZ, a ser cancelada ou inutilizada.`;
    const r = await this.issueInContingency(doc.signedXml, choice, { codes: ['108'], nNF, reference, replaces: doc.chave });
    // No contingency took it: the first document stays in the outbox, whose consult-first
    // recovery is safe on its own (nothing was issued under another key or number).
    if (r.chave === doc.chave || r.status === 'rejected') return r;
    this.retire(doc, `108: ${reason}`);
    this.o.state.upsertDoc({ chave: doc.chave, model: this.o.model, uf: this.o.uf, cnpj: doc.cnpj, serie: doc.serie, nnf: doc.nNF, kind: 'descarte', state: 'pending', origin_chave: null, replaced_by: r.chave, signed_xml: doc.signedXml, deadline: null, note: `Necessita interação (108): ${reason}`, at: this.now() });
    this.audit(doc.chave, 'descarte', `Não será reenviado: faturado de novo sob o número ${nNF} (chave ${r.chave}); na volta da SEFAZ é consultado — cancelado se autorizado, inutilizado se não consta.`);
    return { ...r, replaces: doc.chave };
  }

  private entry(): { dhCont: string; xJust: string } {
    const cur = this.inContingency();
    const why = cur?.reason ?? 'autorizador da UF indisponível';
    const xJust = `Contingência: ${why}`.replace(/\s+/g, ' ').slice(0, 256);
    // dhCont in the emitente's UF time, like dhEmi (issue #18), whole seconds (TDateTimeUTC).
    const since = cur ? new Date(cur.since) : this.clock.now();
    return { dhCont: isoInUf(new Date(Math.floor(since.getTime() / 1000) * 1000), this.o.uf), xJust: xJust.length >= 15 ? xJust : `${xJust} (SEFAZ fora do ar)` };
  }

  private async issueInContingency(
    signedXml: string,
    choice: ContingencyChoice,
    ctx: { discard?: OutboxDocument; codes: string[]; nNF?: number; reference?: string; replaces?: string },
  ): Promise<SendResult> {
    const options = choice === 'auto' ? this.priority : [choice];
    const tried: string[] = [];
    for (const option of options) {
      if (option === 'nenhuma') break;
      if (option === 'fsda' && this.o.model === 'cte') {
        tried.push('FS-DA não existe para CT-e 4.00');
        continue;
      }
      const r = option === 'svc' ? await this.viaSvc(signedXml, ctx) : option === 'epec' ? await this.viaEpec(signedXml, ctx) : this.viaFsda(signedXml, ctx);
      if (typeof r === 'string') {
        tried.push(r);
        this.audit(identifyNFe(signedXml).chave, 'indisponivel', `${option.toUpperCase()} indisponível: ${r}`);
        continue;
      }
      return r;
    }
    const chave = identifyNFe(signedXml).chave;
    this.audit(chave, 'pendente', `Nenhuma contingência disponível (${tried.join('; ') || 'nenhuma configurada'}): documento pendente.`);
    return { status: 'pending', chave, codes: [...ctx.codes, '105'], message: `105 – Documento pendente: nenhuma contingência disponível${tried.length ? ` (${tried.join('; ')})` : ''}. Consulte antes de emitir o próximo.`, files: [] };
  }

  private twin(signedXml: string, tpEmis: number, ctx: { nNF?: number; reference?: string }) {
    return resignInContingency(signedXml, { tpEmis, contingencia: this.entry(), ...(ctx.nNF !== undefined ? { nNF: ctx.nNF } : {}), ...(ctx.reference ? { reference: ctx.reference } : {}) }, this.o.key);
  }

  private record(kind: ContingencyDoc['kind'], state: ContingencyDoc['state'], chave: string, signed: string, origin: string, deadline: string | null, note: string): void {
    const id = identifyNFe(signed);
    this.o.state.upsertDoc({ chave, model: this.o.model, uf: this.o.uf, cnpj: id.cnpj, serie: id.serie, nnf: id.nNF, kind, state, origin_chave: origin, replaced_by: null, signed_xml: signed, deadline, note, at: this.now() });
  }

  private deadline(): string {
    const since = this.inContingency()?.since ?? this.now();
    return isoWithOffset(new Date(new Date(since).getTime() + TRANSMISSION_DEADLINE_MS));
  }

  private async viaSvc(signedXml: string, ctx: { discard?: OutboxDocument; codes: string[]; nNF?: number; reference?: string }): Promise<SendResult | string> {
    try {
      const st = await this.o.svc.status();
      if (st.cStat !== '107') return `SVC: ${st.cStat} ${st.xMotivo}`;
    } catch (err) {
      return `SVC sem resposta: ${(err as Error).message}`;
    }
    const tw = this.twin(signedXml, svcTpEmis(this.o.model, this.o.uf), ctx);
    if (ctx.discard) this.retire(ctx.discard, `reemitido em contingência SVC como ${tw.chave}`);
    this.record('svc', 'pending', tw.chave, tw.signedXml, tw.previousChave, null, 'Enviado à SVC');
    this.audit(tw.chave, 'svc', `Chave nova ${tw.chave} (tpEmis ${tw.chave[34]}) no lugar de ${tw.previousChave}; enviado à SVC.`);
    const box = this.outbox(this.o.svc);
    box.enqueue(tw.signedXml);
    await box.drain(this.o.attemptMs ?? 35_000);
    const doc = box.get(tw.chave)!;
    const settled = this.settled(doc);
    if (settled?.status === 'authorized') {
      this.o.state.setDocState(tw.chave, 'done', `Autorizado pela SVC: ${doc.nProt ?? ''}`, this.now());
      this.audit(tw.chave, 'svc-autorizado', `Protocolo ${doc.nProt ?? ''} (a SVC sincroniza com a UF).`);
      return { ...settled, codes: [...ctx.codes, doc.cStat ?? '100'], message: `Autorizada em contingência SVC — protocolo ${doc.nProt ?? ''}` };
    }
    if (settled?.status === 'rejected' && SVC_NOT_ACTIVE.has(doc.cStat ?? '')) {
      // The SVC was switched off between its status answer and this send (114): the SVC key
      // was refused without being recorded, so the document falls to the next option.
      const why = `SVC: ${doc.cStat} ${doc.xMotivo ?? ''}`.trim();
      this.retire(doc, why);
      this.o.state.setDocState(tw.chave, 'failed', why, this.now());
      return why;
    }
    if (settled) {
      this.o.state.setDocState(tw.chave, 'failed', settled.message, this.now());
      this.audit(tw.chave, 'svc-recusado', settled.message);
      return { ...settled, codes: [...ctx.codes, ...settled.codes] };
    }
    // Neither authorized nor refused: the SVC went silent too. The twin stays in the outbox
    // (consult first, never a blind resend); the document waits as pending under its SVC key.
    this.audit(tw.chave, 'svc-sem-resposta', 'SVC sem resposta: o documento segue na fila sob a chave da SVC.');
    return { status: 'pending', chave: tw.chave, codes: [...ctx.codes, '105'], message: 'SVC sem resposta: o documento segue na fila da estação sob a chave da SVC (consulta antes de qualquer reenvio).', files: [] };
  }

  private async viaEpec(signedXml: string, ctx: { discard?: OutboxDocument; codes: string[]; nNF?: number; reference?: string }): Promise<SendResult | string> {
    const tw = this.twin(signedXml, this.o.model === 'nfe' ? NFE_TP_EMIS.epec : CTE_TP_EMIS.epec, ctx);
    const dhEvento = this.now();
    const unsigned = this.o.model === 'nfe' ? buildEpecOfNfe(tw.signedXml, { verAplic: this.o.verAplic ?? 'COMBOIO-1.0', dhEvento }) : buildEpecOfCte(tw.signedXml, { dhEvento, xJust: this.entry().xJust });
    const evento = signXml(unsigned, 'infEvento', this.o.key);
    let r: EventResult;
    try {
      r = this.o.model === 'nfe' ? await (this.o.normal as SefazClient).sendEpec(evento, tw.chave) : await (this.o.svc as CteSefazClient).sendEvento(evento, tw.chave);
    } catch (err) {
      return `EPEC sem resposta: ${(err as Error).message}`;
    }
    if (r.ret.cStat !== '136' && r.ret.cStat !== '135') return `EPEC: ${r.ret.cStat} ${r.ret.xMotivo}`;
    if (ctx.discard) this.retire(ctx.discard, `reemitido em contingência EPEC como ${tw.chave}`);
    const epecFile = writeFiscalFile(join(this.o.outDir, `${tw.chave}-epec.xml`), r.procXml!);
    const docFile = writeFiscalFile(join(this.o.outDir, `${tw.chave}-${this.o.model}.xml`), tw.signedXml);
    this.record('epec', 'pending', tw.chave, tw.signedXml, tw.previousChave, this.deadline(), `EPEC registrado (${r.ret.nProt ?? ''}) — enviar à SEFAZ`);
    this.audit(tw.chave, 'epec', `EPEC registrado ${r.ret.cStat} protocolo ${r.ret.nProt ?? ''}; chave nova no lugar de ${tw.previousChave}; transmitir até ${this.deadline()}.`);
    return { status: 'epec', chave: tw.chave, codes: [...ctx.codes, '136'], message: `136 – EPEC registrado — enviar à SEFAZ quando ela voltar (até ${this.deadline()}).`, files: [epecFile, docFile] };
  }

  private viaFsda(signedXml: string, ctx: { discard?: OutboxDocument; codes: string[]; nNF?: number; reference?: string }): SendResult {
    const tw = this.twin(signedXml, NFE_TP_EMIS.fsda, ctx);
    if (ctx.discard) this.retire(ctx.discard, `reemitido em contingência FS-DA como ${tw.chave}`);
    const file = writeFiscalFile(join(this.o.outDir, `${tw.chave}-nfe.xml`), tw.signedXml);
    this.record('fsda', 'pending', tw.chave, tw.signedXml, tw.previousChave, this.deadline(), 'FS-DA: imprimir o DANFE em formulário de segurança (2 vias) e transmitir na volta');
    this.audit(tw.chave, 'fsda', `FS-DA (tpEmis 5), chave nova no lugar de ${tw.previousChave}; transmitir até ${this.deadline()}.`);
    return { status: 'fsda', chave: tw.chave, codes: [...ctx.codes], message: `Emitido em contingência FS-DA: imprima o DANFE em formulário de segurança, 2 vias; transmissão automática na volta da SEFAZ (até ${this.deadline()}).`, files: [file] };
  }

  /**
   * The UF is back: EPEC and FS-DA documents go for authorization by themselves (an EPEC one
   * only once; 136 is never resent before another status is known), and every 108 document
   * is consulted — cancelled if authorized, its number inutilizado if it does not exist.
   */
  async reconcile(): Promise<ReconcileReport> {
    const report: ReconcileReport = { transmitted: [], cancelled: [], inutilizados: [], failed: [] };
    for (let offset = 0; ; ) {
      const page = this.o.state.pending({ uf: this.o.uf, model: this.o.model, limit: 50, offset });
      if (page.length === 0) break;
      let kept = 0;
      for (const d of page) {
        const ok = d.kind === 'descarte' ? await this.discard(d, report) : d.kind === 'epec' || d.kind === 'fsda' ? await this.transmit(d, report) : true;
        if (!ok) kept++;
      }
      offset += kept;
      if (kept === page.length) break;
    }
    return report;
  }

  private async transmit(d: ContingencyDoc, report: ReconcileReport): Promise<boolean> {
    const box = this.outbox(this.o.normal);
    box.enqueue(d.signed_xml!);
    await box.drain(this.o.attemptMs ?? 35_000);
    const doc = box.get(d.chave)!;
    const settled = this.settled(doc);
    if (settled?.status === 'authorized') {
      this.o.state.setDocState(d.chave, 'done', `Autorizado na volta: ${doc.nProt ?? ''}`, this.now());
      this.audit(d.chave, 'conciliado', `${d.kind === 'epec' ? 'EPEC conciliado' : 'FS-DA transmitido'}: protocolo ${doc.nProt ?? ''}.`);
      report.transmitted.push(d.chave);
      return true;
    }
    if (settled) {
      this.o.state.setDocState(d.chave, 'failed', settled.message, this.now());
      this.audit(d.chave, 'recusado-na-volta', settled.message);
      report.failed.push(d.chave);
      return true;
    }
    return false;
  }

  private async discard(d: ContingencyDoc, report: ReconcileReport): Promise<boolean> {
    const what = this.o.model === 'nfe' ? 'NF-e' : 'CT-e';
    let c: Awaited<ReturnType<SefazClient['consult']>>;
    try {
      c = await this.o.normal.consult(d.chave);
    } catch {
      return false;
    }
    this.audit(d.chave, 'consulta', `Consulta na volta: ${c.cStat} ${c.xMotivo}`);
    const replaced = d.replaced_by ? ` pela ${what} de chave ${d.replaced_by}` : '';
    if (c.cStat === '100' || c.cStat === '150') {
      const nProt = c.prot?.nProt ?? '';
      const xJust = `${what} substituida${replaced} emitida em contingencia; a transmissao desta ficou sem resposta da SEFAZ`.slice(0, 255);
      const signed = this.o.model === 'nfe'
        ? (this.o.normal as SefazClient).signCancel({ chave: d.chave, cnpj: d.cnpj, nProt, xJust, authorizedAt: c.prot?.dhRecbto ?? this.now() })
        : (this.o.normal as CteSefazClient).signCancel({ chave: d.chave, cnpj: d.cnpj, nProt, xJust, authorizedAt: c.prot?.dhRecbto ?? this.now() });
      let r: EventResult;
      try {
        r = await this.o.normal.sendEvento(signed, d.chave);
      } catch {
        return false;
      }
      if (r.ret.cStat === '135' || r.ret.cStat === '155' || r.ret.cStat === '573') {
        if (r.procXml) writeFiscalFile(join(this.o.outDir, `${d.chave}-canc.xml`), r.procXml);
        this.o.state.setDocState(d.chave, 'done', `Cancelado: ${r.ret.nProt ?? r.ret.cStat}`, this.now());
        this.audit(d.chave, 'cancelado', `Autorizado na SEFAZ, cancelado (${r.ret.cStat} ${r.ret.nProt ?? ''}).`);
        report.cancelled.push(d.chave);
        return true;
      }
      // 108/109: the service paused again; try at the next poll, nothing was refused.
      if (SERVICE_PAUSED.has(r.ret.cStat)) return false;
      this.o.state.setDocState(d.chave, 'failed', `Cancelamento recusado: ${r.ret.cStat} ${r.ret.xMotivo}`, this.now());
      this.audit(d.chave, 'cancelamento-recusado', `${r.ret.cStat} ${r.ret.xMotivo}`);
      report.failed.push(d.chave);
      return true;
    }
    if (c.cStat === '101' || c.cStat === '151' || c.cStat === '155') {
      this.o.state.setDocState(d.chave, 'done', 'Já estava cancelado', this.now());
      report.cancelled.push(d.chave);
      return true;
    }
    if (c.cStat === '217') {
      if (this.o.model === 'cte') {
        // CT-e 4.00 has no inutilização: the number stays unused, recorded here.
        this.o.state.setDocState(d.chave, 'done', 'Não consta na SEFAZ: número sem uso (CT-e 4.00 não tem inutilização)', this.now());
        this.audit(d.chave, 'descartado', 'Não consta na SEFAZ; CT-e 4.00 não tem inutilização: número registrado como não utilizado.');
        report.inutilizados.push(d.chave);
        return true;
      }
      const client = this.o.normal as SefazClient;
      const signed = client.signInutilizacao({ ano: d.chave.slice(2, 4), cnpj: d.cnpj, mod: '55', serie: d.serie, nNFIni: d.nnf, nNFFin: d.nnf, xJust: `Numero nao utilizado: NF-e substituida${replaced} em contingencia`.slice(0, 255) });
      let r: InutResult;
      try {
        r = await client.sendInutilizacao(signed);
      } catch {
        return false;
      }
      if (r.ret.cStat === '102' || r.ret.cStat === '206' || r.ret.cStat === '256') {
        if (r.procXml) writeFiscalFile(join(this.o.outDir, `${d.chave}-inut.xml`), r.procXml);
        this.o.state.setDocState(d.chave, 'done', `Inutilizado: ${r.ret.nProt ?? r.ret.cStat}`, this.now());
        this.audit(d.chave, 'inutilizado', `Não consta na SEFAZ: número ${d.nnf} inutilizado (${r.ret.cStat} ${r.ret.nProt ?? ''}).`);
        report.inutilizados.push(d.chave);
        return true;
      }
      if (SERVICE_PAUSED.has(r.ret.cStat)) return false;
      this.o.state.setDocState(d.chave, 'failed', `Inutilização recusada: ${r.ret.cStat} ${r.ret.xMotivo}`, this.now());
      this.audit(d.chave, 'inutilizacao-recusada', `${r.ret.cStat} ${r.ret.xMotivo}`);
      report.failed.push(d.chave);
      return true;
    }
    return false;
  }
}

export interface ReconcileReport {
  transmitted: string[];
  cancelled: string[];
  inutilizados: string[];
  failed: string[];
}

/** A document's tpEmis digit in words (status screens, reports). */
export function tpEmisLabel(chave: string, model: 'nfe' | 'cte'): string {
  const t = chave[34];
  if (t === '1') return 'Normal';
  if (t === '4') return 'EPEC';
  if (t === '5') return 'FS-DA';
  if (model === 'nfe') return t === '6' ? 'SVC-AN' : t === '7' ? 'SVC-RS' : `tpEmis ${t ?? '?'}`;
  return t === '7' ? 'SVC-RS' : t === '8' ? 'SVC-SP' : `tpEmis ${t ?? '?'}`;
}

