import forge from 'node-forge';
import { isValidChave } from '../core/fiscal/chave';
import { CCE_MAX_SEQ } from '../core/fiscal/events';
import { cnpjFromCertificate } from '../core/fiscal/certificate';
import { signXml, verifyXmlSignature, verifyXmlSignatures, type SignatureCheck, type SigningMaterial } from '../core/fiscal/sign';
import { ufFromCode } from '../core/sefaz/endpoints';
import type { NfeServiceKey } from '../core/sefaz/soap';
import { NFE_NS, attrOf, escapeXml, findElement, findElements, textOf, type RawElement } from '../core/sefaz/xml';
import { RANDOM_REJECTIONS, type Faults } from './faults';
import type { NfeRow, SimulatorStore } from './store';
import { brasiliaIso, brasiliaYear2 } from './time';
import { CONTINGENCY_MSG, emissionRefusal, svcStatusRefusal, type SimSite } from './contingency';

/** The UF's own authorizer with no SVC activated (the simulator's default site). */
export const UF_SITE: SimSite = { target: 'autorizador', svcActive: () => false };

export const VER_APLIC = 'COMBOIO-SIM-1.0';
const TP_AMB = '2';
const DAY_MS = 86_400_000;

/** Validates `xml` against the XSD `entry` of the configured package; returns the first error or null. */
export type SchemaCheck = (entry: string, xml: string) => string | null;

export type SimService = NfeServiceKey | 'epec';

export interface RequestContext {
  /** CNPJ read from the client certificate (rejection 213 compares its base). */
  certCnpj: string | null;
}

const MSG: Record<string, string> = {
  '100': 'Autorizado o uso da NF-e',
  '101': 'Cancelamento de NF-e homologado',
  '102': 'Inutilização de número homologado',
  '103': 'Lote recebido com sucesso',
  '104': 'Lote processado',
  '105': 'Lote em processamento',
  '106': 'Lote não localizado',
  '107': 'Serviço em Operação',
  '108': 'Serviço Paralisado Momentaneamente (curto prazo)',
  '109': 'Serviço Paralisado sem Previsão',
  '128': 'Lote de Evento Processado',
  '135': 'Evento registrado e vinculado a NF-e',
  '136': 'Evento registrado, mas não vinculado a NF-e',
  '204': 'Rejeição: Duplicidade de NF-e',
  '205': 'Rejeição: NF-e está denegada na base de dados da SEFAZ',
  '206': 'Rejeição: NF-e já está inutilizada na Base de dados da SEFAZ',
  '213': 'Rejeição: CNPJ-Base do Emitente difere do CNPJ-Base do Certificado Digital',
  '215': 'Rejeição: Falha no schema XML',
  '217': 'Rejeição: NF-e não consta na base de dados da SEFAZ',
  '218': 'Rejeição: NF-e já está cancelada na base de dados da SEFAZ',
  '222': 'Rejeição: Protocolo de Autorização de Uso difere do cadastrado',
  '225': 'Rejeição: Falha no Schema XML da NFe',
  '241': 'Rejeição: Um número da faixa já foi utilizado',
  '252': 'Rejeição: Ambiente informado diverge do Ambiente de recebimento',
  '256': 'Rejeição: Uma NF-e da faixa já está inutilizada na Base de dados da SEFAZ',
  '297': 'Rejeição: Assinatura difere do calculado',
  '302': 'Uso Denegado: Irregularidade fiscal do destinatário',
  '501': 'Rejeição: Prazo de cancelamento superior ao previsto na Legislação',
  '236': 'Rejeição: Chave de Acesso com dígito verificador inválido',
  '452': 'Rejeição: Solicitada resposta síncrona para Lote com mais de uma NF-e',
  '489': 'Rejeição: Tipo do evento não permitido neste serviço',
  '502': 'Rejeição: Erro na Chave de Acesso - Campo Id não corresponde à concatenação dos campos correspondentes',
  '539': 'Rejeição: Duplicidade de NF-e com diferença na Chave de Acesso',
  '573': 'Rejeição: Duplicidade de Evento',
  '656': 'Rejeição: Consumo Indevido',
};

export function motivo(cStat: string, extra = ''): string {
  return `${MSG[cStat] ?? CONTINGENCY_MSG[cStat] ?? 'Rejeição'}${extra}`;
}

