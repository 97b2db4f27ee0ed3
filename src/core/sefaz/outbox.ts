import { hostname } from 'node:os';
import { and, asc, eq, inArray, isNotNull, lte, ne, sql } from 'drizzle-orm';
import { crashPoint } from '../crash-points';
import { isoWithOffset, systemClock, type Clock } from '../clock';
import { AppError } from '../errors';
import { isValidChave } from '../fiscal/chave';
import type { Store } from '../store/open';
import { sefazDocuments, sefazMessages } from '../store/schema/sefaz';
import type { SefazClient, SefazMessage } from './client';
import { classifyCStat } from './cstat';
import { SefazErrors, sefazError } from './errors';
import { cteProc } from './cte-messages';
import { procCTePath, procNFePath, writeFiscalFile } from './files';
import { nfeProc, type ProtNFe } from './messages';
import { attrOf, findElement, textOf } from './xml';

export type OutboxState = 'queued' | 'inflight' | 'unknown' | 'receipt' | 'authorized' | 'denied' | 'cancelled' | 'rejected' | 'conflict' | 'superseded';
export const FINAL_STATES: readonly OutboxState[] = ['authorized', 'denied', 'cancelled', 'rejected', 'conflict', 'superseded'];
const LIVE_STATES: OutboxState[] = ['queued', 'inflight', 'unknown', 'receipt'];

export type OutboxDocument = typeof sefazDocuments.$inferSelect;

export interface OutboxHooks {
  /** Authorized: the LAN server marks the number authorized (lifecycle), UI shows the DANFE. */
  onAuthorized?(doc: OutboxDocument): void | Promise<void>;
  /** Denied (110/301/302/303/205): the number is consumed for good. */
  onDenied?(doc: OutboxDocument): void | Promise<void>;
  /** Rejected: the number stays with the document, which can be edited and sent again. */
  onRejected?(doc: OutboxDocument): void | Promise<void>;
  onCancelled?(doc: OutboxDocument): void | Promise<void>;
  onChange?(doc: OutboxDocument): void;
}

export interface BackoffPolicy {
  /** First retry after SEFAZ was down; doubles up to maxMs (with jitter). */
  baseMs: number;
  maxMs: number;
  /** 656 consumo indevido: SEFAZ blocks the caller for about an hour. */
  throttleMs: number;
  /** After a lost reply, first consult by chave after this delay. */
  consultDelayMs: number;
  /** A request whose reply was lost may still be processed by SEFAZ until this long after. */
  settleMs: number;
}

/**
 * settleMs is short on purpose: what is resent after it is the very same signed bytes (same
 * chave), so a request processed late only makes the resend answer 204 (duplicidade), which
 * is consulted. The window only saves SEFAZ a redundant request; it must not keep a note
 * yellow for minutes after a crash.
 */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 5 * 60_000, throttleMs: 60 * 60_000, consultDelayMs: 3_000, settleMs: 15_000 };

/** What the outbox needs of a client: the NF-e client, or the CT-e one (same shapes, mod 57). */
export type OutboxClient = Pick<SefazClient, 'sendNFe' | 'retAutorizacao' | 'consult' | 'addMessageListener'>;

export interface OutboxOptions {
  store: Store;
  client: OutboxClient;
  /** Where `<chave>-procNFe.xml` files are written. */
  outDir: string;
  clock?: Clock;
  hooks?: OutboxHooks;
  backoff?: Partial<BackoffPolicy>;
  /** indSinc=1 (protocol in the reply) or async lote with recibo. */
  sync?: boolean;
  concurrency?: number;
  random?: () => number;
  /** How long a claimed document stays reserved for this worker (longer than any one step). */
  leaseMs?: number;
  /** This process's epoch (see processEpoch); leases carry it so a dead process's can be taken back. */
  epoch?: string;
}

/**
 * Who holds a lease: this host, this process id and a random part (a reused pid is never
 * mistaken for us). Fixed for the life of the process.
 */
export const PROCESS_EPOCH = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;

function inflightSince(doc: OutboxDocument, now: number): number {
  const t = Date.parse(doc.updatedAt);
  return Number.isFinite(t) && t <= now ? t : now;
}

