import { existsSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { isoWithOffset, systemClock, type Clock } from '../clock';
import type { AppError } from '../errors';
import { TP_EVENTO } from '../fiscal/events';
import { INUT_MAX_RANGE, checkInutRange, inutId } from '../fiscal/inutilizacao';
import type { Store } from '../store/open';
import { sefazDocuments, sefazEvents, sefazInutilizacoes } from '../store/schema/sefaz';
import type { EventResult, SefazClient } from './client';
import { SefazErrors, sefazError } from './errors';
import { procEventoPath, procInutPath, writeFiscalFile } from './files';
import { procEventoNFe, type ProcEvento, type RetConsSitNFe } from './messages';
import { textOf } from './xml';

export interface EventsOptions {
  store: Store;
  client: SefazClient;
  outDir: string;
  clock?: Clock;
  /** Emitente CNPJ (author of the events). */
  cnpj: string;
  /** Waits used when SEFAZ is down or a reply is lost (events are sent while the user waits). */
  retry?: { attempts?: number; delayMs?: number; settleMs?: number };
  hooks?: {
    onCancelled?(chave: string, nProt: string): void | Promise<void>;
    /** The LAN server's gap report marks these numbers inutilizados. */
    onInutilizada?(r: { serie: number; nNFIni: number; nNFFin: number; nProt: string }): void | Promise<void>;
  };
}

export interface RegisteredEvent {
  chave: string;
  tpEvento: string;
  nSeqEvento: number;
  cStat: string;
  xMotivo: string;
  nProt: string;
  procPath: string;
  xCorrecao?: string;
}

export interface InutilizacaoResult {
  id: string;
  cStat: string;
  xMotivo: string;
  nProt?: string;
  procPath?: string;
}

/** SEFAZ's own record of an event (its evento and retEvento), as the consulta returned it. */
function registeredBySefaz(found: ProcEvento): EventResult {
  return { signedEvento: found.eventoRaw, ret: found.ret, procXml: procEventoNFe(found.eventoRaw, found.ret.raw) };
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

function rejected(what: string, cStat: string, xMotivo: string): AppError {
  return sefazError(SefazErrors.SEFAZ_REJECTED, `${what} rejeitado pela SEFAZ: ${cStat} - ${xMotivo}`);
}

/**
 * Cancelamento, carta de correção and inutilização, sent while the user waits. A lost
 * reply is resolved by consulting the NF-e (its procEventoNFe list) before resending the
 * same signed bytes, so an event is never registered twice under different sequences.
 */
export class SefazFiscalEvents {
  private readonly clock: Clock;
  private readonly attempts: number;
  private readonly delayMs: number;
  private readonly settleMs: number;

  constructor(private readonly opts: EventsOptions) {
    this.clock = opts.clock ?? systemClock;
    this.attempts = opts.retry?.attempts ?? 5;
    this.delayMs = opts.retry?.delayMs ?? 5_000;
    this.settleMs = opts.retry?.settleMs ?? 30_000;
  }

  private findRegistered(c: RetConsSitNFe, tpEvento: string, nSeq: number): ProcEvento | undefined {
    return c.events.find((e) => e.ret.tpEvento === tpEvento && Number(e.ret.nSeqEvento) === nSeq && ['135', '136', '155'].includes(e.ret.cStat));
  }

  private async consult(chave: string): Promise<RetConsSitNFe> {
    let last: unknown;
    for (let i = 0; i < this.attempts; i++) {
      try {
        const c = await this.opts.client.consult(chave);
        if (c.cStat !== '108' && c.cStat !== '109' && c.cStat !== '656') return c;
        last = sefazError(SefazErrors.SEFAZ_UNREACHABLE, `SEFAZ indisponível: ${c.cStat} - ${c.xMotivo}`);
      } catch (err) {
        last = err;
      }
      await sleep(this.delayMs);
    }
    throw last;
  }

  private async sendWithRecovery(signed: string, chave: string, tpEvento: string, nSeq: number): Promise<EventResult> {
    let last: unknown;
    for (let i = 0; i < this.attempts; i++) {
      let res: EventResult;
      try {
        res = await this.opts.client.sendEvento(signed, chave);
      } catch (err) {
        last = err;
        if ((err as AppError).code === SefazErrors.SEFAZ_NO_REPLY) {
          await sleep(this.settleMs);
          const found = this.findRegistered(await this.consult(chave), tpEvento, nSeq);
          if (found) return registeredBySefaz(found);
        } else await sleep(this.delayMs);
        continue;
      }
      const cStat = res.ret.cStat;
      if (cStat === '108' || cStat === '109' || cStat === '656') {
        last = sefazError(SefazErrors.SEFAZ_UNREACHABLE, `SEFAZ indisponível: ${cStat} - ${res.ret.xMotivo}`);
        await sleep(this.delayMs);
        continue;
      }
      if (cStat === '573' || (cStat === '218' && tpEvento === TP_EVENTO.cancelamento)) {
        // Already registered (an earlier send, maybe from another station, went through): take
        // SEFAZ's record of it — its own evento, never the one just signed (another dhEvento).
        const found = this.findRegistered(await this.consult(chave), tpEvento, nSeq);
        if (found) return registeredBySefaz(found);
      }
      return res;
    }
    throw last ?? sefazError(SefazErrors.SEFAZ_UNREACHABLE, 'SEFAZ indisponível; tente novamente mais tarde.');
  }

  /** The event this workstation already holds as registered (row and file), if any. */
  stored(chave: string, tpEvento: string, nSeq: number): RegisteredEvent | undefined {
    const row = this.opts.store.db
      .select()
      .from(sefazEvents)
      .where(and(eq(sefazEvents.chave, chave), eq(sefazEvents.tpEvento, tpEvento), eq(sefazEvents.nSeqEvento, nSeq)))
      .get();
    if (!row || row.state !== 'registered' || !row.procPath || !existsSync(row.procPath)) return undefined;
    return { chave, tpEvento, nSeqEvento: nSeq, cStat: row.cStat ?? '135', xMotivo: row.xMotivo ?? '', nProt: row.nProt ?? '', procPath: row.procPath, ...(row.xCorrecao ? { xCorrecao: row.xCorrecao } : {}) };
  }

  private save(_signed: string, r: EventResult, tpEvento: string, nSeq: number, chave: string, xCorrecao?: string): RegisteredEvent {
    const signed = r.signedEvento;
    // Stored event files are write-once: a registered event is never rewritten (issue #22, item 30).
    const target = procEventoPath(this.opts.outDir, chave, tpEvento, nSeq);
    const procPath = existsSync(target) ? target : writeFiscalFile(target, r.procXml!);
    const now = isoWithOffset(this.clock.now());
    const row = {
      chave,
      tpEvento,
      nSeqEvento: nSeq,
      state: 'registered',
      signedXml: signed,
      xCorrecao: xCorrecao ?? null,
      cStat: r.ret.cStat,
      xMotivo: r.ret.xMotivo,
      nProt: r.ret.nProt ?? null,
      procPath,
      createdAt: now,
      updatedAt: now,
    };
    this.opts.store.db.insert(sefazEvents).values(row).onConflictDoUpdate({ target: [sefazEvents.chave, sefazEvents.tpEvento, sefazEvents.nSeqEvento], set: row }).run();
    return { chave, tpEvento, nSeqEvento: nSeq, cStat: r.ret.cStat, xMotivo: r.ret.xMotivo, nProt: r.ret.nProt ?? '', procPath, ...(xCorrecao ? { xCorrecao } : {}) };
  }

  /**
   * Signs the cancelamento of an authorized NF-e. nProt and the authorization time come from
   * the outbox, or from SEFAZ itself when this workstation did not send the document.
   */
  async signCancel(chave: string, xJust: string, known?: { nProt: string; dhRecbto: string }): Promise<string> {
    const doc = this.opts.store.db.select().from(sefazDocuments).where(eq(sefazDocuments.chave, chave)).get();
    let nProt = known?.nProt ?? doc?.nProt ?? undefined;
    let dhRecbto = known?.dhRecbto ?? doc?.dhRecbto ?? undefined;
    if (!nProt || !dhRecbto) {
      const c = await this.consult(chave);
      if (c.cStat === '217') throw sefazError(SefazErrors.SEFAZ_DOCUMENT_NOT_FOUND, `A NF-e ${chave} não consta na SEFAZ.`);
      if (!c.prot?.nProt || c.prot.cStat !== '100' && c.prot.cStat !== '150') throw rejected('Cancelamento', c.cStat, c.xMotivo);
      nProt = c.prot.nProt;
      dhRecbto = c.prot.dhRecbto ?? '';
    }
    return this.opts.client.signCancel({ chave, cnpj: this.opts.cnpj, nProt, xJust, authorizedAt: dhRecbto });
  }

  /**
   * Sends a signed cancelamento or CC-e (the same bytes on every resume) and stores what
   * SEFAZ registered: the procEventoNFe file (write-once) and its row. Already stored: returns
   * it without sending. `onReply` runs when SEFAZ's answer is in hand, before anything is stored.
   */
  async sendSigned(signed: string, chave: string, tpEvento: string, nSeq: number, o: { xCorrecao?: string; onReply?: () => void } = {}): Promise<RegisteredEvent> {
    const prior = this.stored(chave, tpEvento, nSeq);
    if (prior) return prior;
    const what = tpEvento === TP_EVENTO.cancelamento ? 'Cancelamento' : 'Carta de correção';
    const r = await this.sendWithRecovery(signed, chave, tpEvento, nSeq);
    o.onReply?.();
    if (!r.procXml) throw rejected(what, r.ret.cStat, r.ret.xMotivo);
    const saved = this.save(signed, r, tpEvento, nSeq, chave, o.xCorrecao);
    if (tpEvento === TP_EVENTO.cancelamento) {
      this.opts.store.db.update(sefazDocuments).set({ state: 'cancelled', cStat: r.ret.cStat, xMotivo: r.ret.xMotivo, updatedAt: isoWithOffset(this.clock.now()) }).where(eq(sefazDocuments.chave, chave)).run();
      await this.opts.hooks?.onCancelled?.(chave, saved.nProt);
    }
    return saved;
  }

  /** Cancels an authorized NF-e (sign, send, store). A repeated request returns what was registered. */
  async cancel(chave: string, xJust: string, known?: { nProt: string; dhRecbto: string }): Promise<RegisteredEvent> {
    const prior = this.stored(chave, TP_EVENTO.cancelamento, 1);
    if (prior) return prior;
    return this.sendSigned(await this.signCancel(chave, xJust, known), chave, TP_EVENTO.cancelamento, 1);
  }

  /**
   * Signs a carta de correção: SEFAZ's list of events decides the next sequence and the text
   * to repeat (the latest CC-e replaces all earlier ones).
   */
  async signCce(chave: string, text: string): Promise<{ signed: string; nSeq: number; xCorrecao: string }> {
    const c = await this.consult(chave);
    if (c.cStat === '217') throw sefazError(SefazErrors.SEFAZ_DOCUMENT_NOT_FOUND, `A NF-e ${chave} não consta na SEFAZ.`);
    if (c.cStat !== '100' && c.cStat !== '150') throw sefazError(SefazErrors.SEFAZ_REJECTED, `Carta de correção só vale para NF-e autorizada; situação na SEFAZ: ${c.cStat} - ${c.xMotivo}`);
    const cces = c.events.filter((e) => e.ret.tpEvento === TP_EVENTO.cartaCorrecao).sort((a, b) => Number(a.ret.nSeqEvento) - Number(b.ret.nSeqEvento));
    const last = cces[cces.length - 1];
    const nSeq = (last ? Number(last.ret.nSeqEvento) : 0) + 1;
    if (nSeq > 20) throw sefazError(SefazErrors.SEFAZ_REJECTED, 'Limite de 20 cartas de correção para esta NF-e atingido.');
    const previous = last ? textOf(last.eventoRaw, 'xCorrecao') : undefined;
    const { signed, xCorrecao } = this.opts.client.signCce({ chave, cnpj: this.opts.cnpj, nSeqEvento: nSeq, text, ...(previous ? { previous } : {}) });
    return { signed, nSeq, xCorrecao };
  }

  /** Carta de correção (sign, send, store). */
  async cce(chave: string, text: string): Promise<RegisteredEvent> {
    const s = await this.signCce(chave, text);
    return this.sendSigned(s.signed, chave, TP_EVENTO.cartaCorrecao, s.nSeq, { xCorrecao: s.xCorrecao });
  }

  /** Signs the inutilização of a range never authorized; refuses numbers this workstation sent. */
  signInutilizacao(p: { serie: number; nNFIni: number; nNFFin: number; xJust: string; ano?: string; mod?: '55' }): { id: string; ano: string; signed: string } {
    checkInutRange(p.serie, p.nNFIni, p.nNFFin);
    const mod = p.mod ?? '55';
    const used = this.opts.store.db
      .select()
      .from(sefazDocuments)
      .where(and(eq(sefazDocuments.cnpj, this.opts.cnpj), eq(sefazDocuments.mod, mod), eq(sefazDocuments.serie, p.serie)))
      .all()
      .find((d) => d.nNF >= p.nNFIni && d.nNF <= p.nNFFin && !['rejected', 'superseded'].includes(d.state));
    if (used) {
      throw sefazError(SefazErrors.SEFAZ_INVALID_REQUEST, `O número ${used.nNF} da faixa foi transmitido (${used.chave}); só números nunca autorizados podem ser inutilizados.`);
    }
    const ano = p.ano ?? String(this.clock.now().getFullYear() % 100).padStart(2, '0');
    const signed = this.opts.client.signInutilizacao({ ano, cnpj: this.opts.cnpj, mod, serie: p.serie, nNFIni: p.nNFIni, nNFFin: p.nNFFin, xJust: p.xJust });
    const id = inutId({ cUF: this.opts.client.cUF, ano, cnpj: this.opts.cnpj, mod, serie: p.serie, nNFIni: p.nNFIni, nNFFin: p.nNFFin });
    return { id, ano, signed };
  }

  /** The inutilização this workstation already stored, if any. */
  storedInutilizacao(id: string): (InutilizacaoResult & { state: string }) | undefined {
    const row = this.opts.store.db.select().from(sefazInutilizacoes).where(eq(sefazInutilizacoes.id, id)).get();
    if (!row || row.state === 'rejected') return undefined;
    if (row.state === 'inutilizada' && !(row.procPath && existsSync(row.procPath))) return undefined;
    return { id, state: row.state, cStat: row.cStat ?? '', xMotivo: row.xMotivo ?? '', ...(row.nProt ? { nProt: row.nProt } : {}), ...(row.procPath ? { procPath: row.procPath } : {}) };
  }

  /**
   * Sends a signed inutilização (the same bytes on every resume) and stores SEFAZ's answer
   * with its procInutNFe (write-once). `resumed`: an earlier process may have sent it; a 256
   * then means that request went through, but SEFAZ gives no protocol for it again (there is
   * no consulta of inutilizações): stored as 'sem_protocolo', never as inutilizada.
   */
  async sendInutilizacao(
    s: { id: string; signed: string },
    p: { serie: number; nNFIni: number; nNFFin: number; mod?: '55' },
    o: { resumed?: boolean; onReply?: () => void } = {},
  ): Promise<InutilizacaoResult & { state: string }> {
    const prior = this.storedInutilizacao(s.id);
    if (prior) return prior;
    const mod = p.mod ?? '55';
    let last: unknown;
    for (let i = 0; i < this.attempts; i++) {
      let r;
      try {
        r = await this.opts.client.sendInutilizacao(s.signed);
      } catch (err) {
        last = err;
        await sleep((err as AppError).code === SefazErrors.SEFAZ_NO_REPLY ? this.settleMs : this.delayMs);
        continue;
      }
      if (r.ret.cStat === '108' || r.ret.cStat === '109' || r.ret.cStat === '656') {
        last = sefazError(SefazErrors.SEFAZ_UNREACHABLE, `SEFAZ indisponível: ${r.ret.cStat} - ${r.ret.xMotivo}`);
        await sleep(this.delayMs);
        continue;
      }
      o.onReply?.();
      // 256 after a lost reply: our own earlier request went through (same range, same signed bytes).
      const earlier = r.ret.cStat === '256' && (i > 0 || o.resumed === true);
      const state = r.ret.cStat === '102' && r.procXml ? 'inutilizada' : earlier ? 'sem_protocolo' : 'rejected';
      const target = procInutPath(this.opts.outDir, s.id);
      const procPath = state === 'inutilizada' ? (existsSync(target) ? target : writeFiscalFile(target, r.procXml!)) : undefined;
      const fields = { state, cStat: r.ret.cStat, xMotivo: r.ret.xMotivo, nProt: r.ret.nProt ?? null, procPath: procPath ?? null };
      this.opts.store.db
        .insert(sefazInutilizacoes)
        .values({ id: s.id, cnpj: this.opts.cnpj, mod, serie: p.serie, nNFIni: p.nNFIni, nNFFin: p.nNFFin, signedXml: s.signed, createdAt: isoWithOffset(this.clock.now()), ...fields })
        .onConflictDoUpdate({ target: sefazInutilizacoes.id, set: fields })
        .run();
      if (state === 'rejected') throw rejected('Inutilização', r.ret.cStat, r.ret.xMotivo);
      if (state === 'inutilizada') await this.opts.hooks?.onInutilizada?.({ serie: p.serie, nNFIni: p.nNFIni, nNFFin: p.nNFFin, nProt: r.ret.nProt ?? '' });
      return { id: s.id, state, cStat: r.ret.cStat, xMotivo: r.ret.xMotivo, ...(r.ret.nProt ? { nProt: r.ret.nProt } : {}), ...(procPath ? { procPath } : {}) };
    }
    throw last;
  }

  /** Inutiliza a range never authorized (sign, send, store); refuses numbers this workstation sent. */
  async inutilizar(p: { serie: number; nNFIni: number; nNFFin: number; xJust: string; ano?: string; mod?: '55' }): Promise<InutilizacaoResult> {
    const s = this.signInutilizacao(p);
    return this.sendInutilizacao(s, p);
  }
}

export { INUT_MAX_RANGE };
