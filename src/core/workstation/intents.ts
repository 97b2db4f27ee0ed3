import { existsSync, readFileSync } from 'node:fs';
import type { SessionUser } from '../../shared/api/session';
import { ErrorCodes } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { crashPoint, type CrashPoint } from '../crash-points';
import { AppError } from '../errors';
import { TP_EVENTO } from '../fiscal/events';
import { parseNfe } from '../fiscal/parse';
import type { NumberingClient } from '../numbering/index';
import type { SeriesKey } from '../numbering/protocol';
import type { PrintJob } from '../printing/queue';
import { SefazErrors } from '../sefaz/errors';
import { procNFePath, writeFiscalFile } from '../sefaz/files';
import type { WorkstationContext } from './context';
import type { DocumentRecord } from './documents';
import { IntentJournal, type IntentKind, type IntentRow } from './intent-journal';
import { printFiscalDocument } from './print-document';
import type { WorkstationRuntime } from './runtime';

/**
 * Cancelamento, carta de correção, inutilização, reprint and XML import as durable intents
 * (issue #17): each request is journaled before its first external effect, and every step
 * (signed, SEFAZ's answer stored, the document and the LAN server updated, the job queued)
 * is written before the next one. A process killed anywhere resumes from the intent's step
 * at start, when the LAN server returns and every few seconds — sending the same signed
 * bytes again (SEFAZ's duplicity answer is resolved by its own record of the event), never
 * a second event. `crashPoint` marks each durable step (COMBOIO_CRASH_AT).
 */

interface CancelPayload { docId: string; chave: string; justificativa: string; signed?: string }
interface CcePayload { docId: string; chave: string; correcao: string; signed?: string; nSeq?: number; xCorrecao?: string }
interface InutPayload {
  series: SeriesKey;
  from: number;
  to: number;
  justificativa: string;
  id?: string;
  signed?: string;
  result?: { state: string; cStat: string; xMotivo: string; nProt: string | null; procPath: string | null };
}
interface ReprintPayload { docId: string; target: 'form' | 'pdf'; jobId?: number }
interface ImportPayload { name: string; xml: string; chave: string; number: number; serie: number; cnpj: string; aboveNext?: boolean }

export interface InutilizacaoOutcome { cStat: string; xMotivo: string; nProt: string | null }

export interface IntentsService {
  cancel(d: DocumentRecord, justificativa: string, user: SessionUser): Promise<void>;
  cce(d: DocumentRecord, correcao: string, user: SessionUser): Promise<void>;
  inutilizar(series: SeriesKey, from: number, to: number, justificativa: string, user: SessionUser): Promise<InutilizacaoOutcome>;
  reprint(d: DocumentRecord, target: 'form' | 'pdf', user: SessionUser): Promise<PrintJob | null>;
  /** Journals an import already checked (own emitente, authorized, not there yet) and lands it. */
  importXml(p: ImportPayload, user: SessionUser): Promise<{ aboveNext: boolean }>;
  /** Every open intent resumes from its step (start, LAN back, periodically). Never waits for them. */
  resume(): void;
}

/** Errors that leave an intent where it is, to be resumed: SEFAZ or the LAN server away. */
const TRANSIENT = new Set<string>([SefazErrors.SEFAZ_UNREACHABLE, SefazErrors.SEFAZ_NO_REPLY, SefazErrors.SEFAZ_HTTP, 'SEFAZ_NOT_READY', 'LAN_OFFLINE', 'UNAVAILABLE', 'REQUEST_TIMEOUT', 'LAN_SIGN_IN_REQUIRED']);
const isTransient = (err: unknown) => err instanceof AppError && TRANSIENT.has(err.code);

const PREFIX: Record<IntentKind, string> = { cancel: 'cancel', cce: 'cce', inutilizacao: 'inut', reprint: 'print', import: 'import' };