/** CNPJ of an e-CNPJ client certificate (DER from the TLS socket). */
export function cnpjFromDer(der: Buffer | undefined): string | null {
  if (!der || der.length === 0) return null;
  try {
    return cnpjFromCertificate(forge.pki.certificateFromAsn1(forge.asn1.fromDer(der.toString('binary'))));
  } catch {
    return null;
  }
}

/** Signature checks of a whole message by the Id they cover (verified in context, as SEFAZ does). */
function signaturesById(payload: string): Map<string, SignatureCheck> {
  const map = new Map<string, SignatureCheck>();
  for (const c of verifyXmlSignatures(payload)) if (c.referenceId) map.set(c.referenceId, c);
  return map;
}

function signatureProblem(sigs: Map<string, SignatureCheck>, id: string): string | null {
  const c = sigs.get(id);
  if (!c) return ' [documento sem assinatura]';
  return c.valid ? null : ` [${c.reason ?? 'assinatura inválida'}]`;
}

function el(xml: string, name: string): RawElement | undefined {
  return findElement(xml, name);
}

function t(xml: string, name: string): string {
  return textOf(xml, name) ?? '';
}

/**
 * The NF-e 4.00 services. Each handler takes the message inside nfeDadosMsg and returns the
 * message for nfeResultMsg; all decisions are written to SQLite before the reply leaves.
 */
export class SimulatorServices {
  constructor(
    private readonly store: SimulatorStore,
    private readonly faults: () => Faults,
    private readonly schema: SchemaCheck,
    private readonly random: () => number,
    private readonly site: SimSite = UF_SITE,
    private readonly wallClock: () => number = Date.now,
  ) {}

  /** SEFAZ signs what it homologates (retInutNFe/infInut): the simulator with its server certificate. */
  replySigner: SigningMaterial | null = null;

  now(): number {
    return this.wallClock() + this.faults().clockOffsetMs;
  }

  /** Reply of a service that did not process the request (108/109/656, schema of the envelope). */
  serviceReply(service: SimService, cStat: string, xMotivo: string, payload: string): string {
    const dh = brasiliaIso(this.now());
    const head = `<tpAmb>${TP_AMB}</tpAmb><verAplic>${VER_APLIC}</verAplic>`;
    const cUF = textOf(payload, 'cUF') ?? textOf(payload, 'chNFe')?.slice(0, 2) ?? '43';
    const st = `<cStat>${cStat}</cStat><xMotivo>${escapeXml(xMotivo)}</xMotivo>`;
    switch (service) {
      case 'autorizacao':
        return `<retEnviNFe xmlns="${NFE_NS}" versao="4.00">${head}${st}<cUF>${this.ufCode(cUF)}</cUF><dhRecbto>${dh}</dhRecbto></retEnviNFe>`;
      case 'retAutorizacao':
        return `<retConsReciNFe xmlns="${NFE_NS}" versao="4.00">${head}<nRec>${t(payload, 'nRec').padStart(15, '0').slice(0, 15)}</nRec>${st}<cUF>${this.ufCode(cUF)}</cUF><dhRecbto>${dh}</dhRecbto></retConsReciNFe>`;
      case 'consultaProtocolo':
        return `<retConsSitNFe xmlns="${NFE_NS}" versao="4.00">${head}${st}<cUF>${this.ufCode(cUF)}</cUF><dhRecbto>${dh}</dhRecbto><chNFe>${t(payload, 'chNFe')}</chNFe></retConsSitNFe>`;
      case 'statusServico':
        return `<retConsStatServ xmlns="${NFE_NS}" versao="4.00">${head}${st}<cUF>${this.ufCode(cUF)}</cUF><dhRecbto>${dh}</dhRecbto></retConsStatServ>`;
      case 'inutilizacao':
        return `<retInutNFe xmlns="${NFE_NS}" versao="4.00"><infInut>${head}${st}<cUF>${this.ufCode(cUF)}</cUF><dhRecbto>${dh}</dhRecbto></infInut></retInutNFe>`;
      case 'recepcaoEvento':
      case 'epec':
        return `<retEnvEvento xmlns="${NFE_NS}" versao="1.00"><idLote>${t(payload, 'idLote') || '0'}</idLote>${head}<cOrgao>${service === 'epec' ? '91' : this.ufCode(textOf(payload, 'cOrgao') ?? '43')}</cOrgao>${st}</retEnvEvento>`;
    }
  }

