import { isoWithOffset, systemClock, type Clock } from '../clock';
import {
  buildCancelamentoComprovante,
  buildComprovanteEntrega,
  buildCteCancelamento,
  buildCteCartaCorrecao,
  buildDesacordo,
  DESACORDO_DAYS,
  type ComprovanteEntrega,
  type InfCorrecao,
} from '../fiscal/cte/events';
import { signXml } from '../fiscal/sign';
import type { EventResult, SefazClientOptions, SefazMessage } from './client';
import { cteEndpointUrl } from './cte-endpoints';
import {
  buildCteSoapRequest,
  compressCte,
  consSitCTe,
  consStatServCTe,
  CteServices,
  cteWsdlNamespace,
  parseCteSoap,
  procEventoCTe,
  readRetConsSitCTe,
  readRetConsStatServCTe,
  readRetCTe,
  readRetEvento,
  type CteServiceKey,
} from './cte-messages';
import { UF_CODES } from './endpoints';
import { SefazErrors, sefazError } from './errors';
import type { RetConsSitNFe, RetEnviNFe, StatusReply, TpAmb } from './messages';
import { SoapTransport } from './transport';

const HOUR = 3_600_000;
/** Cancelamento within 24 h of the authorization (FISCAL.md). */
const CANCEL_DEADLINE_MS = 24 * HOUR;

/**
 * SOAP client of the CT-e 4.00 services for one UF and environment. Same shape as the NF-e
 * client where the outbox needs it (sendNFe/consult carry a CT-e here), so the one outbox
 * with consult-first recovery serves both models. Single calls only; retries live in the
 * outbox and in CteEvents.
 */
export class CteSefazClient {
  readonly tpAmb: TpAmb;
  readonly cUF: string;
  private readonly transport: SoapTransport;
  private readonly clock: Clock;

  constructor(private readonly opts: SefazClientOptions) {
    this.tpAmb = opts.env === 'producao' ? '1' : '2';
    this.cUF = UF_CODES[opts.uf];
    this.clock = opts.clock ?? systemClock;
    this.transport = new SoapTransport({ identity: opts.certificate, trustedCaPems: opts.trustedCaPems, timeoutMs: opts.timeoutMs ?? 30_000 });
  }

  private async call<T extends { cStat: string; xMotivo: string }>(service: CteServiceKey, body: string, read: (payload: string) => T, chave?: string, nProtOf?: (r: T) => string | undefined): Promise<T> {
    const at = isoWithOffset(this.clock.now());
    const started = this.clock.monotonicMs();
    const name = CteServices[service];
    const elapsed = () => Math.round(this.clock.monotonicMs() - started);
    try {
      const url = cteEndpointUrl({ env: this.opts.env, uf: this.opts.uf, svc: this.opts.emission === 'svc', ...(this.opts.simulatorUrl ? { simulatorUrl: this.opts.simulatorUrl } : {}) }, service);
      const raw = await this.transport.postEnvelope(url, cteWsdlNamespace(name), buildCteSoapRequest(name, body));
      const r = read(parseCteSoap(raw).payload);
      const nProt = nProtOf?.(r);
      this.opts.onMessage?.({ service, at, elapsedMs: elapsed(), outcome: 'reply', cStat: r.cStat, xMotivo: r.xMotivo, ...(chave ? { chave } : {}), ...(nProt ? { nProt } : {}) });
      return r;
    } catch (err) {
      const code = (err as { code?: string }).code;
      const outcome = code === SefazErrors.SEFAZ_UNREACHABLE ? 'unreachable' : code === SefazErrors.SEFAZ_NO_REPLY ? 'no-reply' : code === SefazErrors.SEFAZ_TLS ? 'tls' : 'error';
      this.opts.onMessage?.({ service, at, elapsedMs: elapsed(), outcome, error: (err as Error).message, ...(chave ? { chave } : {}) });
      throw err;
    }
  }

  status(): Promise<StatusReply> {
    return this.call('statusServico', consStatServCTe(this.tpAmb, this.cUF), readRetConsStatServCTe);
  }

  consult(chave: string): Promise<RetConsSitNFe> {
    return this.call('consulta', consSitCTe(this.tpAmb, chave), readRetConsSitCTe, chave, (r) => r.prot?.nProt);
  }

  /** CTeRecepcaoSincV4: the signed CTe, gzip + base64; the protocol comes in the reply. */
  sendCte(signedCte: string, chave: string): Promise<RetEnviNFe> {
    return this.call('recepcaoSinc', compressCte(signedCte), readRetCTe, chave, (r) => r.prot?.nProt);
  }

