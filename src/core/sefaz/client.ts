import { isoWithOffset, systemClock, type Clock } from '../clock';
import { buildCancelamento, buildCartaCorrecao, cumulativeCorrection } from '../fiscal/events';
import { buildInutilizacao, type InutilizacaoInput } from '../fiscal/inutilizacao';
import { signXml, type SigningMaterial } from '../fiscal/sign';
import { endpointUrl, UF_CODES, type Emission, type SefazEnvironment, type Uf } from './endpoints';
import { SefazErrors, sefazError } from './errors';
import {
  consReciNFe,
  consSitNFe,
  consStatServ,
  envEvento,
  enviNFe,
  procEventoNFe,
  procInutNFe,
  readRetConsReciNFe,
  readRetConsSitNFe,
  readRetConsStatServ,
  readRetEnvEvento,
  readRetEnviNFe,
  readRetInutNFe,
  type RetConsReciNFe,
  type RetConsSitNFe,
  type RetEnvEvento,
  type RetEnviNFe,
  type RetEvento,
  type RetInutNFe,
  type StatusReply,
  type TpAmb,
} from './messages';
import type { CteServiceKey } from './cte-messages';
import { NfeServices, type NfeServiceKey } from './soap';
import { SoapTransport, type TlsIdentity } from './transport';
import { logger } from '../log/index';

const sefazLog = logger('sefaz');

/** One exchange with SEFAZ, kept per document for the status screen. */
export interface SefazMessage {
  /** NF-e service key, or a CT-e one (recepcaoSinc, consulta…). */
  service: NfeServiceKey | CteServiceKey;
  chave?: string;
  at: string;
  elapsedMs: number;
  outcome: 'reply' | 'unreachable' | 'no-reply' | 'tls' | 'error';
  cStat?: string;
  xMotivo?: string;
  nProt?: string;
  error?: string;
}

export interface SefazClientOptions {
  env: SefazEnvironment;
  uf: Uf;
  emission?: Emission;
  simulatorUrl?: string;
  /** The A1 certificate: TLS client identity and signer of events and inutilizações. */
  certificate: TlsIdentity & SigningMaterial;
  trustedCaPems: string[];
  timeoutMs?: number;
  clock?: Clock;
  onMessage?: (m: SefazMessage) => void;
}

const CANCEL_DEADLINE_MS = 24 * 3_600_000;

export interface EventResult {
  /** The signed evento as sent (the record). */
  signedEvento: string;
  ret: RetEvento;
  /** procEventoNFe (evento + retEvento bytes) when SEFAZ registered the event. */
  procXml?: string;
}

export interface InutResult {
  signedInut: string;
  ret: RetInutNFe;
  procXml?: string;
}

/**
 * SOAP client of the NF-e 4.00 services for one UF and environment. Single calls only:
 * the retry, backoff and "consult by chave after a lost reply" policy lives in the outbox
 * (outbox.ts), which persists every step. All methods throw AppError with SEFAZ_* codes on
 * transport failures; business outcomes come back as cStat.
 */
export class SefazClient {
  readonly tpAmb: TpAmb;
  readonly cUF: string;
  private readonly transport: SoapTransport;
  private readonly clock: Clock;
  private lote = 0;

  constructor(private readonly opts: SefazClientOptions) {
    this.tpAmb = opts.env === 'producao' ? '1' : '2';
    this.cUF = UF_CODES[opts.uf];
    this.clock = opts.clock ?? systemClock;
    this.transport = new SoapTransport({ identity: opts.certificate, trustedCaPems: opts.trustedCaPems, timeoutMs: opts.timeoutMs ?? 30_000 });
  }

  private url(service: NfeServiceKey, target: 'uf' | 'an' = 'uf'): string {
    return endpointUrl({ env: this.opts.env, uf: this.opts.uf, emission: this.opts.emission ?? 'normal', ...(this.opts.simulatorUrl ? { simulatorUrl: this.opts.simulatorUrl } : {}) }, service, target);
  }