  private ufCode(code: string): string {
    return ufFromCode(code) ? code : '43';
  }

  handle(service: SimService, payload: string, ctx: RequestContext): string {
    switch (service) {
      case 'statusServico':
        return this.status(payload);
      case 'autorizacao':
        return this.autorizacao(payload, ctx);
      case 'retAutorizacao':
        return this.retAutorizacao(payload);
      case 'consultaProtocolo':
        return this.consulta(payload);
      case 'inutilizacao':
        return this.inutilizacao(payload, ctx);
      case 'recepcaoEvento':
      case 'epec':
        return this.eventos(service, payload, ctx);
    }
  }

  private status(payload: string): string {
    const err = this.schema('consStatServ_v4.00.xsd', payload);
    if (err) return this.serviceReply('statusServico', '215', motivo('215', ` [${err}]`), payload);
    if (t(payload, 'tpAmb') !== TP_AMB) return this.serviceReply('statusServico', '252', motivo('252'), payload);
    const svc = svcStatusRefusal('nfe', this.site, t(payload, 'cUF'));
    if (svc) return this.serviceReply('statusServico', svc[0], motivo(svc[0], svc[1]), payload);
    const dh = brasiliaIso(this.now());
    return (
      `<retConsStatServ xmlns="${NFE_NS}" versao="4.00"><tpAmb>${TP_AMB}</tpAmb><verAplic>${VER_APLIC}</verAplic><cStat>107</cStat>` +
      `<xMotivo>${MSG['107']}</xMotivo><cUF>${this.ufCode(t(payload, 'cUF'))}</cUF><dhRecbto>${dh}</dhRecbto><tMed>${Math.max(1, Math.round(this.faults().tMedMs / 1000))}</tMed></retConsStatServ>`
    );
  }

  private nProt(cUF: string): string {
    return `1${cUF}${brasiliaYear2(this.now())}${String(this.store.next('nProt')).padStart(10, '0')}`;
  }

  private protNFe(chave: string, cStat: string, xMotivo: string, dh: string, nProt?: string, digVal?: string): string {
    return (
      `<protNFe versao="4.00"><infProt${nProt ? ` Id="ID${nProt}"` : ''}><tpAmb>${TP_AMB}</tpAmb><verAplic>${VER_APLIC}</verAplic><chNFe>${chave}</chNFe>` +
      `<dhRecbto>${dh}</dhRecbto>${nProt ? `<nProt>${nProt}</nProt>` : ''}${digVal ? `<digVal>${digVal}</digVal>` : ''}<cStat>${cStat}</cStat><xMotivo>${escapeXml(xMotivo)}</xMotivo></infProt></protNFe>`
    );
  }