export function intentsService(w: WorkstationContext, rt: WorkstationRuntime, onDocChanged: (id: string) => void): IntentsService {
  const journal = new IntentJournal(w.store, w.clock);
  const crash = (r: IntentRow, step: string) => crashPoint(`${PREFIX[r.kind as IntentKind]}.${step}` as CrashPoint);

  const sefaz = () => {
    if (!rt.sefaz) throw new AppError('SEFAZ_NOT_READY', `SEFAZ não configurada: ${rt.sefazError ?? 'instale o certificado e escolha o ambiente em Administração'}.`);
    return rt.sefaz;
  };
  const docOf = (id: string) => {
    const d = w.records.get<DocumentRecord>('documents', id);
    if (!d) throw new AppError(ErrorCodes.NOT_FOUND, 'Documento não encontrado.');
    return d;
  };
  const updateDoc = (id: string, fields: Partial<DocumentRecord>) => {
    w.records.put<DocumentRecord>('documents', id, fields);
    onDocChanged(id);
  };
  /** The person's own LAN connection (what acts for a person: inutilização, import). */
  const userLan = async (user: SessionUser): Promise<NumberingClient> => {
    const c = rt.clientFor(user.login);
    if (c && c.state !== 'online') await c.ready(3000).catch(() => undefined);
    if (!c || c.state !== 'online') throw new AppError('LAN_SIGN_IN_REQUIRED', `Aguardando ${user.name || user.login} entrar de novo no servidor LAN para concluir.`);
    return c;
  };
  /** Closes the intent and writes its audit line in one local transaction: never twice. */
  const close = (r: IntentRow, audit: { action: string; detail: string; documentId?: string | null }) => {
    w.store.sqlite.transaction(() => {
      w.audit(journal.userOf(r).login, audit.action, audit.detail, audit.documentId ?? null);
      journal.set(r.id, { step: 'done', lastError: null });
    })();
    crash(r, 'done');
  };
  const fail = (r: IntentRow, err: unknown) => {
    const message = (err as Error).message;
    w.store.sqlite.transaction(() => {
      w.audit(journal.userOf(r).login, `${r.kind}.failed`, message, r.target);
      journal.set(r.id, { step: 'failed', lastError: message });
    })();
  };
  /** An event listed once on the record, however many times the step runs. */
  const listEvent = (chave: string, ev: { tpEvento: string; nSeqEvento: number; cStat: string; xMotivo: string; nProt: string }, texto: string, extra: Partial<DocumentRecord> = {}) => {
    const d = docOf(chave);
    const there = d.events.some((e) => e.tpEvento === ev.tpEvento && e.nSeq === ev.nSeqEvento);
    const events = there ? d.events : [...d.events, { tpEvento: ev.tpEvento, nSeq: ev.nSeqEvento, at: w.clock.now().toISOString(), cStat: ev.cStat, xMotivo: ev.xMotivo, texto, nProt: ev.nProt }];
    updateDoc(d.id, { ...extra, events });
  };

  async function runCancel(r: IntentRow): Promise<void> {
    const p = journal.payloadOf<CancelPayload>(r);
    if (r.step === 'journaled') {
      const d = docOf(p.docId);
      const signed = await sefaz().fiscalEvents.signCancel(p.chave, p.justificativa, d.nProt && d.authorizedAt ? { nProt: d.nProt, dhRecbto: d.authorizedAt } : undefined);
      r = journal.set(r.id, { step: 'signed', payload: { signed } });
      crash(r, 'signed');
    }
    if (r.step === 'signed') {
      const signed = journal.payloadOf<CancelPayload>(r).signed!;
      await sefaz().fiscalEvents.sendSigned(signed, p.chave, TP_EVENTO.cancelamento, 1, { onReply: () => crash(r, 'replied') });
      r = journal.set(r.id, { step: 'stored' });
      crash(r, 'stored');
    }
    if (r.step === 'stored') {
      const ev = sefaz().fiscalEvents.stored(p.chave, TP_EVENTO.cancelamento, 1)!;
      listEvent(p.chave, ev, p.justificativa, { status: 'cancelada' });
      const d = docOf(p.docId);
      // The number's lifecycle at the LAN server: until it is told, the intent stays here.
      if (!rt.lan || rt.lan.state !== 'online') throw new AppError('LAN_OFFLINE', 'Sem conexão com o servidor LAN: o cancelamento é informado a ele quando voltar.');
      await rt.lan.updateState({ series: { cnpj: d.cnpj, model: d.model, serie: d.serie }, number: d.number, state: 'cancelled', detail: ev.nProt });
      r = journal.set(r.id, { step: 'applied' });
      crash(r, 'applied');
    }
    if (r.step === 'applied') {
      const d = docOf(p.docId);
      close(r, { action: 'documents.cancel', detail: `NF-e ${d.number} série ${d.serie}: ${p.justificativa}`, documentId: d.id });
    }
  }

  async function runCce(r: IntentRow): Promise<void> {
    const p = journal.payloadOf<CcePayload>(r);
    if (r.step === 'journaled') {
      const s = await sefaz().fiscalEvents.signCce(p.chave, p.correcao);
      r = journal.set(r.id, { step: 'signed', payload: { signed: s.signed, nSeq: s.nSeq, xCorrecao: s.xCorrecao } });
      crash(r, 'signed');
    }
    const q = journal.payloadOf<CcePayload>(r);
    if (r.step === 'signed') {
      await sefaz().fiscalEvents.sendSigned(q.signed!, p.chave, TP_EVENTO.cartaCorrecao, q.nSeq!, { xCorrecao: q.xCorrecao!, onReply: () => crash(r, 'replied') });
      r = journal.set(r.id, { step: 'stored' });
      crash(r, 'stored');
    }
    if (r.step === 'stored') {
      const ev = sefaz().fiscalEvents.stored(p.chave, TP_EVENTO.cartaCorrecao, q.nSeq!)!;
      listEvent(p.chave, ev, ev.xCorrecao ?? p.correcao);
      r = journal.set(r.id, { step: 'applied' });
      crash(r, 'applied');
    }
    if (r.step === 'applied') {
      const d = docOf(p.docId);
      close(r, { action: 'documents.cce', detail: `NF-e ${d.number} série ${d.serie} seq ${q.nSeq}`, documentId: d.id });
    }
  }

  async function runInut(r: IntentRow, resumed: boolean): Promise<void> {
    const p = journal.payloadOf<InutPayload>(r);
    const range = { serie: p.series.serie, nNFIni: p.from, nNFFin: p.to };
    if (r.step === 'journaled') {
      const s = sefaz().fiscalEvents.signInutilizacao({ ...range, xJust: p.justificativa });
      r = journal.set(r.id, { step: 'signed', payload: { id: s.id, signed: s.signed } });
      crash(r, 'signed');
      resumed = false;
    }
    if (r.step === 'signed') {
      const q = journal.payloadOf<InutPayload>(r);
      const res = await sefaz().fiscalEvents.sendInutilizacao({ id: q.id!, signed: q.signed! }, range, { resumed, onReply: () => crash(r, 'replied') });
      r = journal.set(r.id, { step: 'stored', payload: { result: { state: res.state, cStat: res.cStat, xMotivo: res.xMotivo, nProt: res.nProt ?? null, procPath: res.procPath ?? null } } });
      crash(r, 'stored');
    }
    const res = journal.payloadOf<InutPayload>(r).result!;
    if (r.step === 'stored') {
      // The LAN server takes the range as inutilizado only with SEFAZ's signed protocol.
      if (res.state === 'inutilizada' && res.procPath) {
        const procInutNFe = readFileSync(res.procPath, 'utf8');
        await (await userLan(journal.userOf(r))).inutilize({ series: p.series, first: p.from, last: p.to, detail: res.nProt, procInutNFe });
      }
      r = journal.set(r.id, { step: 'applied' });
      crash(r, 'applied');
    }
    if (r.step === 'applied') {
      const lost = res.state === 'sem_protocolo' ? ' (a SEFAZ já tinha a faixa inutilizada por este pedido, mas o protocolo se perdeu na interrupção: os números seguem pendentes no servidor LAN)' : '';
      close(r, { action: 'series.inutilizar', detail: `série ${p.series.serie} ${p.from}–${p.to}: ${res.cStat} ${res.xMotivo}${lost}` });
    }
  }

  async function runReprint(r: IntentRow): Promise<PrintJob | null> {
    const p = journal.payloadOf<ReprintPayload>(r);
    const d = docOf(p.docId);
    const user = journal.userOf(r).login;
    if (p.target === 'pdf') {
      // The PDF is written whole (fsync) before the intent closes; writing it again is harmless.
      await printFiscalDocument(w, rt, d, 'pdf', user, true, { requestId: r.id, audit: false });
      close(r, { action: 'print.reprint.pdf', detail: `${d.model === 57 ? 'CT-e' : 'NF-e'} ${d.number} série ${d.serie} → PDF`, documentId: d.id });
      return null;
    }
    if (r.step === 'journaled') {
      // The job, the intent's step and the audit line are one local transaction (the queue's
      // insert): after a crash either the job is there with its intent at 'queued', or neither.
      const queued = (job: PrintJob) => {
        w.audit(user, 'print.reprint', `${d.model === 57 ? 'CT-e' : 'NF-e'} ${d.number} série ${d.serie} em ${job.printerName} (trabalho ${job.id})`, d.id);
        r = journal.set(r.id, { step: 'queued', payload: { jobId: job.id } });
      };
      const existing = rt.printQueue.byRequest(r.id);
      if (existing) w.store.sqlite.transaction(() => queued(existing))();
      else await printFiscalDocument(w, rt, d, 'form', user, true, { requestId: r.id, audit: false, onQueued: queued });
    }
    const jobId = journal.payloadOf<ReprintPayload>(r).jobId!;
    const job = rt.printQueue.get(jobId);
    // The queue prints it once; a crash while printing leaves it failed "Interrompido", for the operator.
    if (['done', 'failed', 'cancelled'].includes(job.state)) {
      journal.set(r.id, { step: 'done', lastError: job.state === 'done' ? null : job.reason });
      crash(r, 'done');
    }
    return job;
  }

  async function runImport(r: IntentRow): Promise<void> {
    const p = journal.payloadOf<ImportPayload>(r);
    const user = journal.userOf(r);
    if (r.step === 'journaled') {
      // Idempotent at the server (same request id): a resume gets the same answer.
      const v = await (await userLan(user)).validateImport({ series: { cnpj: p.cnpj, model: 55, serie: p.serie }, number: p.number, requestId: `import-${p.chave}`, detail: p.chave, xml: p.xml });
      r = journal.set(r.id, { step: 'validated', payload: { aboveNext: v.aboveNext } });
      crash(r, 'validated');
    }
    if (r.step === 'validated') {
      const file = procNFePath(rt.documentsDir(), p.chave);
      // Write-once: the bytes of the file the user gave, never rewritten.
      if (!existsSync(file)) writeFiscalFile(file, p.xml);
      r = journal.set(r.id, { step: 'stored' });
      crash(r, 'stored');
    }
    if (r.step === 'stored') {
      const model = parseNfe(p.xml);
      const inf = model.infNFe;
      const prot = model.protNFe!.infProt;
      const record: DocumentRecord = {
        id: p.chave,
        chave: p.chave,
        model: 55,
        cnpj: p.cnpj,
        serie: p.serie,
        number: p.number,
        orderId: null,
        cliente: inf.dest?.xNome ?? '',
        clienteDocumento: inf.dest?.CNPJ ?? inf.dest?.CPF ?? '',
        totalCentavos: Math.round(Number(inf.total.ICMSTot.vNF) * 100),
        issuedAt: inf.ide.dhEmi,
        status: 'autorizada',
        cStat: prot.cStat,
        xMotivo: prot.xMotivo,
        nProt: prot.nProt ?? null,
        authorizedAt: prot.dhRecbto,
        messages: [],
        events: [],
        signedXml: p.xml,
        procXml: p.xml,
        imported: true,
        user: user.login,
        workstation: w.workstation,
      };
      w.store.sqlite.transaction(() => {
        if (!w.records.get<DocumentRecord>('documents', p.chave)) rt.actingAs(user.login, () => w.records.put<DocumentRecord>('documents', p.chave, record));
        w.audit(user.login, 'documents.import', `${p.name}: NF-e ${p.number} série ${p.serie}`, p.chave);
        r = journal.set(r.id, { step: 'recorded' });
      })();
      onDocChanged(p.chave);
      crash(r, 'recorded');
    }
    if (r.step === 'recorded') {
      journal.set(r.id, { step: 'done', lastError: null });
      crash(r, 'done');
    }
  }

  /** One pass at a time per intent (the handler, the start, the periodic resume). */
  const running = new Map<string, Promise<unknown>>();
  const advance = <T>(id: string, resumed: boolean): Promise<T> => {
    const current = running.get(id);
    if (current) return current as Promise<T>;
    const p = (async () => {
      const r = journal.get(id)!;
      try {
        switch (r.kind as IntentKind) {
          case 'cancel':
            return await runCancel(r);
          case 'cce':
            return await runCce(r);
          case 'inutilizacao':
            return await runInut(r, resumed);
          case 'reprint':
            return await runReprint(r);
          case 'import':
            return await runImport(r);
        }
      } catch (err) {
        const now = journal.get(id)!;
        if (isTransient(err)) journal.set(id, { attempts: now.attempts + 1, lastError: (err as Error).message });
        // Refused for good (SEFAZ rejected, the server refused): closed, with the reason.
        else fail(now, err);
        throw err;
      }
    })().finally(() => running.delete(id));
    running.set(id, p);
    return p as Promise<T>;
  };

  /** A new request, or the live one on the same target (a repeat after a crash continues it). */
  const start = <T>(kind: IntentKind, target: string, user: SessionUser, payload: object): Promise<T> => {
    const live = journal.liveFor(kind, target);
    const r = live ?? journal.create(kind, target, user, payload);
    if (!live) crash(r, kind === 'reprint' ? 'requested' : 'journaled');
    return advance<T>(r.id, live !== undefined);
  };

  /**
   * Called by the handler: once SEFAZ's answer is stored, what is left (the LAN server told)
   * finishes by itself; the user sees the outcome now.
   */
  const settle = async (kind: IntentKind, target: string, run: Promise<unknown>): Promise<void> => {
    try {
      await run;
    } catch (err) {
      const r = journal.liveFor(kind, target);
      if (r && isTransient(err) && (r.step === 'stored' || r.step === 'applied')) return;
      throw err;
    }
  };

  // A reprint's intent closes when its job ends (printed, or failed "Interrompido" for the operator).
  rt.printQueue.on('job', (job) => {
    if (!job.requestId || !['done', 'failed', 'cancelled'].includes(job.state)) return;
    const r = journal.get(job.requestId);
    if (r && r.step === 'queued') void advance(r.id, true).catch(() => undefined);
  });

  return {
    cancel: (d, justificativa, user) => settle('cancel', d.chave, start('cancel', d.chave, user, { docId: d.id, chave: d.chave, justificativa } satisfies CancelPayload)),
    cce: (d, correcao, user) => settle('cce', d.chave, start('cce', d.chave, user, { docId: d.id, chave: d.chave, correcao } satisfies CcePayload)),
    async inutilizar(series, from, to, justificativa, user) {
      const target = `${series.cnpj}:${series.model}:${series.serie}:${from}-${to}`;
      await settle('inutilizacao', target, start('inutilizacao', target, user, { series, from, to, justificativa } satisfies InutPayload));
      const last = journal.liveFor('inutilizacao', target) ?? journal.latest('inutilizacao', target);
      const res = last ? journal.payloadOf<InutPayload>(last).result : undefined;
      return { cStat: res?.cStat ?? '', xMotivo: res?.xMotivo ?? '', nProt: res?.nProt ?? null };
    },
    async reprint(d, target, user) {
      const job = await start<PrintJob | null>('reprint', `${d.id}:${newId()}`, user, { docId: d.id, target } satisfies ReprintPayload);
      return job;
    },
    async importXml(p, user) {
      await start('import', p.chave, user, p);
      const r = journal.latest('import', p.chave);
      return { aboveNext: Boolean(r && journal.payloadOf<ImportPayload>(r).aboveNext) };
    },
    resume() {
      for (const r of journal.open()) void advance(r.id, true).catch(() => undefined);
    },
  };
}