  /** idLote: unique per workstation run; SEFAZ only echoes it. */
  private nextLote(): string {
    this.lote = (this.lote + 1) % 1000;
    return `${this.clock.now().getTime()}${String(this.lote).padStart(3, '0')}`.slice(-15);
  }

  /** One log line per exchange (the station's support trail), then the per-document record. */
  private report(m: SefazMessage): void {
    const fields = { uf: this.opts.uf, env: this.opts.env, ...m };
    if (m.outcome === 'reply') sefazLog.info(`SEFAZ ${m.service}: ${m.cStat}`, fields);
    else sefazLog.warn(`SEFAZ ${m.service}: ${m.outcome}`, fields);
    this.opts.onMessage?.(m);
  }

  private async call<T extends { cStat: string; xMotivo: string }>(
    service: NfeServiceKey,
    body: string,
    read: (payload: string) => T,
    chave?: string,
    nProtOf?: (r: T) => string | undefined,
    target: 'uf' | 'an' = 'uf',
  ): Promise<T> {
    const at = isoWithOffset(this.clock.now());
    const started = this.clock.monotonicMs();
    try {
      const reply = await this.transport.call(this.url(service, target), NfeServices[service], body);
      const r = read(reply.payload);
      const nProt = nProtOf?.(r);
      this.report({ service, at, elapsedMs: Math.round(this.clock.monotonicMs() - started), outcome: 'reply', cStat: r.cStat, xMotivo: r.xMotivo, ...(chave ? { chave } : {}), ...(nProt ? { nProt } : {}) });
      return r;
    } catch (err) {
      const code = (err as { code?: string }).code;
      const outcome =
        code === SefazErrors.SEFAZ_UNREACHABLE ? 'unreachable' : code === SefazErrors.SEFAZ_NO_REPLY ? 'no-reply' : code === SefazErrors.SEFAZ_TLS ? 'tls' : 'error';
      this.report({ service, at, elapsedMs: Math.round(this.clock.monotonicMs() - started), outcome, error: (err as Error).message, ...(chave ? { chave } : {}) });
      throw err;
    }
  }

  status(): Promise<StatusReply> {
    return this.call('statusServico', consStatServ(this.tpAmb, this.cUF), readRetConsStatServ);
  }

  consult(chave: string): Promise<RetConsSitNFe> {
    return this.call('consultaProtocolo', consSitNFe(this.tpAmb, chave), readRetConsSitNFe, chave, (r) => r.prot?.nProt);
  }

  /** One lote with one signed NF-e; sync asks for the protocol in the reply (indSinc=1). */
  sendNFe(signedNFe: string, chave: string, sync: boolean): Promise<RetEnviNFe> {
    return this.call('autorizacao', enviNFe(this.nextLote(), sync ? '1' : '0', [signedNFe]), readRetEnviNFe, chave, (r) => r.prot?.nProt);
  }

  retAutorizacao(nRec: string, chave?: string): Promise<RetConsReciNFe> {
    return this.call('retAutorizacao', consReciNFe(this.tpAmb, nRec), readRetConsReciNFe, chave, (r) => r.prots[0]?.nProt);
  }

  private now(): string {
    return isoWithOffset(this.clock.now());
  }

  /** Sends one signed evento; resending the same bytes is safe (SEFAZ answers 573 if it is already registered). */
  async sendEvento(signedEvento: string, chave: string): Promise<EventResult> {
    const r: RetEnvEvento = await this.call('recepcaoEvento', envEvento(this.nextLote(), [signedEvento]), readRetEnvEvento, chave, (x) => x.retEventos[0]?.nProt);
    const ret = r.retEventos[0];
    if (!ret) {
      // Lote-level refusal (schema 215, 108/109, 656): no per-event result.
      return { signedEvento, ret: { raw: '', cStat: r.cStat, xMotivo: r.xMotivo } };
    }
    const registered = ret.cStat === '135' || ret.cStat === '136' || ret.cStat === '155';
    return { signedEvento, ret, ...(registered ? { procXml: procEventoNFe(signedEvento, ret.raw) } : {}) };
  }

