import { and, desc, eq } from 'drizzle-orm';
import { isoWithOffset, systemClock, type Clock } from '../clock';
import type { AppError } from '../errors';
import type { InfCorrecao } from '../fiscal/cte/events';
import type { Store } from '../store/open';
import { sefazEvents } from '../store/schema/sefaz';
import type { CteSefazClient } from './cte-client';
import { procEventoCTe } from './cte-messages';
import { SefazErrors, sefazError } from './errors';
import { procEventoCTePath, writeFiscalFile } from './files';
import type { RegisteredEvent } from './fiscal-events';
import type { RetEvento } from './messages';
import { findElement, textOf } from './xml';

export interface CteEventsOptions {
  store: Store;
  client: Pick<CteSefazClient, 'sendEvento' | 'consult'>;
  outDir: string;
  clock?: Clock;
  retry?: { attempts?: number; delayMs?: number };
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
const REGISTERED = ['135', '136'];

/**
 * CT-e events sent while the user waits. The signed bytes are stored before the first
 * request and never re-signed; a lost reply is resolved by consulting the CT-e (its
 * procEventoCTe list) before the same bytes go again, and a 573 answer fetches what SEFAZ
 * registered. Each registered event is written as `<chave>-<tp>-<seq>-procEventoCTe.xml`.
 */
export class CteFiscalEvents {
  private readonly clock: Clock;
  private readonly attempts: number;
  private readonly delayMs: number;

  constructor(private readonly opts: CteEventsOptions) {
    this.clock = opts.clock ?? systemClock;
    this.attempts = opts.retry?.attempts ?? 4;
    this.delayMs = opts.retry?.delayMs ?? 3_000;
  }

  /** Next nSeqEvento for a type (CC-e and comprovantes repeat; cancel is always 1). */
  nextSeq(chave: string, tpEvento: string): number {
    const last = this.opts.store.db
      .select({ n: sefazEvents.nSeqEvento })
      .from(sefazEvents)
      .where(and(eq(sefazEvents.chave, chave), eq(sefazEvents.tpEvento, tpEvento)))
      .orderBy(desc(sefazEvents.nSeqEvento))
      .limit(1)
      .get();
    return (last?.n ?? 0) + 1;
  }

  /** The corrections of the last registered CC-e (each new CC-e repeats them). */
  lastCorrections(chave: string): InfCorrecao[] {
    const row = this.opts.store.db
      .select({ x: sefazEvents.xCorrecao })
      .from(sefazEvents)
      .where(and(eq(sefazEvents.chave, chave), eq(sefazEvents.tpEvento, '110110'), eq(sefazEvents.state, 'registered')))
      .orderBy(desc(sefazEvents.nSeqEvento))
      .limit(1)
      .get();
    return row?.x ? (JSON.parse(row.x) as InfCorrecao[]) : [];
  }

  /** Registered events of a CT-e, for the document detail and the cancel/desacordo checks. */
  registered(chave: string) {
    return this.opts.store.db
      .select()
      .from(sefazEvents)
      .where(and(eq(sefazEvents.chave, chave), eq(sefazEvents.state, 'registered')))
      // Protocol numbers grow with registration time at SEFAZ.
      .orderBy(sefazEvents.nProt)
      .all();
  }

  private iso(): string {
    return isoWithOffset(this.clock.now());
  }

  private record(chave: string, tpEvento: string, nSeq: number, signedXml: string, extra?: string): string {
    const now = this.iso();
    const existing = this.opts.store.db
      .select()
      .from(sefazEvents)
      .where(and(eq(sefazEvents.chave, chave), eq(sefazEvents.tpEvento, tpEvento), eq(sefazEvents.nSeqEvento, nSeq)))
      .get();
    if (existing && existing.state !== 'rejected') return existing.signedXml;
    if (existing) {
      // A refused event registered nothing: its sequence is free for the corrected one.
      this.opts.store.db
        .update(sefazEvents)
        .set({ state: 'pending', signedXml, xCorrecao: extra ?? null, cStat: null, xMotivo: null, updatedAt: now })
        .where(and(eq(sefazEvents.chave, chave), eq(sefazEvents.tpEvento, tpEvento), eq(sefazEvents.nSeqEvento, nSeq)))
        .run();
      return signedXml;
    }
    this.opts.store.db.insert(sefazEvents).values({ chave, tpEvento, nSeqEvento: nSeq, state: 'pending', signedXml, xCorrecao: extra ?? null, createdAt: now, updatedAt: now }).run();
    return signedXml;
  }

