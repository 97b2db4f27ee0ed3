import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BillingMethods, DocumentDetail, FinalizeResult, GapDto, ImportResult, LockHolderDto, OrderDto } from '../../../shared/api/billing';
import type { SessionUser } from '../../../shared/api/session';
import { ErrorCodes } from '../../../shared/errors';
import { AppError, invalidInput } from '../../errors';
import { emitNfe } from '../../fiscal/emit';
import { parseNfe } from '../../fiscal/parse';
import { NumberingErrors, type SeriesKey } from '../../numbering/protocol';
import type { OutboxDocument } from '../../sefaz/outbox';
import type { DomainHandlers, WorkstationContext } from '../context';
import { type DocumentRecord, summaryOf, statusFromOutbox } from '../documents';
import { respTecOf, toFiscalOrder } from '../fiscal-order';
import { eventsBlockedReason } from '../../fiscal/events';
import type { WorkstationRuntime } from '../runtime';
import { writeDurable } from '../durable-file';
import { documentPdf, printFiscalDocument } from '../print-document';
import { outcomeWaiters, requireSefaz } from '../sefaz-ready';
import { catalogOf, establishmentOf, layoutOf } from './catalog';
import { newId } from '../../../shared/ids';
import { crashPoint, type CrashPoint } from '../../crash-points';
import { ownerKeyHash } from '../../numbering/owner-key';
import type { NumberingClient } from '../../numbering/index';
import { printJobs } from '../../store/schema/printing';
import { and, eq, isNull } from 'drizzle-orm';
import { FinalizeJournal, type JournalRow } from '../finalize-journal';
import { parseSearch } from '../../records/params';
import type { RecordLists } from '../record-lists';
import { intentsService, type IntentsService } from '../intents';
import { CONTINGENCY_PENDING, isOfflineContingencyKey, issueNfeInContingency, printContingencyDanfe } from '../contingency-issue';

type Methods = Pick<
  BillingMethods,
  | 'billing.series'
  | 'billing.lock'
  | 'billing.unlock'
  | 'billing.finalize'
  | 'orders.holder'
  | 'locks.list'
  | 'locks.release'
  | 'documents.list'
  | 'documents.page'
  | 'documents.get'
  | 'documents.refresh'
  | 'documents.resend'
  | 'documents.cancel'
  | 'documents.cce'
  | 'documents.gaps'
  | 'documents.import'
  | 'documents.xml'
  | 'documents.pdf'
>;

type FinalizeParams = BillingMethods['billing.finalize']['params'];

export const BillingErrors = {
  LAN_OFFLINE: 'LAN_OFFLINE',
  SEFAZ_NOT_READY: 'SEFAZ_NOT_READY',
  NO_ESTABLISHMENT: 'NO_ESTABLISHMENT',
  CANCEL_WINDOW: 'CANCEL_WINDOW',
  NOT_AUTHORIZED: 'NOT_AUTHORIZED',
  ORDER_BILLED: 'ORDER_BILLED',
} as const;

const CANCEL_WINDOW_MS = 24 * 3600_000;
const FINAL_WAIT_MS = 8_000;
const SYNC_WAIT_MS = 5_000;
const NUMBERING_FINAL = new Set(['autorizada', 'denegada', 'cancelada']);
const FINAL_OUTBOX_STATES = new Set(['authorized', 'denied', 'rejected', 'conflict', 'cancelled', 'superseded']);

export function seriesId(k: SeriesKey): string {
  return `${k.cnpj}:${k.model}:${k.serie}`;
}

export function parseSeriesId(id: string): SeriesKey {
  const m = /^([0-9A-Z]{14}):(55|57):(\d{1,3})$/.exec(String(id ?? ''));
  if (!m) throw invalidInput('Série inválida.', 'seriesId');
  return { cnpj: m[1]!, model: Number(m[2]) as 55 | 57, serie: Number(m[3]) };
}

/** Input schema of orders.holder. */
function parseOrderRef(params: unknown): { id: string } {
  const id = (params as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || !id || id.length > 100) throw invalidInput('Pedido inválido.', 'id');
  return { id };
}

/** Input schema of locks.release: which order, and why (kept in the audit). */
function parseLockRelease(params: unknown): { orderId: string; reason: string } {
  const p = (params ?? {}) as { orderId?: unknown; reason?: unknown };
  if (typeof p.orderId !== 'string' || !p.orderId || p.orderId.length > 100) throw invalidInput('Pedido inválido.', 'orderId');
  const reason = typeof p.reason === 'string' ? p.reason.trim() : '';
  if (reason.length < 5) throw invalidInput('Informe o motivo da liberação (ao menos 5 caracteres).', 'reason');
  if (reason.length > 500) throw invalidInput(`O motivo tem ${reason.length} caracteres; o máximo é 500.`, 'reason');
  return { orderId: p.orderId, reason };
}