  /**
   * EPEC (110140) to the Ambiente Nacional. 136 = registered (the DANFE travels with the EPEC
   * marks); a repeated request answers 573 and registers nothing new.
   */
  async sendEpec(signedEvento: string, chave: string): Promise<EventResult> {
    const r: RetEnvEvento = await this.call('recepcaoEvento', envEvento(this.nextLote(), [signedEvento]), readRetEnvEvento, chave, (x) => x.retEventos[0]?.nProt, 'an');
    const ret = r.retEventos[0];
    if (!ret) return { signedEvento, ret: { raw: '', cStat: r.cStat, xMotivo: r.xMotivo } };
    return { signedEvento, ret, ...(ret.cStat === '136' || ret.cStat === '135' ? { procXml: procEventoNFe(signedEvento, ret.raw) } : {}) };
  }

  /** Listeners of every exchange (the outbox logs them per document). */
  addMessageListener(fn: (m: SefazMessage) => void): void {
    const prev = this.opts.onMessage;
    this.opts.onMessage = (m) => {
      prev?.(m);
      fn(m);
    };
  }

  /**
   * Cancelamento (110111). Refused before sending when the authorization is older than
   * 24 h (SEFAZ would reject with 501) or the justificativa is short.
   */
  signCancel(p: { chave: string; cnpj: string; nProt: string; xJust: string; authorizedAt: string | Date }): string {
    const authorized = new Date(p.authorizedAt);
    const age = this.clock.now().getTime() - authorized.getTime();
    if (Number.isFinite(age) && age > CANCEL_DEADLINE_MS) {
      const hours = Math.floor(age / 3_600_000);
      throw sefazError(
        SefazErrors.SEFAZ_CANCEL_DEADLINE,
        `Prazo de cancelamento esgotado: a NF-e foi autorizada em ${authorized.toLocaleString('pt-BR', { timeZone: 'America/Sao_Paulo' })} (há ${hours} horas) e o cancelamento só é aceito até 24 horas depois da autorização. Emita uma NF-e de entrada (devolução) ou procure a SEFAZ para o cancelamento extemporâneo.`,
        { field: 'chave' },
      );
    }
    const xml = buildCancelamento({ cOrgao: this.cUF, tpAmb: this.tpAmb, autor: p.cnpj, chNFe: p.chave, dhEvento: this.now(), nProt: p.nProt, xJust: p.xJust });
    return signXml(xml, 'infEvento', this.opts.certificate);
  }

  /** Carta de correção (110110): `previous` is the last registered xCorrecao, repeated in the new one. */
  signCce(p: { chave: string; cnpj: string; nSeqEvento: number; text: string; previous?: string }): { signed: string; xCorrecao: string } {
    const xCorrecao = cumulativeCorrection(p.previous, p.text);
    const xml = buildCartaCorrecao({ cOrgao: this.cUF, tpAmb: this.tpAmb, autor: p.cnpj, chNFe: p.chave, dhEvento: this.now(), nSeqEvento: p.nSeqEvento, xCorrecao });
    return { signed: signXml(xml, 'infEvento', this.opts.certificate), xCorrecao };
  }

  /** Inutilização of a range of numbers never authorized (≤ 10,000, justificativa 15–255). */
  signInutilizacao(p: Omit<InutilizacaoInput, 'tpAmb' | 'cUF'>): string {
    return signXml(buildInutilizacao({ ...p, tpAmb: this.tpAmb, cUF: this.cUF }), 'infInut', this.opts.certificate);
  }

  async sendInutilizacao(signedInut: string): Promise<InutResult> {
    const ret = await this.call('inutilizacao', signedInut, readRetInutNFe, undefined, (r) => r.nProt);
    return { signedInut, ret, ...(ret.cStat === '102' ? { procXml: procInutNFe(signedInut, ret.raw) } : {}) };
  }

  close(): void {
    this.transport.close();
  }
}