  /** Decides one NF-e of a lote; every outcome that consumes the number is stored first. */
  private decideNfe(nfe: RawElement, ctx: RequestContext, nRec: string, sigs: Map<string, SignatureCheck>): string {
    const dh = brasiliaIso(this.now());
    const inf = el(nfe.inner, 'infNFe');
    const id = inf ? attrOf(inf.startTag, 'Id') ?? '' : '';
    const chave = id.replace(/^NFe/, '');
    const reject = (cStat: string, extra = '') => this.protNFe(chave, cStat, motivo(cStat, extra), dh);
    if (!inf) return reject('225');
    const ide = el(inf.inner, 'ide')?.inner ?? '';
    const emitCnpj = t(el(inf.inner, 'emit')?.inner ?? '', 'CNPJ');
    const cUF = t(ide, 'cUF');
    const mod = t(ide, 'mod');
    const serie = Number(t(ide, 'serie'));
    const nNF = Number(t(ide, 'nNF'));
    const dhEmi = t(ide, 'dhEmi');
    const expected =
      cUF + dhEmi.slice(2, 4) + dhEmi.slice(5, 7) + emitCnpj.padStart(14, '0') + mod + String(serie).padStart(3, '0') + String(nNF).padStart(9, '0') + t(ide, 'tpEmis') + t(ide, 'cNF') + t(ide, 'cDV');
    if (!isValidChave(chave) || expected !== chave) return reject('502');
    if (t(ide, 'tpAmb') !== TP_AMB) return reject('252');
    const badSig = signatureProblem(sigs, id);
    if (badSig) return reject('297', badSig);
    if (!ctx.certCnpj || ctx.certCnpj.slice(0, 8) !== emitCnpj.slice(0, 8)) return reject('213');
    const tpEmis = t(ide, 'tpEmis');
    const refusal = emissionRefusal('nfe', this.site, cUF, tpEmis);
    if (refusal) return reject(refusal[0], refusal[1]);
    // EPEC reconciliation: the NF-e must match what the Ambiente Nacional registered.
    const epec = tpEmis === '4' ? this.store.epec(chave) : undefined;
    if (tpEmis === '4') {
      if (!epec) return reject('468');
      const det = el(epec.evento_xml, 'detEvento')?.inner ?? '';
      const tot = el(inf.inner, 'ICMSTot')?.inner ?? '';
      if (t(det, 'dhEmi') !== dhEmi || t(det, 'vNF') !== t(tot, 'vNF')) return reject('467', ` [dhEmi/vNF do EPEC: ${t(det, 'dhEmi')} ${t(det, 'vNF')}]`);
    }

    if (this.store.inutilizada(TP_AMB, emitCnpj, mod, serie, nNF)) return reject('206');
    const same = this.store.nfe(chave);
    if (same) {
      if (same.status === 'denied') return reject('205');
      return reject('204', ` [nProt:${same.n_prot}][dhAut:${same.dh_recbto}]`);
    }
    const other = this.store.nfeByNumber(TP_AMB, emitCnpj, mod, serie, nNF);
    if (other) return reject('539', ` [chNFe:${other.chave}][nRec:${nRec}]`);

    const f = this.faults();
    if (f.rejectRate > 0 && this.random() < f.rejectRate) {
      const [cStat, x] = RANDOM_REJECTIONS[Math.floor(this.random() * RANDOM_REJECTIONS.length)]!;
      return this.protNFe(chave, cStat, x, dh);
    }
    const destCnpj = t(el(inf.inner, 'dest')?.inner ?? '', 'CNPJ');
    const denied = destCnpj !== '' && f.denyDest.includes(destCnpj);
    const cStat = denied ? '302' : '100';
    const nProt = this.nProt(cUF);
    const digVal = textOf(nfe.inner, 'DigestValue');
    const prot = this.protNFe(chave, cStat, motivo(cStat), dh, nProt, digVal);
    this.store.insertNfe({
      chave,
      tp_amb: TP_AMB,
      cnpj: emitCnpj,
      mod,
      serie,
      nnf: nNF,
      status: denied ? 'denied' : 'authorized',
      c_stat: cStat,
      x_motivo: motivo(cStat),
      n_prot: nProt,
      dh_recbto: dh,
      auth_ms: this.now(),
      prot_xml: prot,
      nfe_xml: nfe.raw,
    });
    if (epec) this.store.reconcileEpec(chave, this.now());
    return prot;
  }

  private autorizacao(payload: string, ctx: RequestContext): string {
    const err = this.schema('enviNFe_v4.00.xsd', payload);
    if (err) return this.serviceReply('autorizacao', '225', motivo('225', ` [${err}]`), payload);
    const nfes = findElements(payload, 'NFe');
    const sync = t(payload, 'indSinc') === '1';
    const sigs = signaturesById(payload);
    const cUF = t(el(nfes[0]!.inner, 'ide')?.inner ?? '', 'cUF');
    const nRec = `${cUF}${String(this.store.next('nRec')).padStart(13, '0')}`;
    const dh = brasiliaIso(this.now());
    const head = `<tpAmb>${TP_AMB}</tpAmb><verAplic>${VER_APLIC}</verAplic>`;
    if (sync) {
      if (nfes.length !== 1) return this.serviceReply('autorizacao', '452', motivo('452'), payload);
      const prot = this.store.db.transaction(() => this.decideNfe(nfes[0]!, ctx, nRec, sigs))();
      return `<retEnviNFe xmlns="${NFE_NS}" versao="4.00">${head}<cStat>104</cStat><xMotivo>${MSG['104']}</xMotivo><cUF>${cUF}</cUF><dhRecbto>${dh}</dhRecbto>${prot}</retEnviNFe>`;
    }
    // The lote is decided now and its receipt becomes visible after tMed: a client whose
    // reply got lost still finds every document by chave.
    this.store.db.transaction(() => {
      const list = nfes.map((n) => this.decideNfe(n, ctx, nRec, sigs));
      this.store.insertReceipt({ n_rec: nRec, ready_ms: this.now() + this.faults().tMedMs, prots: JSON.stringify(list), c_uf: cUF });
    })();
    const tMed = Math.max(1, Math.round(this.faults().tMedMs / 1000));
    return `<retEnviNFe xmlns="${NFE_NS}" versao="4.00">${head}<cStat>103</cStat><xMotivo>${MSG['103']}</xMotivo><cUF>${cUF}</cUF><dhRecbto>${dh}</dhRecbto><infRec><nRec>${nRec}</nRec><tMed>${tMed}</tMed></infRec></retEnviNFe>`;
  }