function hhmm(iso: string): string {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** How one kind of journaled finalize signs its document and commits it with its outbox row. */
export interface JournalFlow {
  /** Builds and signs the document for the journaled number, fsync'd; returns the row at 'signed'. */
  sign(j: JournalRow): JournalRow | Promise<JournalRow>;
  /** Record(s) + outbox row + step 'committed' in one local transaction. */
  commit(j: JournalRow): JournalRow;
}

const STEP_NAMES: Record<string, Record<string, CrashPoint>> = {
  nfe: { locked: 'finalize.locked', allocated: 'finalize.allocated', signed: 'finalize.signed', committed: 'finalize.committed', transmitted: 'finalize.transmitted', released: 'finalize.released', outcome: 'finalize.outcome', done: 'finalize.done' },
  cte: { locked: 'cte.locked', allocated: 'cte.allocated', signed: 'cte.signed', committed: 'cte.recorded', transmitted: 'cte.transmitted', released: 'cte.released', outcome: 'cte.outcome', done: 'cte.done' },
};
/** The crash point of a journal step, by the journal row's kind. */
const stepName = (j: JournalRow, step: string): CrashPoint => STEP_NAMES[j.kind]![step]!;

export interface BillingService {
  /** The finalize journal (CT-e emission runs on it too). */
  journal: FinalizeJournal;
  /** Registers how another kind of document (CT-e) is signed and committed on the journal. */
  registerFlow(kind: string, flow: JournalFlow): void;
  /**
   * Runs a journaled finalize from its step through commit and the lock's release (one pass
   * at a time per row); a transient failure (LAN server away) leaves it to the resume.
   */
  run(id: string): Promise<JournalRow>;
  /** Whether an error leaves the finalize to be resumed (the LAN server away). */
  isTransient(err: unknown): boolean;
  handlers: DomainHandlers<Methods>;
  /** billing.finalize for a user already checked (the batch runs each of its orders through it). */
  finalize(params: FinalizeParams, user: SessionUser): Promise<FinalizeResult>;
  documentDetail(id: string): DocumentDetail;
  /**
   * Every incomplete finalize (a crash, the LAN server down) resumes from its last durable
   * step: called at start, when the LAN server returns and periodically.
   */
  resumeWaiting(): Promise<void>;
  /** A reprint: a new job (form) or a PDF, recorded in the audit with who asked (a durable intent). */
  print(documentId: string, target: 'form' | 'pdf', user: SessionUser): Promise<unknown>;
  /** Cancelamento, CC-e, inutilização, reprint and import as durable intents. */
  intents: IntentsService;
}

export function billingService(w: WorkstationContext, rt: WorkstationRuntime, lists: RecordLists): BillingService {
  const catalog = catalogOf(w);
  const journal = new FinalizeJournal(w.store, w.clock);
  const intents = intentsService(w, rt, (id) => w.events.emit('documents.changed', { ids: [id] }));
  /** chaves whose authorization print is being queued right now (rendering is async). */
  const printing = new Set<string>();

  const lanOnline = (user?: string) => rt.requireLan(user);

  const doc = (id: string): DocumentRecord => {
    const d = w.records.get<DocumentRecord>('documents', String(id ?? ''));
    if (!d) throw new AppError(ErrorCodes.NOT_FOUND, 'Documento não encontrado.');
    return d;
  };

  const updateDoc = (id: string, fields: Partial<DocumentRecord>) => {
    w.records.put<DocumentRecord>('documents', id, fields);
    w.events.emit('documents.changed', { ids: [id] });
  };

  /** The person behind a login, as the users table names them (the login when unknown). */
  const personName = (login: string) => w.records.get<{ name?: string }>('users', login)?.name?.trim() || login;

  const holderDto = (holder: { orderId?: string; user: string; workstation: string; ip: string; since: string }): LockHolderDto => ({
    user: holder.user,
    name: personName(holder.user),
    workstation: holder.workstation,
    ip: holder.ip,
    since: holder.since,
    ...(holder.orderId ? { orderId: holder.orderId, numeroPedido: w.records.get<OrderDto>('orders', holder.orderId)?.numeroPedido ?? null } : {}),
  });

  const lockHeldError = (holder: { user: string; workstation: string; ip: string; since: string }) =>
    new AppError(NumberingErrors.LOCK_HELD, `Pedido em faturamento por ${personName(holder.user)} em ${holder.workstation} (IP ${holder.ip}) desde ${hhmm(holder.since)}`, {
      details: { ...holderDto(holder) },
    });

  const acquireLock = async (orderId: string, user: string): Promise<string> => {
    const lan = await lanOnline(user);
    const held = lan.lockToken(orderId);
    if (held !== undefined) return held;
    const r = await lan.lock(orderId, 'NF');
    if (!r.granted) throw lockHeldError(r.holder);
    return r.token;
  };

  const seriesKeyOf = (d: DocumentRecord): SeriesKey => ({ cnpj: d.cnpj, model: d.model, serie: d.serie });

  const printDocument = (d: DocumentRecord, target: 'form' | 'pdf', user: string, reprint: boolean) => printFiscalDocument(w, rt, d, target, user, reprint);

  /** Finalize waits (a few seconds at most) for SEFAZ's answer, woken by the outbox. */
  const outcomes = outcomeWaiters();
  const waitForOutcome = outcomes.wait;

  // SEFAZ outcomes: keep the shared record, the LAN server's number lifecycle and the print in step.
  const onOutcome = async (o: OutboxDocument) => {
    if (FINAL_OUTBOX_STATES.has(o.state)) outcomes.wake(o.chave);
    const current = w.records.get<DocumentRecord>('documents', o.chave);
    if (!current) return;
    const status = statusFromOutbox(o);
    const procXml = o.procPath ? rt.readDocumentFile(o.procPath.split(/[\\/]/).pop()!) : null;
    const messages = (rt.sefaz?.outbox.messages(o.chave) ?? []).map((m) => ({
      at: m.at,
      cStat: m.cStat ?? '',
      xMotivo: m.xMotivo ?? m.error ?? m.outcome,
      nProt: m.nProt,
      kind: m.service,
    }));
    // A lote's reply (104) carries the document's own protocol (100, 2xx…): list it too.
    if (o.cStat && !messages.some((m) => m.cStat === o.cStat)) {
      messages.push({ at: o.dhRecbto ?? o.updatedAt, cStat: o.cStat, xMotivo: o.xMotivo ?? '', nProt: o.nProt, kind: 'protocolo' });
    }
    updateDoc(o.chave, {
      status,
      cStat: o.cStat,
      xMotivo: o.xMotivo,
      nProt: o.nProt,
      messages,
      ...(procXml ? { procXml } : {}),
      ...(status === 'autorizada' ? { authorizedAt: o.dhRecbto ?? w.clock.now().toISOString() } : {}),
    });
    if (current.orderId && status === 'rejeitada') {
      // Rejected: the number stays with the order, which can be corrected and sent again.
      w.records.put<OrderDto>('orders', current.orderId, { status: 'rascunho' });
      w.events.emit('orders.changed', { ids: [current.orderId] });
    }
    const lan = rt.lan;
    if (lan && NUMBERING_FINAL.has(status)) {
      const state = status === 'autorizada' ? 'authorized' : status === 'denegada' ? 'denied' : 'cancelled';
      await lan.updateState({ series: seriesKeyOf(current), number: current.number, state, detail: `${o.chave} ${o.nProt ?? o.cStat ?? ''}`.trim() }).catch(() => undefined);
    }
    const j = journal.liveForChave(o.chave);
    if (!j || !FINAL_OUTBOX_STATES.has(o.state)) return;
    if (status === 'autorizada' && j.printTo !== 'none' && !printing.has(o.chave) && !alreadyPrinted(o.chave, j.printTo)) {
      printing.add(o.chave);
      await printDocument(doc(o.chave), j.printTo as 'form' | 'pdf', journal.userOf(j).login, false)
        .catch(() => undefined)
        .finally(() => printing.delete(o.chave));
    }
    crashPoint(stepName(j, 'outcome'));
    // Closed only once the lock is back (released): a crash before that resumes the release.
    if (j.step === 'released') {
      journal.set(j.id, { step: 'done', lastError: null });
      crashPoint(stepName(j, 'done'));
    }
  };

  /** The authorization's print is in the (durable) print queue already, or its PDF written. */
  const alreadyPrinted = (chave: string, target: string): boolean => {
    if (target === 'pdf') return existsSync(join(rt.documentsDir(), `${chave}-danfe.pdf`)) || existsSync(join(rt.documentsDir(), `${chave}-dacte.pdf`));
    return w.store.db.select({ id: printJobs.id }).from(printJobs).where(and(eq(printJobs.documentKey, chave), isNull(printJobs.reprintOf))).get() !== undefined;
  };
  rt.onSefaz({ onAuthorized: onOutcome, onDenied: onOutcome, onRejected: onOutcome, onCancelled: onOutcome, onChange: (d) => void onOutcome(d) });

  const sefazReady = () => requireSefaz(rt);

  /** Errors that leave the finalize where it is, to be resumed (the LAN server is away). */
  const TRANSIENT = new Set(['LAN_OFFLINE', 'UNAVAILABLE', 'REQUEST_TIMEOUT', 'LAN_SIGN_IN_REQUIRED', CONTINGENCY_PENDING]);
  const isTransient = (err: unknown) => err instanceof AppError && TRANSIENT.has(err.code);

  /**
   * What differs between the journal's kinds: how the document is signed and committed.
   * NF-e is billing's own; CT-e registers its flow (handlers/cte.ts).
   */
  const flows = new Map<string, JournalFlow>([['nfe', { sign: (j) => signNote(j), commit: (j) => commitNote(j) }]]);
  const flowOf = (j: JournalRow): JournalFlow => {
    const f = flows.get(j.kind);
    if (!f) throw new AppError('INTERNAL', `Tipo de faturamento desconhecido no diário: ${j.kind}.`);
    return f;
  };

  /** One pass at a time per finalize (the handler, the start, the periodic resume). */
  const running = new Map<string, Promise<JournalRow>>();
  const advance = (id: string, live: boolean): Promise<JournalRow> => {
    const current = running.get(id);
    if (current) return current;
    const p = advanceOnce(id, live).finally(() => running.delete(id));
    running.set(id, p);
    return p;
  };

  /**
   * The order's lock for this finalize. The user's own connection when it is open (the lock
   * request carries the owner key's hash as its request id, so a lost reply is asked again
   * and gets the same grant); otherwise — a restarted station, no user signed in at the
   * server yet — the station's connection reclaims it with the owner key.
   */
  async function holdLock(j: JournalRow): Promise<{ client: NumberingClient; token: string }> {
    const user = journal.userOf(j);
    const mine = rt.clientFor(user.login);
    if (mine) {
      if (mine.state !== 'online') await mine.ready(3000).catch(() => undefined);
      if (mine.state === 'online') {
        const r = await mine.lock(j.orderId, 'NF', ownerKeyHash(j.ownerKey));
        if (!r.granted) throw lockHeldError(r.holder);
        return { client: mine, token: r.token };
      }
    }
    const station = rt.lan;
    if (!station || station.state !== 'online') throw new AppError('LAN_OFFLINE', 'Sem conexão com o servidor LAN: o faturamento continua quando ele voltar.');
    let r;
    try {
      r = await station.reclaimLock(j.orderId, j.ownerKey);
    } catch (err) {
      if (err instanceof AppError && err.code === NumberingErrors.LOCK_NOT_HELD) {
        // Never granted (the process died before asking): nothing to resume.
        if (j.step === 'started') throw new AppError(NumberingErrors.LOCK_NOT_HELD, 'A trava do pedido não existe mais no servidor (nunca chegou a ser dada, ou expirou).');
        // It expired while this station was down: the number stays this order's (the
        // allocation is idempotent); its user's next session locks it again and goes on.
        throw new AppError('LAN_SIGN_IN_REQUIRED', `A trava do pedido expirou enquanto a estação estava fora: o faturamento continua, com o mesmo número, quando ${user.name || user.login} entrar de novo.`);
      }
      throw err;
    }
    if (!r.granted) throw lockHeldError(r.holder);
    return { client: station, token: r.token };
  }

  /** Pushes and pulls the replica, a few seconds at most (best effort: the LAN server may be away). */
  async function syncBriefly(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([rt.replica.syncNow(), new Promise<void>((ok) => (timer = setTimeout(ok, SYNC_WAIT_MS)))])
      .catch(() => undefined)
      .finally(() => clearTimeout(timer));
  }

  /**
   * Under the freshly taken lock, before a number is asked: the order as the server has it now.
   * Another station that billed it pushed its 'faturado' before releasing the lock, so an order
   * pressed on two stations (or in two "Faturar selecionados") is billed once.
   */
  async function billedElsewhereGuard(j: JournalRow): Promise<void> {
    await syncBriefly();
    const order = w.records.get<OrderDto>('orders', j.orderId);
    if (order?.status === 'faturado') {
      const d = order.documentId ? w.records.get<DocumentRecord>('documents', order.documentId) : undefined;
      throw new AppError(BillingErrors.ORDER_BILLED, `O pedido ${order.numeroPedido} já foi faturado${d ? ` (NF-e ${d.number} série ${d.serie})` : ''}${d && d.workstation !== w.workstation ? ` em ${d.workstation}` : ''}.`, {
        details: { documentId: order.documentId ?? null },
      });
    }
  }

  /** Lets the lock go (after the commit, or when the finalize is abandoned). Already gone is fine. */
  async function releaseLock(j: JournalRow): Promise<void> {
    const user = journal.userOf(j);
    const mine = rt.clientFor(user.login);
    if (mine?.state === 'online' && mine.lockToken(j.orderId) !== undefined) {
      await mine.unlock(j.orderId);
      return;
    }
    const station = rt.lan;
    if (!station || station.state !== 'online') throw new AppError('LAN_OFFLINE', 'Sem conexão com o servidor LAN.');
    try {
      const r = await station.reclaimLock(j.orderId, j.ownerKey);
      if (r.granted) await station.unlock(j.orderId, r.token);
    } catch (err) {
      if (!(err instanceof AppError && err.code === NumberingErrors.LOCK_NOT_HELD)) throw err;
    }
  }

  /** Before the commit nothing left this station but the lock and the number: give the lock back. */
  async function abandon(j: JournalRow, why: string): Promise<void> {
    journal.set(j.id, { step: 'abandoned', lastError: why });
    const order = w.records.get<OrderDto>('orders', j.orderId);
    if (order && order.status === 'aguardando_servidor') {
      w.records.put<OrderDto>('orders', j.orderId, { status: 'rascunho' });
      w.events.emit('orders.changed', { ids: [j.orderId] });
    }
    w.audit(journal.userOf(j).login, 'billing.finalize.failed', `Pedido ${order?.numeroPedido ?? j.orderId}: ${why}`);
    await releaseLock(j).catch(() => undefined);
  }

  /**
   * Runs a finalize from its journal step to the commit and the lock's release. Every step
   * is journaled before the next external effect; `crashPoint` marks each durable step.
   */
  async function advanceOnce(id: string, live: boolean): Promise<JournalRow> {
    let j = journal.get(id)!;
    const series = parseSeriesId(j.seriesId);
    try {
      if (j.step === 'started' || j.step === 'locked' || j.step === 'allocated' || j.step === 'signed') {
        const { client, token } = await holdLock(j);
        if (j.step === 'started') {
          j = journal.set(j.id, { step: 'locked', lockToken: token });
          crashPoint(stepName(j, 'locked'));
        } else if (j.lockToken !== token) {
          j = journal.set(j.id, { lockToken: token });
        }
        if (j.step === 'locked') {
          await billedElsewhereGuard(j);
          const alloc = await client.allocate({ series, orderId: j.orderId, suggested: j.suggested, requestId: j.allocRequestId, lockToken: token });
          j = journal.set(j.id, { step: 'allocated', number: alloc.number, numberChanged: alloc.differsFromSuggested && j.suggested !== null });
          crashPoint(stepName(j, 'allocated'));
        }
        if (j.step === 'signed' && !(j.xmlFile && existsSync(join(rt.documentsDir(), j.xmlFile)))) {
          // Signed but its file is not there (never happens with fsync): sign again, nothing was sent.
          j = journal.set(j.id, { step: 'allocated', chave: null, xmlFile: null });
        }
        if (j.step === 'allocated') {
          j = await flowOf(j).sign(j);
          crashPoint(stepName(j, 'signed'));
        }
        if (j.step === 'signed') {
          j = flowOf(j).commit(j);
          crashPoint(stepName(j, 'committed'));
        }
      }
      if (j.step === 'committed') {
        await rt.lan?.updateState({ series, number: j.number!, state: 'transmitted', detail: j.chave! }).catch(() => undefined);
        crashPoint(stepName(j, 'transmitted'));
        // The order's 'faturado' reaches the server before its lock is let go: whoever locks it
        // next sees it billed (billedElsewhereGuard), never bills it a second time.
        await syncBriefly();
        await releaseLock(j);
        j = journal.set(j.id, { step: 'released', lastError: null });
        crashPoint(stepName(j, 'released'));
      }
      if (j.step === 'released') {
        // The outbox may have settled while we were away (or the process died before its hooks).
        const out = rt.sefaz?.outbox.get(j.chave!);
        if (out && FINAL_OUTBOX_STATES.has(out.state)) await onOutcome(out);
        else if (!out && isOfflineContingencyKey(j.chave)) {
          // EPEC / FS-DA: the DANFE travels now (with its contingency marks); SEFAZ gets it on return.
          const d = doc(j.chave!);
          if (j.printTo !== 'none') await printContingencyDanfe(w, rt, d, j.printTo as 'form' | 'pdf', journal.userOf(j).login).catch(() => undefined);
          journal.set(j.id, { step: 'done', lastError: null });
        }
        j = journal.get(j.id)!;
      }
      return j;
    } catch (err) {
      const message = (err as Error).message;
      if (isTransient(err)) {
        journal.set(j.id, { attempts: j.attempts + 1, lastError: message });
        throw err;
      }
      if (j.step === 'started' || j.step === 'locked' || j.step === 'allocated' || j.step === 'signed') {
        await abandon(journal.get(j.id)!, message);
      } else {
        journal.set(j.id, { attempts: j.attempts + 1, lastError: message });
      }
      throw err;
    } finally {
      void live;
    }
  }

  /**
   * Builds and signs the NF-e for the journaled number; the signed bytes are fsync'd before
   * the step is. With the UF in contingency (the office's shared state) the document is
   * re-keyed to the first available option of the establishment's priority order instead.
   */
  async function signNote(j: JournalRow): Promise<JournalRow> {
    const { sefaz, schemasDir } = sefazReady();
    const emitente = establishmentOf(w);
    if (!emitente) throw new AppError(BillingErrors.NO_ESTABLISHMENT, 'Cadastre o estabelecimento emitente em Administração.');
    const order = w.records.get<OrderDto>('orders', j.orderId);
    if (!order) throw new AppError(ErrorCodes.NOT_FOUND, 'Pedido não encontrado.');
    const series = parseSeriesId(j.seriesId);
    const fiscalOrder = toFiscalOrder(order, catalog, emitente, {
      serie: series.serie,
      numero: j.number!,
      ambiente: sefaz.config.environment === 'producao' ? 1 : 2,
    });
    // A failure here leaves the allocation open for this order: fixing the order and
    // finalizing again gets the same number back, never a second one.
    const respTec = respTecOf(emitente);
    const emitted = emitNfe(fiscalOrder, {
      layout: layoutOf(w),
      ...(respTec ? { respTec } : {}),
      numbering: { serie: series.serie, nNF: j.number! },
      certificate: sefaz.certificate,
      schemasDir,
    });
    const entry = rt.contingency.current(sefaz.config.uf, 'nfe');
    if (entry) {
      const issued = await issueNfeInContingency(w, rt, {
        signedXml: emitted.signedXml,
        cnpj: series.cnpj,
        serie: series.serie,
        nNF: j.number!,
        priority: await rt.contingency.priorityOf(series.cnpj, 'nfe'),
        entry,
        actor: journal.userOf(j).login,
      });
      const cfile = `${issued.chave}-nfe.xml`;
      writeDurable(join(rt.documentsDir(), cfile), issued.signedXml);
      return journal.set(j.id, { step: 'signed', chave: issued.chave, xmlFile: cfile });
    }
    const file = `${emitted.chave}-nfe.xml`;
    writeDurable(join(rt.documentsDir(), file), emitted.signedXml);
    return journal.set(j.id, { step: 'signed', chave: emitted.chave, xmlFile: file });
  }

  /**
   * Document record, order 'faturado', outbox row and journal step in ONE local SQLite
   * transaction: after a crash either all of them are there (and the outbox sends it) or
   * none is (and the resume commits them from the fsync'd XML). Never a note without its
   * outbox row.
   */
  function commitNote(j: JournalRow): JournalRow {
    const { sefaz } = sefazReady();
    const signedXml = readFileSync(join(rt.documentsDir(), j.xmlFile!), 'utf8');
    const model = parseNfe(signedXml);
    const inf = model.infNFe;
    const order = w.records.get<OrderDto>('orders', j.orderId);
    if (!order) throw new AppError(ErrorCodes.NOT_FOUND, 'Pedido não encontrado.');
    const customer = catalog.customer(order.customerId);
    const series = parseSeriesId(j.seriesId);
    const user = journal.userOf(j);
    const now = w.clock.now().toISOString();
    const record: DocumentRecord = {
      id: model.chave,
      chave: model.chave,
      model: 55,
      cnpj: series.cnpj,
      serie: series.serie,
      number: j.number!,
      orderId: order.id,
      cliente: customer?.nome ?? inf.dest?.xNome ?? '',
      clienteDocumento: customer?.documento ?? inf.dest?.CNPJ ?? inf.dest?.CPF ?? '',
      totalCentavos: Math.round(Number(inf.total.ICMSTot.vNF) * 100),
      issuedAt: inf.ide.dhEmi,
      // EPEC / FS-DA: issued now, transmitted when the UF returns (no outbox row until then).
      status: model.chave[34] === '4' ? 'epec_registrado' : model.chave[34] === '5' ? 'fsda_emitida' : 'processando',
      cStat: null,
      xMotivo: null,
      nProt: null,
      authorizedAt: null,
      messages: [],
      events: [],
      signedXml,
      procXml: null,
      imported: false,
      user: user.login,
      workstation: w.workstation,
    };
    const committed = w.store.sqlite.transaction(() => {
      // First what can refuse (a number live under another chave): nothing else is written then.
      if (!isOfflineContingencyKey(model.chave)) sefaz.outbox.enqueue(signedXml);
      rt.actingAs(user.login, () => {
        w.records.put<DocumentRecord>('documents', record.id, record);
        w.records.put<OrderDto>('orders', order.id, { status: 'faturado', documentId: record.id, updatedAt: now });
      });
      w.audit(user.login, 'billing.finalize', `Pedido ${order.numeroPedido} → NF-e ${j.number} série ${series.serie} (${record.chave})`, record.id);
      return journal.set(j.id, { step: 'committed' });
    })();
    w.events.emit('documents.changed', { ids: [record.id] });
    w.events.emit('orders.changed', { ids: [order.id] });
    // Send now rather than at the outbox's next poll; the faturista is waiting.
    void sefaz.outbox.processDue().catch(() => undefined);
    return committed;
  }

  async function finalizeOrder(
    order: OrderDto,
    p: { seriesId: string; suggested: number | null; requestId: string; printTo: 'form' | 'pdf' | 'none' },
    user: SessionUser,
  ): Promise<FinalizeResult> {
    sefazReady();
    if (!establishmentOf(w)) throw new AppError(BillingErrors.NO_ESTABLISHMENT, 'Cadastre o estabelecimento emitente em Administração.');
    const series = parseSeriesId(p.seriesId);
    // One live finalize per order: a second request (or one after a crash) continues it.
    const j0 = journal.liveFor(order.id) ?? journal.create({ orderId: order.id, user, seriesId: p.seriesId, suggested: p.suggested, printTo: p.printTo });
    crashPoint('finalize.started');
    let j: JournalRow;
    try {
      j = await advance(j0.id, true);
    } catch (err) {
      if (err instanceof AppError && err.code === CONTINGENCY_PENDING && journal.get(j0.id)?.step !== 'abandoned') {
        // No contingency option took it (the seed's 105): the finalize waits with its number and is tried again.
        w.records.put<OrderDto>('orders', order.id, { status: 'em_faturamento' });
        w.events.emit('orders.changed', { ids: [order.id] });
        return { documentId: '', number: journal.get(j0.id)?.number ?? 0, serie: series.serie, chave: '', suggested: p.suggested, numberChanged: false, status: 'aguardando_sefaz', message: err.message };
      }
      if (isTransient(err) && journal.get(j0.id)?.step !== 'abandoned') {
        w.records.put<OrderDto>('orders', order.id, { status: 'aguardando_servidor' });
        w.events.emit('orders.changed', { ids: [order.id] });
        return {
          documentId: '',
          number: journal.get(j0.id)?.number ?? 0,
          serie: series.serie,
          chave: '',
          suggested: p.suggested,
          numberChanged: false,
          status: 'aguardando_servidor',
          message: 'Servidor LAN fora do ar: o pedido aguarda o servidor e será faturado automaticamente quando ele voltar.',
        };
      }
      throw err;
    }
    const chave = j.chave!;
    const out = rt.sefaz?.outbox.get(chave);
    if (!isOfflineContingencyKey(chave) && (!out || !FINAL_OUTBOX_STATES.has(out.state))) await waitForOutcome(chave, FINAL_WAIT_MS);
    const settled = rt.sefaz?.outbox.get(chave);
    if (settled) await onOutcome(settled);
    const final = doc(chave);
    // The renumbering is told by its own notice (numberChanged); this line always says the outcome.
    // Contingency labels keep their acronyms (EPEC, FS-DA, SEFAZ).
    const label = summaryOf(final).statusLabel;
    const msg = `NF-e ${j.number} série ${series.serie}: ${final.status === 'epec_registrado' || final.status === 'fsda_emitida' ? label : label.toLowerCase()}.`;
    return {
      documentId: final.id,
      number: j.number!,
      serie: series.serie,
      chave,
      suggested: p.suggested,
      numberChanged: Boolean(j.numberChanged),
      status: final.status,
      message: final.status === 'rejeitada' ? `${msg} ${final.cStat ?? ''} - ${final.xMotivo ?? ''}`.trim() : msg,
    };
  }

  /** billing.finalize after its session check: the one finalize path (the batch calls it too). */
  async function finalizeRequest(params: FinalizeParams, user: SessionUser): Promise<FinalizeResult> {
    const order = w.records.get<OrderDto>('orders', String(params?.orderId ?? ''));
    if (!order) throw new AppError(ErrorCodes.NOT_FOUND, 'Pedido não encontrado.');
    if (order.status === 'faturado') throw new AppError(ErrorCodes.CONFLICT, 'Este pedido já foi faturado.');
    if (!params.requestId) throw invalidInput('Falta o identificador da requisição.', 'requestId');
    if (!rt.lan || rt.lan.state !== 'online') {
      // Finalizing needs a number: journal it; it completes by itself when the server returns.
      sefazReady();
      if (!journal.liveFor(order.id)) {
        journal.create({ orderId: order.id, user: user, seriesId: params.seriesId, suggested: params.suggested, printTo: params.printTo });
      }
      w.records.put<OrderDto>('orders', order.id, { status: 'aguardando_servidor' });
      w.events.emit('orders.changed', { ids: [order.id] });
      return {
        documentId: '',
        number: 0,
        serie: parseSeriesId(params.seriesId).serie,
        chave: '',
        suggested: params.suggested,
        numberChanged: false,
        status: 'aguardando_servidor',
        message: 'Servidor LAN fora do ar: o pedido aguarda o servidor e será faturado automaticamente quando ele voltar.',
      };
    }
    return finalizeOrder(order, params, user);
  }

  const detail = (d: DocumentRecord): DocumentDetail => {
    const authorizedAt = d.authorizedAt ? Date.parse(d.authorizedAt) : NaN;
    const withinWindow = Number.isFinite(authorizedAt) && w.clock.now().getTime() - authorizedAt <= CANCEL_WINDOW_MS;
    const eventsBlocked = d.model === 55 ? eventsBlockedReason(d.chave) : null;
    const cancelBlockedReason =
      eventsBlocked && d.status === 'autorizada'
        ? eventsBlocked
        : d.status === 'cancelada'
        ? 'Esta NF-e já está cancelada.'
        : d.status !== 'autorizada'
        ? 'Só uma NF-e autorizada pode ser cancelada.'
        : !withinWindow
          ? 'Prazo de 24 horas da autorização encerrado: o cancelamento não é mais aceito pela SEFAZ.'
          : null;
    return {
      ...summaryOf(d),
      numeroPedido: d.orderId ? (w.records.get<OrderDto>('orders', d.orderId)?.numeroPedido ?? null) : null,
      messages: d.messages,
      nProt: d.nProt,
      events: d.events.map((e) => ({ tpEvento: e.tpEvento, nSeq: e.nSeq, at: e.at, cStat: e.cStat, xMotivo: e.xMotivo, texto: e.texto })),
      canCancel: cancelBlockedReason === null,
      cancelBlockedReason,
      canCce: !eventsBlocked && d.status === 'autorizada' && d.events.filter((e) => e.tpEvento === '110110').length < 20,
      canResend: d.status === 'rejeitada' && d.orderId !== null,
    };
  };

  const handlers: DomainHandlers<Methods> = {
    'billing.series': async (params, ctx) => {
      w.sessions.require(ctx, 'faturista');
      const emitente = establishmentOf(w);
      if (!emitente) throw new AppError(BillingErrors.NO_ESTABLISHMENT, 'Cadastre o estabelecimento emitente em Administração.');
      const list = await (await lanOnline()).listSeries(emitente.cnpj);
      return list
        .filter((s) => s.model === (params?.model ?? 55) && s.active)
        .map((s) => ({ id: seriesId(s), model: s.model, serie: s.serie, emissaoPropria: s.emissaoPropria, suggested: s.nextNumber, description: s.description }));
    },
    'billing.lock': async (params, ctx) => {
      const me = w.sessions.require(ctx, 'faturista');
      return { lockToken: await acquireLock(String(params?.orderId ?? ''), me.user.login) };
    },
    // Opening an order asks who holds it: another faturista's order opens read-only.
    'orders.holder': async (params, ctx) => {
      const me = w.sessions.require(ctx, 'faturista');
      const orderId = parseOrderRef(params).id;
      const lan = await rt.requireLan(me.user.login).catch(() => null);
      if (!lan) return { online: false, mine: false, holder: null };
      if (lan.lockToken(orderId) !== undefined) return { online: true, mine: true, holder: null };
      const held = (await lan.listLocks()).find((l) => l.orderId === orderId);
      return { online: true, mine: false, holder: held ? holderDto(held) : null };
    },
    'locks.list': async (_p, ctx) => {
      const me = w.sessions.require(ctx, 'administrador');
      const lan = await rt.requireLan(me.user.login);
      return (await lan.listLocks()).map((l) => ({ ...holderDto(l), disconnected: l.disconnected }));
    },
    // The server checks the administrator role again and writes its own audit line.
    'locks.release': async (params, ctx) => {
      const me = w.sessions.require(ctx, 'administrador');
      const { orderId, reason } = parseLockRelease(params);
      const lan = await rt.requireLan(me.user.login);
      const r = await lan.adminReleaseLock(orderId, reason);
      const pedido = w.records.get<OrderDto>('orders', orderId)?.numeroPedido ?? orderId;
      w.audit(me.user.login, 'locks.release', `Trava do pedido ${pedido} liberada${r.holder ? ` (era de ${personName(r.holder.user)} em ${r.holder.workstation})` : ' (já estava livre)'}: ${reason}`);
      w.events.emit('orders.changed', { ids: [orderId] });
      return { released: r.released };
    },
    'billing.unlock': async (params, ctx) => {
      const me = w.sessions.require(ctx, 'faturista');
      await rt.clientFor(me.user.login)?.unlock(String(params?.orderId ?? ''));
      return null;
    },
    'billing.finalize': async (params, ctx) => {
      const me = w.sessions.require(ctx, 'faturista');
      return finalizeRequest(params, me.user);
    },
    // The first page (at most 200) of the same indexed query as documents.page; the old
    // parameters (number, chave, date) are read as the search they stand for.
    'documents.list': async (params, ctx) => {
      w.sessions.require(ctx, 'faturista', 'expedicao');
      const p = (params ?? {}) as { q?: unknown; number?: unknown; chave?: unknown; date?: unknown; model?: unknown };
      const q = typeof p.chave === 'string' && p.chave ? p.chave : typeof p.number === 'number' ? String(p.number) : p.q;
      const day = typeof p.date === 'string' && p.date ? p.date : undefined;
      return (await lists.documents(parseSearch({ q, model: p.model, from: day, to: day, limit: 200 }, 'documents'))).rows;
    },
    'documents.page': async (params, ctx) => {
      w.sessions.require(ctx, 'faturista', 'expedicao');
      return lists.documents(parseSearch(params, 'documents'));
    },
    'documents.get': (params, ctx) => {
      w.sessions.require(ctx, 'faturista', 'expedicao');
      return detail(doc(params?.id));
    },
    'documents.refresh': async (params, ctx) => {
      w.sessions.require(ctx, 'faturista', 'expedicao');
      if (rt.sefaz) {
        await rt.sefaz.outbox.processDue().catch(() => undefined);
        const ids = params?.id ? [params.id] : rt.sefaz.outbox.list().map((d) => d.chave);
        for (const id of ids) {
          const o = rt.sefaz.outbox.get(id);
          if (o) await onOutcome(o);
        }
      }
      return null;
    },
    'documents.resend': async (params, ctx) => {
      const me = w.sessions.require(ctx, 'faturista');
      const d = doc(params?.id);
      if (d.status !== 'rejeitada' || !d.orderId) throw new AppError(ErrorCodes.CONFLICT, 'Só um documento rejeitado pode ser reenviado.');
      const order = w.records.get<OrderDto>('orders', d.orderId);
      if (!order) throw new AppError(ErrorCodes.NOT_FOUND, 'Pedido do documento não encontrado.');
      const r = await finalizeOrder(order, { seriesId: seriesId(seriesKeyOf(d)), suggested: d.number, requestId: newId(), printTo: 'none' }, me.user);
      return detail(doc(r.documentId));
    },
    'documents.cancel': async (params, ctx) => {
      const me = w.sessions.require(ctx, 'faturista');
      const d = doc(params?.id);
      const just = String(params?.justificativa ?? '').trim();
      if (just.length < 15 || just.length > 255) throw invalidInput('A justificativa do cancelamento deve ter de 15 a 255 caracteres.', 'justificativa');
      const det = detail(d);
      if (!det.canCancel) throw new AppError(BillingErrors.CANCEL_WINDOW, det.cancelBlockedReason ?? 'Cancelamento não permitido.');
      sefazReady();
      // A durable intent: signed, sent, stored and applied step by step, resumed after a crash.
      await intents.cancel(d, just, me.user);
      return detail(doc(d.id));
    },
    'documents.cce': async (params, ctx) => {
      const me = w.sessions.require(ctx, 'faturista');
      const d = doc(params?.id);
      const text = String(params?.correcao ?? '').trim();
      if (text.length < 15 || text.length > 1000) throw invalidInput('A correção deve ter de 15 a 1000 caracteres.', 'correcao');
      if (d.status !== 'autorizada') throw new AppError(ErrorCodes.CONFLICT, 'Carta de correção só para NF-e autorizada.');
      sefazReady();
      await intents.cce(d, text, me.user);
      return detail(doc(d.id));
    },
    'documents.gaps': async (_p, ctx) => {
      w.sessions.require(ctx, 'faturista');
      const emitente = establishmentOf(w);
      if (!emitente) return { firstOfDay: false, gaps: [] };
      const lan = await rt.requireLan();
      // CT-e 4.00 has no inutilização: only NF-e gaps are listed to inutilize.
      const series = (await lan.listSeries(emitente.cnpj)).filter((s) => s.active && s.emissaoPropria && s.model === 55);
      let firstOfDay = false;
      const gaps: GapDto[] = [];
      for (const s of series) {
        const r = await lan.gapReport({ cnpj: s.cnpj, model: s.model, serie: s.serie });
        firstOfDay ||= r.firstNoteOfDay;
        if (r.pending.length === 0) continue;
        const numbers: number[] = [];
        for (const g of r.pending) for (let n = g.first; n <= g.last && numbers.length < 200; n++) numbers.push(n);
        const deadline = r.pending.map((g) => g.inutilizacaoDeadline).sort()[0]!;
        gaps.push({ serie: s.serie, model: s.model, numbers, deadline });
      }
      return { firstOfDay, gaps };
    },
    'documents.import': async (params, ctx) => {
      const me = w.sessions.require(ctx, 'faturista');
      const files = Array.isArray(params?.files) ? params.files : [];
      if (files.length === 0) throw invalidInput('Escolha ao menos um arquivo XML.', 'files');
      const emitente = establishmentOf(w);
      const results: ImportResult[] = [];
      for (const f of files) {
        const name = String(f?.name ?? 'arquivo.xml');
        try {
          const model = parseNfe(String(f?.xml ?? ''));
          const inf = model.infNFe;
          const cnpj = inf.emit.CNPJ ?? '';
          if (!emitente || cnpj !== emitente.cnpj) throw new AppError(ErrorCodes.INVALID_INPUT, 'A nota não é de emissão própria deste estabelecimento.');
          if (!model.protNFe || !['100', '150'].includes(model.protNFe.infProt.cStat)) {
            throw new AppError(ErrorCodes.INVALID_INPUT, 'O arquivo não traz o protocolo de autorização (nfeProc autorizado).');
          }
          const series: SeriesKey = { cnpj, model: 55, serie: Number(inf.ide.serie) };
          const number = Number(inf.ide.nNF);
          if (w.records.get<DocumentRecord>('documents', model.chave)) throw new AppError(ErrorCodes.CONFLICT, 'Esta nota já foi importada.');
          // A durable intent: the server's acceptance, the write-once procNFe and the record, resumed after a crash.
          const r = await intents.importXml({ name, xml: String(f.xml), chave: model.chave, number, serie: series.serie, cnpj }, me.user);
          results.push({
            file: name,
            ok: true,
            chave: model.chave,
            number,
            message: r.aboveNext
              ? `Importada. O número ${number} está acima do próximo número da série: a lacuna antes dele aparece no relatório de pendências.`
              : `Importada: NF-e ${number} série ${series.serie}.`,
          });
        } catch (err) {
          results.push({ file: name, ok: false, message: err instanceof AppError ? err.message : 'Arquivo inválido: não é um XML de NF-e legível.' });
        }
      }
      return results;
    },
    'documents.xml': (params, ctx) => {
      w.sessions.require(ctx, 'faturista', 'expedicao');
      const d = doc(params?.id);
      return d.procXml ? { fileName: `${d.chave}-procNFe.xml`, xml: d.procXml } : { fileName: `${d.chave}-nfe.xml`, xml: d.signedXml };
    },
    'documents.pdf': async (params, ctx) => {
      const me = w.sessions.require(ctx, 'faturista', 'expedicao');
      const d = doc(params?.id);
      // Downloading is not a reprint: print.reprint {target:'pdf'} is what the audit records.
      void me;
      const pdf = await documentPdf(w, d);
      return { fileName: `DANFE-${d.serie}-${d.number}.pdf`, base64: pdf.toString('base64') };
    },
  };

  return {
    handlers,
    journal,
    registerFlow: (kind, flow) => void flows.set(kind, flow),
    run: (id) => advance(id, true),
    finalize: finalizeRequest,
    documentDetail: (id) => detail(doc(id)),
    isTransient,
    print: (id, target, user) => intents.reprint(doc(id), target, user),
    intents,
    async resumeWaiting() {
      for (const j of journal.open()) {
        // Before its lock, a finalize typed offline waits for its user's server session
        // (the lock is asked as that person); after it, the station resumes it by itself.
        const parked = w.records.get<OrderDto>('orders', j.orderId)?.status === 'aguardando_servidor';
        if (j.step === 'started' && parked && rt.clientFor(journal.userOf(j).login) === null) continue;
        await advance(j.id, false).catch(() => undefined);
      }
      if (rt.sefaz) await rt.sefaz.outbox.processDue().catch(() => undefined);
      intents.resume();
    },
  };
}