/** False when the epoch is a process of this host that no longer runs. */
function epochAlive(epoch: string): boolean {
  const [host, pid] = epoch.split(':');
  if (host !== hostname()) return true; // another machine's: only its lease time tells
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0) return true;
  try {
    process.kill(n, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What the status screen shows for each state, in Portuguese. */
export function stateLabel(doc: Pick<OutboxDocument, 'state' | 'attempts' | 'cStat' | 'xMotivo'>): string {
  switch (doc.state as OutboxState) {
    case 'queued':
      return doc.attempts > 0 ? 'Aguardando SEFAZ (nova tentativa automática)' : 'Na fila de transmissão';
    case 'inflight':
      return 'Transmitindo…';
    case 'unknown':
      return 'Aguardando SEFAZ (consultando pela chave)';
    case 'receipt':
      return 'Em processamento na SEFAZ';
    case 'authorized':
      return 'Autorizada';
    case 'denied':
      return `Denegada (${doc.cStat ?? ''}): número consumido`;
    case 'cancelled':
      return 'Cancelada';
    case 'rejected':
      return `Rejeitada (${doc.cStat ?? ''}): ${doc.xMotivo ?? ''} — corrija e transmita de novo`;
    case 'conflict':
      return 'Número já usado na SEFAZ com outra chave: requer intervenção';
    case 'superseded':
      return 'Substituída por nova versão';
  }
}

export interface NfeIdentity {
  chave: string;
  cnpj: string;
  mod: string;
  serie: number;
  nNF: number;
}

/** chave, emitente and number of a signed NFe or CTe (the outbox carries both), read without re-serialising it. */
export function identifyNFe(signedXml: string): NfeIdentity {
  const cte = findElement(signedXml, 'infCte');
  const inf = cte ?? findElement(signedXml, 'infNFe');
  const chave = inf ? (attrOf(inf.startTag, 'Id') ?? '').replace(/^(NFe|CTe)/, '') : '';
  if (!inf || !isValidChave(chave)) throw sefazError(SefazErrors.SEFAZ_INVALID_REQUEST, 'O arquivo não é uma NF-e ou CT-e assinado com chave de acesso válida.');
  if (!findElement(signedXml, 'Signature')) throw sefazError(SefazErrors.SEFAZ_INVALID_REQUEST, cte ? 'O CT-e não está assinado.' : 'A NF-e não está assinada.');
  const ide = findElement(inf.inner, 'ide')?.inner ?? '';
  return {
    chave,
    cnpj: textOf(findElement(inf.inner, 'emit')?.inner ?? '', 'CNPJ') ?? chave.slice(6, 20),
    mod: textOf(ide, 'mod') ?? chave.slice(20, 22),
    serie: Number(textOf(ide, 'serie') ?? chave.slice(22, 25)),
    nNF: Number(textOf(ide, cte ? 'nCT' : 'nNF') ?? chave.slice(25, 34)),
  };
}

/**
 * The persistent transmission queue. Every step is written to SQLite before the next
 * network call, so a crash or a lost reply never leads to a blind resend: a document whose
 * request may have reached SEFAZ is consulted by chave first, and is sent again only when
 * SEFAZ does not know it after the settle window (a late-processed request cannot race a
 * resend). A number is never sent under a different chave while it is live.
 */
export class SefazOutbox {
  private readonly store: Store;
  private readonly client: OutboxClient;
  private readonly clock: Clock;
  private readonly backoff: BackoffPolicy;
  private readonly running = new Set<string>();
  private readonly random: () => number;
  private timer: NodeJS.Timeout | undefined;
  private readonly leaseMs: number;
  private readonly epoch: string;
  private loop: Promise<void> | undefined;

  constructor(private readonly opts: OutboxOptions) {
    this.store = opts.store;
    this.client = opts.client;
    this.clock = opts.clock ?? systemClock;
    this.backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.random = opts.random ?? Math.random;
    this.leaseMs = opts.leaseMs ?? 5 * 60_000;
    this.epoch = opts.epoch ?? PROCESS_EPOCH;
    this.client.addMessageListener((m) => this.recordMessage(m));
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }

  private iso(): string {
    return isoWithOffset(this.clock.now());
  }

  recordMessage(m: SefazMessage): void {
    this.store.db
      .insert(sefazMessages)
      .values({
        chave: m.chave ?? null,
        service: m.service,
        at: m.at,
        elapsedMs: m.elapsedMs,
        outcome: m.outcome,
        cStat: m.cStat ?? null,
        xMotivo: m.xMotivo ?? null,
        nProt: m.nProt ?? null,
        error: m.error ?? null,
      })
      .run();
  }

  /**
   * Queues a signed NF-e. The same chave again is a no-op while live (idempotent), and
   * replaces a rejected version. A different chave for a live number is refused.
   */
  enqueue(signedXml: string): OutboxDocument {
    const id = identifyNFe(signedXml);
    const now = this.iso();
    return this.store.sqlite.transaction(() => {
      const existing = this.get(id.chave);
      if (existing && existing.state !== 'rejected' && existing.state !== 'superseded') return existing;
      const live = this.store.db
        .select()
        .from(sefazDocuments)
        .where(
          and(
            eq(sefazDocuments.cnpj, id.cnpj),
            eq(sefazDocuments.mod, id.mod),
            eq(sefazDocuments.serie, id.serie),
            eq(sefazDocuments.nNF, id.nNF),
            sql`${sefazDocuments.state} not in ('rejected', 'superseded')`,
          ),
        )
        .get();
      if (live) {
        throw sefazError(
          SefazErrors.SEFAZ_NUMBER_CONFLICT,
          `O número ${id.nNF} da série ${id.serie} já está em transmissão ou autorizado com outra chave (${live.chave}, ${stateLabel(live).toLowerCase()}). Não é permitido reenviar o número com chave diferente.`,
        );
      }
      this.store.db
        .update(sefazDocuments)
        .set({ state: 'superseded', updatedAt: now })
        .where(and(eq(sefazDocuments.cnpj, id.cnpj), eq(sefazDocuments.mod, id.mod), eq(sefazDocuments.serie, id.serie), eq(sefazDocuments.nNF, id.nNF), eq(sefazDocuments.state, 'rejected')))
        .run();
      const row = {
        chave: id.chave,
        cnpj: id.cnpj,
        mod: id.mod,
        serie: id.serie,
        nNF: id.nNF,
        state: 'queued',
        signedXml,
        nRec: null,
        cStat: null,
        xMotivo: null,
        nProt: null,
        dhRecbto: null,
        procPath: null,
        attempts: 0,
        nextAttemptAt: this.nowMs(),
        ambiguousUntil: null,
        lastError: null,
        leaseOwner: null,
        createdAt: now,
        updatedAt: now,
      } satisfies OutboxDocument;
      this.store.db.insert(sefazDocuments).values(row).onConflictDoUpdate({ target: sefazDocuments.chave, set: { ...row, createdAt: existing?.createdAt ?? now } }).run();
      return this.get(id.chave)!;
    })();
  }

  get(chave: string): OutboxDocument | undefined {
    return this.store.db.select().from(sefazDocuments).where(eq(sefazDocuments.chave, chave)).get();
  }

  list(states?: OutboxState[]): OutboxDocument[] {
    const q = this.store.db.select().from(sefazDocuments);
    return (states ? q.where(inArray(sefazDocuments.state, states)) : q).orderBy(asc(sefazDocuments.createdAt)).all();
  }

  messages(chave: string): (typeof sefazMessages.$inferSelect)[] {
    return this.store.db.select().from(sefazMessages).where(eq(sefazMessages.chave, chave)).orderBy(asc(sefazMessages.id)).all();
  }

  /** Earliest time (epoch ms) some live document wants attention, or undefined if none. */
  nextDue(): number | undefined {
    const row = this.store.db
      .select({ at: sql<number>`min(${sefazDocuments.nextAttemptAt})` })
      .from(sefazDocuments)
      .where(inArray(sefazDocuments.state, LIVE_STATES))
      .get();
    return row?.at ?? undefined;
  }

  private update(chave: string, set: Partial<OutboxDocument>): OutboxDocument {
    // A new schedule replaces the lease: whoever held it is no longer the one to wait for.
    const lease = set.nextAttemptAt !== undefined && set.leaseOwner === undefined ? { leaseOwner: null } : {};
    this.store.db.update(sefazDocuments).set({ ...set, ...lease, updatedAt: this.iso() }).where(eq(sefazDocuments.chave, chave)).run();
    const doc = this.get(chave)!;
    this.opts.hooks?.onChange?.(doc);
    return doc;
  }

  private retryDelay(attempts: number): number {
    const exp = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(exp * (0.5 + this.random() * 0.5));
  }

  /** SEFAZ unreachable, stopped (108/109) or throttling (656): nothing was processed; wait and retry. */
  private later(doc: OutboxDocument, state: OutboxState, why: { cStat?: string; xMotivo?: string; error?: string }): OutboxDocument {
    const throttled = why.cStat === '656';
    const delay = throttled ? this.backoff.throttleMs : this.retryDelay(doc.attempts);
    return this.update(doc.chave, {
      state,
      nextAttemptAt: this.nowMs() + delay,
      ...(why.cStat ? { cStat: why.cStat, xMotivo: why.xMotivo ?? null } : {}),
      lastError: why.error ?? (why.cStat ? `${why.cStat} ${why.xMotivo ?? ''}`.trim() : null),
    });
  }

  /** Processes every due document (up to `concurrency` at a time). Returns how many were touched. */
  async processDue(): Promise<number> {
    const due = this.store.db
      .select()
      .from(sefazDocuments)
      .where(and(inArray(sefazDocuments.state, LIVE_STATES), lte(sefazDocuments.nextAttemptAt, this.nowMs())))
      .orderBy(asc(sefazDocuments.nextAttemptAt))
      .all()
      .filter((d) => !this.running.has(d.chave));
    const limit = Math.max(1, this.opts.concurrency ?? 4);
    let i = 0;
    let touched = 0;
    const worker = async () => {
      while (i < due.length) {
        const doc = due[i++]!;
        if (!this.claim(doc)) continue;
        touched++;
        this.running.add(doc.chave);
        try {
          await this.step(doc);
        } finally {
          this.running.delete(doc.chave);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, due.length) }, worker));
    return touched;
  }

  /**
   * Compare-and-set lease on a due document, so two workers on the same store (the app
   * and a CLI, or two outboxes) never process it at once. A crashed worker's lease expires.
   */
  private claim(doc: OutboxDocument): boolean {
    const lease = this.nowMs() + this.leaseMs;
    const r = this.store.db
      .update(sefazDocuments)
      .set({ nextAttemptAt: lease, leaseOwner: this.epoch })
      .where(and(eq(sefazDocuments.chave, doc.chave), eq(sefazDocuments.state, doc.state), eq(sefazDocuments.nextAttemptAt, doc.nextAttemptAt)))
      .run();
    if (r.changes === 0) return false;
    doc.nextAttemptAt = lease;
    doc.leaseOwner = this.epoch;
    return true;
  }

  /**
   * Leases held by processes of this host that are gone (a crash, kill -9, power cut) are
   * due now: their work resumes at once instead of after the lease time. A live process's
   * lease (the app and a CLI on the same store) is left alone. Returns how many were taken back.
   */
  takeBackDeadLeases(): number {
    const held = this.store.db
      .select({ chave: sefazDocuments.chave, owner: sefazDocuments.leaseOwner, state: sefazDocuments.state, at: sefazDocuments.nextAttemptAt })
      .from(sefazDocuments)
      .where(and(inArray(sefazDocuments.state, LIVE_STATES), isNotNull(sefazDocuments.leaseOwner), ne(sefazDocuments.leaseOwner, this.epoch)))
      .all();
    let taken = 0;
    const now = this.nowMs();
    for (const h of held) {
      if (epochAlive(h.owner!)) continue;
      const r = this.store.db
        .update(sefazDocuments)
        .set({ nextAttemptAt: Math.min(h.at, now), leaseOwner: null })
        .where(and(eq(sefazDocuments.chave, h.chave), eq(sefazDocuments.state, h.state), eq(sefazDocuments.leaseOwner, h.owner!)))
        .run();
      taken += r.changes;
    }
    return taken;
  }

  /** Runs until every document is final, or until `timeoutMs` passes. Returns the live ones left. */
  async drain(timeoutMs: number): Promise<OutboxDocument[]> {
    const deadline = this.nowMs() + timeoutMs;
    for (;;) {
      await this.processDue();
      const next = this.nextDue();
      if (next === undefined) return [];
      const now = this.nowMs();
      if (now >= deadline) return this.list(LIVE_STATES);
      // Another worker may hold a lease (far `next`): keep looking until the deadline.
      await new Promise((ok) => setTimeout(ok, Math.max(20, Math.min(1000, next - now, deadline - now))));
    }
  }

  /** Background retries for the app: documents queue and go out by themselves. */
  start(pollMs = 1000): void {
    if (this.timer) return;
    this.takeBackDeadLeases();
    const tick = () => {
      this.loop = this.processDue()
        .then(() => undefined)
        .catch(() => undefined)
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, pollMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    const t = this.timer;
    this.timer = undefined;
    if (t) clearTimeout(t);
    await this.loop;
  }

  private async step(doc: OutboxDocument): Promise<void> {
    try {
      switch (doc.state as OutboxState) {
        case 'inflight':
          // Found after a crash mid-send: SEFAZ may have it since the request could leave (when inflight was written).
          await this.consult(this.update(doc.chave, { state: 'unknown', ambiguousUntil: Math.max(doc.ambiguousUntil ?? 0, inflightSince(doc, this.nowMs()) + this.backoff.settleMs) }));
          return;
        case 'unknown':
          await this.consult(doc);
          return;
        case 'receipt':
          await this.pollReceipt(doc);
          return;
        case 'queued':
          await this.send(doc);
          return;
        default:
          return;
      }
    } catch (err) {
      // A bug or an unexpected reply must not lose the document: keep it live and retry.
      this.later(this.get(doc.chave)!, (this.get(doc.chave)!.state === 'inflight' ? 'unknown' : this.get(doc.chave)!.state) as OutboxState, {
        error: err instanceof AppError ? err.message : String((err as Error)?.message ?? err),
      });
    }
  }

  private async send(doc: OutboxDocument): Promise<void> {
    if (doc.ambiguousUntil && this.nowMs() < doc.ambiguousUntil) {
      this.update(doc.chave, { state: 'unknown', nextAttemptAt: doc.ambiguousUntil });
      return;
    }
    // Durable before the request leaves: a crash from here on means "consult first".
    const sending = this.update(doc.chave, { state: 'inflight', attempts: doc.attempts + 1 });
    crashPoint('outbox.inflight');
    let r;
    try {
      r = await this.client.sendNFe(doc.signedXml, doc.chave, this.opts.sync ?? true);
      crashPoint('outbox.replied');
    } catch (err) {
      const code = (err as AppError).code;
      if (code === SefazErrors.SEFAZ_UNREACHABLE || code === SefazErrors.SEFAZ_TLS) {
        this.later(sending, 'queued', { error: (err as Error).message });
      } else {
        this.update(doc.chave, {
          state: 'unknown',
          ambiguousUntil: this.nowMs() + this.backoff.settleMs,
          nextAttemptAt: this.nowMs() + this.backoff.consultDelayMs,
          lastError: (err as Error).message,
        });
      }
      return;
    }
    const c = classifyCStat(r.cStat);
    if (c === 'serviceStopped' || c === 'throttled') {
      this.later(sending, 'queued', { cStat: r.cStat, xMotivo: r.xMotivo });
    } else if (c === 'received' && r.nRec) {
      this.update(doc.chave, { state: 'receipt', nRec: r.nRec, cStat: r.cStat, xMotivo: r.xMotivo, nextAttemptAt: this.nowMs() + (r.tMed ?? 1) * 1000 });
    } else if (r.prot) {
      await this.applyProt(sending, r.prot);
    } else {
      // Lote-level refusal (schema 215/225, 452…): nothing was stored at SEFAZ.
      await this.finish(sending, 'rejected', { cStat: r.cStat, xMotivo: r.xMotivo });
    }
  }

  private async pollReceipt(doc: OutboxDocument): Promise<void> {
    let r;
    try {
      r = await this.client.retAutorizacao(doc.nRec!, doc.chave);
    } catch (err) {
      this.later(doc, 'receipt', { error: (err as Error).message });
      return;
    }
    const c = classifyCStat(r.cStat);
    const prot = r.prots.find((p) => p.chNFe === doc.chave);
    if (c === 'processed' && prot) await this.applyProt(doc, prot);
    else if (c === 'processing' || c === 'serviceStopped' || c === 'throttled') this.later(doc, 'receipt', { cStat: r.cStat, xMotivo: r.xMotivo });
    // 106 (receipt unknown) or a receipt without our document: ask by chave.
    else this.update(doc.chave, { state: 'unknown', nextAttemptAt: this.nowMs() });
  }

  private async consult(doc: OutboxDocument): Promise<void> {
    let r;
    try {
      r = await this.client.consult(doc.chave);
    } catch (err) {
      this.later(doc, 'unknown', { error: (err as Error).message });
      return;
    }
    const c = classifyCStat(r.cStat);
    if ((c === 'authorized' || c === 'denied') && r.prot) {
      await this.applyProt(doc, r.prot);
    } else if (c === 'cancelled' && r.prot) {
      await this.applyProt(doc, r.prot);
      await this.finish(this.get(doc.chave)!, 'cancelled', { cStat: r.cStat, xMotivo: r.xMotivo });
    } else if (c === 'notFound') {
      // Not at SEFAZ. Resend only once a late-processed request can no longer land.
      const until = doc.ambiguousUntil ?? 0;
      if (this.nowMs() < until) this.update(doc.chave, { state: 'unknown', nextAttemptAt: until, cStat: r.cStat, xMotivo: r.xMotivo });
      else this.update(doc.chave, { state: 'queued', nextAttemptAt: this.nowMs(), cStat: r.cStat, xMotivo: r.xMotivo, ambiguousUntil: null });
    } else {
      this.later(doc, 'unknown', { cStat: r.cStat, xMotivo: r.xMotivo });
    }
  }

  private async applyProt(doc: OutboxDocument, prot: ProtNFe): Promise<void> {
    const c = classifyCStat(prot.cStat);
    if (c === 'authorized' || c === 'denied') {
      // nfeProc = stored signed bytes + protNFe bytes as SEFAZ sent them.
      const path =
        doc.mod === '57'
          ? writeFiscalFile(procCTePath(this.opts.outDir, doc.chave), cteProc(doc.signedXml, prot.raw))
          : writeFiscalFile(procNFePath(this.opts.outDir, doc.chave), nfeProc(doc.signedXml, prot.raw));
      await this.finish(doc, c, { cStat: prot.cStat, xMotivo: prot.xMotivo, nProt: prot.nProt ?? null, dhRecbto: prot.dhRecbto ?? null, procPath: path });
    } else if (c === 'duplicate') {
      // 204: this very chave is already at SEFAZ (an earlier send went through): fetch its protocol.
      this.update(doc.chave, { state: 'unknown', nextAttemptAt: this.nowMs(), cStat: prot.cStat, xMotivo: prot.xMotivo });
    } else if (c === 'numberTaken') {
      await this.finish(doc, 'conflict', { cStat: prot.cStat, xMotivo: prot.xMotivo });
    } else if (c === 'serviceStopped' || c === 'throttled') {
      this.later(doc, 'queued', { cStat: prot.cStat, xMotivo: prot.xMotivo });
    } else {
      await this.finish(doc, 'rejected', { cStat: prot.cStat, xMotivo: prot.xMotivo });
    }
  }

  private async finish(doc: OutboxDocument, state: OutboxState, set: Partial<OutboxDocument>): Promise<void> {
    const done = this.update(doc.chave, { ...set, state, lastError: null, ambiguousUntil: null, leaseOwner: null });
    // Durable outcome; a crash before the hooks below is resumed from the finalize journal.
    crashPoint('outbox.final');
    const hooks = this.opts.hooks;
    if (state === 'authorized') await hooks?.onAuthorized?.(done);
    else if (state === 'denied') await hooks?.onDenied?.(done);
    else if (state === 'rejected' || state === 'conflict') await hooks?.onRejected?.(done);
    else if (state === 'cancelled') await hooks?.onCancelled?.(done);
  }
}