  private retAutorizacao(payload: string): string {
    const err = this.schema('consReciNFe_v4.00.xsd', payload);
    if (err) return this.serviceReply('retAutorizacao', '215', motivo('215', ` [${err}]`), payload);
    const nRec = t(payload, 'nRec');
    const rec = this.store.receipt(nRec);
    const dh = brasiliaIso(this.now());
    const head = `<tpAmb>${TP_AMB}</tpAmb><verAplic>${VER_APLIC}</verAplic><nRec>${nRec}</nRec>`;
    const cUF = rec?.c_uf ?? nRec.slice(0, 2);
    if (!rec || this.now() < rec.ready_ms) {
      const cStat = rec ? '105' : '106';
      return `<retConsReciNFe xmlns="${NFE_NS}" versao="4.00">${head}<cStat>${cStat}</cStat><xMotivo>${MSG[cStat]}</xMotivo><cUF>${this.ufCode(cUF)}</cUF><dhRecbto>${dh}</dhRecbto></retConsReciNFe>`;
    }
    const prots = (JSON.parse(rec.prots) as string[]).join('');
    return `<retConsReciNFe xmlns="${NFE_NS}" versao="4.00">${head}<cStat>104</cStat><xMotivo>${MSG['104']}</xMotivo><cUF>${cUF}</cUF><dhRecbto>${dh}</dhRecbto>${prots}</retConsReciNFe>`;
  }

  private procEventos(chave: string): string {
    return this.store
      .events(chave)
      .map((e) => `<procEventoNFe versao="1.00">${e.evento_xml}${e.ret_xml}</procEventoNFe>`)
      .join('');
  }

  private consulta(payload: string): string {
    const err = this.schema('consSitNFe_v4.00.xsd', payload);
    if (err) return this.serviceReply('consultaProtocolo', '215', motivo('215', ` [${err}]`), payload);
    if (t(payload, 'tpAmb') !== TP_AMB) return this.serviceReply('consultaProtocolo', '252', motivo('252'), payload);
    const chave = t(payload, 'chNFe');
    const row = this.store.nfe(chave);
    const dh = brasiliaIso(this.now());
    const head = `<tpAmb>${TP_AMB}</tpAmb><verAplic>${VER_APLIC}</verAplic>`;
    if (!row) {
      return `<retConsSitNFe xmlns="${NFE_NS}" versao="4.00">${head}<cStat>217</cStat><xMotivo>${MSG['217']}</xMotivo><cUF>${this.ufCode(chave.slice(0, 2))}</cUF><dhRecbto>${dh}</dhRecbto><chNFe>${chave}</chNFe></retConsSitNFe>`;
    }
    const cStat = row.status === 'cancelled' ? '101' : row.c_stat;
    return (
      `<retConsSitNFe xmlns="${NFE_NS}" versao="4.00">${head}<cStat>${cStat}</cStat><xMotivo>${escapeXml(motivo(cStat))}</xMotivo><cUF>${chave.slice(0, 2)}</cUF>` +
      `<dhRecbto>${dh}</dhRecbto><chNFe>${chave}</chNFe>${row.prot_xml}${this.procEventos(chave)}</retConsSitNFe>`
    );
  }