  private registeredRow(chave: string, tpEvento: string, nSeq: number, signed: string, ret: RetEvento): RegisteredEvent {
    const procPath = writeFiscalFile(procEventoCTePath(this.opts.outDir, chave, tpEvento, nSeq), procEventoCTe(signed, ret.raw));
    this.opts.store.db
      .update(sefazEvents)
      .set({ state: 'registered', cStat: ret.cStat, xMotivo: ret.xMotivo, nProt: ret.nProt ?? null, procPath, updatedAt: this.iso() })
      .where(and(eq(sefazEvents.chave, chave), eq(sefazEvents.tpEvento, tpEvento), eq(sefazEvents.nSeqEvento, nSeq)))
      .run();
    return { chave, tpEvento, nSeqEvento: nSeq, cStat: ret.cStat, xMotivo: ret.xMotivo, nProt: ret.nProt ?? '', procPath };
  }

  private async fromConsult(chave: string, tpEvento: string, nSeq: number): Promise<RetEvento | undefined> {
    const c = await this.opts.client.consult(chave);
    return c.events.find((e) => e.ret.tpEvento === tpEvento && Number(e.ret.nSeqEvento) === nSeq && REGISTERED.includes(e.ret.cStat))?.ret;
  }

  /**
   * Sends a signed eventoCTe (`extra`: the CC-e corrections as JSON, kept for the next CC-e).
   * Idempotent: an event already registered is returned as it is.
   */
  async send(signedEvento: string, extra?: string): Promise<RegisteredEvent> {
    const inf = findElement(signedEvento, 'infEvento')?.inner ?? '';
    const chave = textOf(inf, 'chCTe') ?? '';
    const tpEvento = textOf(inf, 'tpEvento') ?? '';
    const nSeq = Number(textOf(inf, 'nSeqEvento'));
    const signed = this.record(chave, tpEvento, nSeq, signedEvento, extra);
    const done = this.registered(chave).find((r) => r.tpEvento === tpEvento && r.nSeqEvento === nSeq);
    if (done) return { chave, tpEvento, nSeqEvento: nSeq, cStat: done.cStat ?? '135', xMotivo: done.xMotivo ?? '', nProt: done.nProt ?? '', procPath: done.procPath ?? '' };
    let mayHaveArrived = false;
    for (let attempt = 1; ; attempt++) {
      try {
        if (mayHaveArrived) {
          const found = await this.fromConsult(chave, tpEvento, nSeq);
          if (found) return this.registeredRow(chave, tpEvento, nSeq, signed, found);
        }
        const r = await this.opts.client.sendEvento(signed, chave);
        if (REGISTERED.includes(r.ret.cStat)) return this.registeredRow(chave, tpEvento, nSeq, signed, r.ret);
        if (r.ret.cStat === '573') {
          const found = await this.fromConsult(chave, tpEvento, nSeq);
          if (found) return this.registeredRow(chave, tpEvento, nSeq, signed, found);
        }
        if (['108', '109', '656'].includes(r.ret.cStat) && attempt < this.attempts) {
          await sleep(this.delayMs);
          continue;
        }
        this.opts.store.db
          .update(sefazEvents)
          .set({ state: 'rejected', cStat: r.ret.cStat, xMotivo: r.ret.xMotivo, updatedAt: this.iso() })
          .where(and(eq(sefazEvents.chave, chave), eq(sefazEvents.tpEvento, tpEvento), eq(sefazEvents.nSeqEvento, nSeq)))
          .run();
        throw sefazError(SefazErrors.SEFAZ_REJECTED, `Evento ${tpEvento} rejeitado pela SEFAZ: ${r.ret.cStat} - ${r.ret.xMotivo}`, { field: 'chave' });
      } catch (err) {
        const code = (err as AppError).code;
        if (code === SefazErrors.SEFAZ_REJECTED || attempt >= this.attempts) throw err;
        if (code === SefazErrors.SEFAZ_NO_REPLY) mayHaveArrived = true;
        else if (code !== SefazErrors.SEFAZ_UNREACHABLE && code !== SefazErrors.SEFAZ_TLS) throw err;
        await sleep(this.delayMs);
      }
    }
  }
}