  /** The outbox's entry point: CT-e 4.00 is synchronous only, whatever `sync` says. */
  sendNFe(signedCte: string, chave: string, _sync: boolean): Promise<RetEnviNFe> {
    return this.sendCte(signedCte, chave);
  }

  retAutorizacao(): Promise<never> {
    return Promise.reject(sefazError(SefazErrors.SEFAZ_INVALID_REQUEST, 'O CT-e 4.00 não tem recepção assíncrona (recibo).'));
  }

  addMessageListener(fn: (m: SefazMessage) => void): void {
    const prev = this.opts.onMessage;
    this.opts.onMessage = (m) => {
      prev?.(m);
      fn(m);
    };
  }

  /** Sends one signed eventoCTe (no lote in CT-e); the same bytes again are answered 573 if registered. */
  async sendEvento(signedEvento: string, chave: string): Promise<EventResult> {
    const ret = await this.call('recepcaoEvento', signedEvento, readRetEvento, chave, (x) => x.nProt);
    return { signedEvento, ret, ...(ret.cStat === '135' || ret.cStat === '136' ? { procXml: procEventoCTe(signedEvento, ret.raw) } : {}) };
  }

  private now(): string {
    return isoWithOffset(this.clock.now());
  }

  private base(chave: string, autor: string, nSeqEvento = 1) {
    return { cOrgao: this.cUF, tpAmb: this.tpAmb, autor, chCTe: chave, dhEvento: this.now(), nSeqEvento };
  }

  private sign(xml: string): string {
    return signXml(xml, 'infEvento', this.opts.certificate);
  }

  /** 110111, refused here after 24 h (SEFAZ would answer 501). */
  signCancel(p: { chave: string; cnpj: string; nProt: string; xJust: string; authorizedAt: string | Date }): string {
    const age = this.clock.now().getTime() - new Date(p.authorizedAt).getTime();
    if (Number.isFinite(age) && age > CANCEL_DEADLINE_MS) {
      throw sefazError(
        SefazErrors.SEFAZ_CANCEL_DEADLINE,
        `Prazo de cancelamento esgotado: o CT-e foi autorizado há ${Math.floor(age / HOUR)} horas e o cancelamento só é aceito até 24 horas depois da autorização. Emita um CT-e de anulação ou substituição.`,
        { field: 'chave' },
      );
    }
    return this.sign(buildCteCancelamento({ ...this.base(p.chave, p.cnpj), nProt: p.nProt, xJust: p.xJust }));
  }

  /** 110110 with structured groups; `correcoes` already cumulative (see cumulativeCorrections). */
  signCce(p: { chave: string; cnpj: string; nSeqEvento: number; correcoes: InfCorrecao[] }): string {
    return this.sign(buildCteCartaCorrecao({ ...this.base(p.chave, p.cnpj, p.nSeqEvento), correcoes: p.correcoes }));
  }

  signComprovante(p: { chave: string; cnpj: string; nSeqEvento: number } & Omit<ComprovanteEntrega, 'dhHashEntrega'> & { dhHashEntrega?: string }): string {
    return this.sign(buildComprovanteEntrega({ ...this.base(p.chave, p.cnpj, p.nSeqEvento), ...p, dhHashEntrega: p.dhHashEntrega ?? this.now() }));
  }

  signCancelComprovante(p: { chave: string; cnpj: string; nSeqEvento: number; nProt: string; nProtCE: string }): string {
    return this.sign(buildCancelamentoComprovante({ ...this.base(p.chave, p.cnpj, p.nSeqEvento), nProt: p.nProt, nProtCE: p.nProtCE }));
  }

  /** 610110 by the tomador (its certificate signs), refused here after 45 days. */
  signDesacordo(p: { chave: string; tomador: string; nSeqEvento?: number; xObs: string; authorizedAt: string | Date }): string {
    const age = this.clock.now().getTime() - new Date(p.authorizedAt).getTime();
    if (Number.isFinite(age) && age > DESACORDO_DAYS * 24 * HOUR) {
      throw sefazError(SefazErrors.SEFAZ_CANCEL_DEADLINE, `Prazo esgotado: a prestação em desacordo só pode ser informada até ${DESACORDO_DAYS} dias depois da autorização do CT-e.`, { field: 'chave' });
    }
    return this.sign(buildDesacordo({ ...this.base(p.chave, p.tomador, p.nSeqEvento ?? 1), xObs: p.xObs }));
  }

  close(): void {
    this.transport.close();
  }
}