  private inutilizacao(payload: string, ctx: RequestContext): string {
    const err = this.schema('inutNFe_v4.00.xsd', payload);
    if (err) return this.serviceReply('inutilizacao', '215', motivo('215', ` [${err}]`), payload);
    const inf = el(payload, 'infInut')!;
    const f = (n: string) => t(inf.inner, n);
    const [cUF, ano, cnpj, mod] = [f('cUF'), f('ano'), f('CNPJ'), f('mod')];
    const serie = Number(f('serie'));
    const ini = Number(f('nNFIni'));
    const fin = Number(f('nNFFin'));
    const dh = brasiliaIso(this.now());
    const reply = (cStat: string, nProt?: string) =>
      `<retInutNFe xmlns="${NFE_NS}" versao="4.00"><infInut${nProt ? ` Id="ID${nProt}"` : ''}><tpAmb>${TP_AMB}</tpAmb><verAplic>${VER_APLIC}</verAplic>` +
      `<cStat>${cStat}</cStat><xMotivo>${MSG[cStat]}</xMotivo><cUF>${cUF}</cUF><ano>${ano}</ano><CNPJ>${cnpj}</CNPJ><mod>${mod}</mod><serie>${serie}</serie>` +
      `<nNFIni>${ini}</nNFIni><nNFFin>${fin}</nNFFin><dhRecbto>${dh}</dhRecbto>${nProt ? `<nProt>${nProt}</nProt>` : ''}</infInut></retInutNFe>`;
    if (f('tpAmb') !== TP_AMB) return reply('252');
    const sig = verifyXmlSignature(payload);
    if (!sig.valid) return reply('297');
    if (!ctx.certCnpj || ctx.certCnpj.slice(0, 8) !== cnpj.slice(0, 8)) return reply('213');
    if (fin < ini) return reply('241');
    return this.store.db.transaction(() => {
      if (this.store.nfeInRange(TP_AMB, cnpj, mod, serie, ini, fin)) return reply('241');
      if (this.store.inutilizada(TP_AMB, cnpj, mod, serie, ini, fin)) return reply('256');
      const nProt = this.nProt(cUF);
      this.store.insertInut({ tp_amb: TP_AMB, cnpj, mod, serie, ini, fin, n_prot: nProt });
      return this.replySigner ? signXml(reply('102', nProt), 'infInut', this.replySigner) : reply('102', nProt);
    })();
  }

  private eventos(service: 'recepcaoEvento' | 'epec', payload: string, ctx: RequestContext): string {
    const generic = this.schema('envEvento_v1.00.xsd', payload);
    if (generic) return this.serviceReply(service, '215', motivo('215', ` [${generic}]`), payload);
    const eventos = findElements(payload, 'evento');
    const tipos = new Set(eventos.map((e) => t(e.inner, 'tpEvento')));
    const specific: Record<string, string> = { '110111': 'envEventoCancNFe_v1.00.xsd', '110110': 'envCCe_v1.00.xsd', '110140': 'envEPEC_v1.00.xsd' };
    for (const tp of tipos) {
      const entry = specific[tp];
      if (!entry) return this.serviceReply(service, '489', motivo('489', ` [${tp}]`), payload);
      const err = this.schema(entry, payload);
      if (err) return this.serviceReply(service, '215', motivo('215', ` [${err}]`), payload);
    }
    // EPEC goes to the Ambiente Nacional only; the AN takes nothing else.
    if ((service === 'epec') !== tipos.has('110140') || (service === 'epec' && tipos.size > 1)) {
      return this.serviceReply(service, '489', motivo('489', service === 'epec' ? ' [o Ambiente Nacional só recebe EPEC]' : ' [EPEC vai ao Ambiente Nacional]'), payload);
    }
    const cOrgao = service === 'epec' ? '91' : t(eventos[0]!.inner, 'cOrgao');
    const sigs = signaturesById(payload);
    const rets = this.store.db.transaction(() => eventos.map((e) => this.decideEvento(service, e, ctx, sigs)))();
    return (
      `<retEnvEvento xmlns="${NFE_NS}" versao="1.00"><idLote>${t(payload, 'idLote')}</idLote><tpAmb>${TP_AMB}</tpAmb><verAplic>${VER_APLIC}</verAplic>` +
      `<cOrgao>${cOrgao}</cOrgao><cStat>128</cStat><xMotivo>${MSG['128']}</xMotivo>${rets.join('')}</retEnvEvento>`
    );
  }

  /**
   * EPEC at the Ambiente Nacional: 136 when registered (the DANFE can travel), 142 while the
   * emitente has an EPEC older than the deadline whose NF-e the UF never authorized.
   */
  private registerEpec(chave: string, autor: string, now: number, evento: RawElement, ret: (cStat: string, nProt?: string, extra?: string) => string, register: (cStat: '136') => string): string {
    if (chave[34] !== '4') return ret('489', undefined, ' [EPEC exige NF-e com tpEmis 4]');
    const overdue = this.store.overdueEpec(autor.slice(0, 8), '55', now - this.faults().epecPrazoMs);
    if (overdue) return ret('142', undefined, ` [EPEC da chave ${overdue.chave} sem NF-e autorizada]`);
    if (this.store.nfeByNumber(TP_AMB, chave.slice(6, 20), '55', Number(chave.slice(22, 25)), Number(chave.slice(25, 34)))) return ret('539', undefined, ' [número já autorizado]');
    const r = register('136');
    this.store.insertEpec({ chave, cnpj: chave.slice(6, 20), mod: '55', serie: Number(chave.slice(22, 25)), nnf: Number(chave.slice(25, 34)), evento_xml: evento.raw, at_ms: now });
    return r;
  }

  private decideEvento(service: 'recepcaoEvento' | 'epec', evento: RawElement, ctx: RequestContext, sigs: Map<string, SignatureCheck>): string {
    const inf = el(evento.inner, 'infEvento')!;
    const f = (n: string) => t(inf.inner, n);
    const chave = f('chNFe');
    const tpEvento = f('tpEvento');
    const nSeq = Number(f('nSeqEvento'));
    const cOrgao = f('cOrgao');
    const autor = f('CNPJ') || f('CPF');
    const now = this.now();
    const dh = brasiliaIso(now);
    const xEvento = tpEvento === '110111' ? 'Cancelamento registrado' : tpEvento === '110110' ? 'Carta de Correção registrada' : 'EPEC registrado';
    const ret = (cStat: string, nProt?: string, extra = '') =>
      `<retEvento versao="1.00"><infEvento${nProt ? ` Id="ID${nProt}"` : ''}><tpAmb>${TP_AMB}</tpAmb><verAplic>${VER_APLIC}</verAplic><cOrgao>${cOrgao}</cOrgao>` +
      `<cStat>${cStat}</cStat><xMotivo>${escapeXml(motivo(cStat, extra))}</xMotivo><chNFe>${chave}</chNFe><tpEvento>${tpEvento}</tpEvento>` +
      `${nProt ? `<xEvento>${xEvento}</xEvento>` : ''}<nSeqEvento>${nSeq}</nSeqEvento><dhRegEvento>${dh}</dhRegEvento>${nProt ? `<nProt>${nProt}</nProt>` : ''}</infEvento></retEvento>`;
    if (f('tpAmb') !== TP_AMB) return ret('252');
    const badSig = signatureProblem(sigs, attrOf(inf.startTag, 'Id') ?? '');
    if (badSig) return ret('297', undefined, badSig);
    if (!ctx.certCnpj || ctx.certCnpj.slice(0, 8) !== autor.slice(0, 8)) return ret('213');
    if (!isValidChave(chave)) return ret('236', undefined, '');
    const existing = this.store.events(chave).find((e) => e.tp_evento === tpEvento && e.n_seq === nSeq);
    if (existing) return ret('573');
    const register = (cStat: '135' | '136') => {
      const nProt = this.nProt(chave.slice(0, 2));
      const r = ret(cStat, nProt);
      this.store.insertEvent({ chave, tp_evento: tpEvento, n_seq: nSeq, n_prot: nProt, evento_xml: evento.raw, ret_xml: r, at_ms: now });
      return r;
    };
    if (service === 'epec') return this.registerEpec(chave, autor, now, evento, ret, register);
    const row: NfeRow | undefined = this.store.nfe(chave);
    if (!row) return ret('217');
    if (row.status === 'denied') return ret('205');
    if (row.status === 'cancelled') return ret('218');
    if (tpEvento === '110111') {
      if (t(inf.inner, 'nProt') !== row.n_prot) return ret('222');
      if (now - row.auth_ms > DAY_MS) return ret('501');
      const r = register('135');
      this.store.setStatus(chave, 'cancelled');
      return r;
    }
    if (tpEvento === '110110') {
      if (nSeq > CCE_MAX_SEQ) return ret('215');
      return register('135');
    }
    return ret('489');
  }
}
