import { isValidChave } from '../core/fiscal/chave';
import { cteEventoDetail, CTE_MAX_SEQ, DESACORDO_DAYS } from '../core/fiscal/cte/events';
import { verifyXmlSignatures } from '../core/fiscal/sign';
import { cnpjFromCertificate } from '../core/fiscal/certificate';
import forge from 'node-forge';
import { CTE_NS, decompressCte, type CteServiceKey } from '../core/sefaz/cte-messages';
import { ufFromCode } from '../core/sefaz/endpoints';
import { cteSvcOf } from '../core/sefaz/svc-table';
import { attrOf, escapeXml, findElement, textOf } from '../core/sefaz/xml';
import { RANDOM_REJECTIONS, type Faults } from './faults';
import type { RequestContext, SchemaCheck } from './services';
import type { SimulatorStore } from './store';
import { brasiliaIso, brasiliaYear2 } from './time';
import { CONTINGENCY_MSG, emissionRefusal, svcStatusRefusal, type SimSite } from './contingency';
import { UF_SITE } from './services';

const VER_APLIC = 'COMBOIO-SIM-CTE-1.0';
const TP_AMB = '2';
const DAY_MS = 86_400_000;

/**
 * Reply texts of the CT-e services. Codes follow the MOC where it fixes them (100, 101, 107,
 * 135, 204, 217, 218, 222, 501, 539, 573…); 859, 861, 862 and 863 are this simulator's codes
 * for rules whose official number the manual's tables we hold do not show.
 */
const MSG: Record<string, string> = {
  '100': 'Autorizado o uso do CT-e',
  '101': 'Cancelamento de CT-e homologado',
  '107': 'Serviço em Operação',
  '108': 'Serviço Paralisado Momentaneamente (curto prazo)',
  '109': 'Serviço Paralisado sem Previsão',
  '135': 'Evento registrado e vinculado a CT-e',
  '204': 'Rejeição: Duplicidade de CT-e',
  '205': 'Rejeição: CT-e está denegado na base de dados da SEFAZ',
  '213': 'Rejeição: CNPJ-Base do Autor difere do CNPJ-Base do Certificado Digital',
  '215': 'Rejeição: Falha no schema XML',
  '217': 'Rejeição: CT-e não consta na base de dados da SEFAZ',
  '218': 'Rejeição: CT-e já está cancelado na base de dados da SEFAZ',
  '222': 'Rejeição: Protocolo de Autorização de Uso difere do cadastrado',
  '236': 'Rejeição: Chave de Acesso com dígito verificador inválido',
  '244': 'Rejeição: Falha na descompactação da área de dados',
  '252': 'Rejeição: Ambiente informado diverge do Ambiente de recebimento',
  '297': 'Rejeição: Assinatura difere do calculado',
  '301': 'Uso Denegado: Irregularidade fiscal do emitente',
  '489': 'Rejeição: Tipo do evento não permitido neste serviço',
  '501': 'Rejeição: Prazo de cancelamento superior ao previsto na Legislação',
  '502': 'Rejeição: Erro na Chave de Acesso - Campo Id não corresponde à concatenação dos campos correspondentes',
  '539': 'Rejeição: Duplicidade de CT-e com diferença na Chave de Acesso',
  '573': 'Rejeição: Duplicidade de Evento',
  '656': 'Rejeição: Consumo Indevido',
  '859': 'Rejeição: Cancelamento não permitido: CT-e possui Comprovante de Entrega autorizado',
  '861': 'Rejeição: Prestação do Serviço em Desacordo fora do prazo de 45 dias da autorização',
  '862': 'Rejeição: Autor do evento de Prestação em Desacordo não é o tomador do CT-e',
  '863': 'Rejeição: Comprovante de Entrega a cancelar não localizado (nProtCE)',
};

/** CNPJ (ICP-Brasil OID) of the certificate in a signature's KeyInfo, or null. */
function signerCnpj(certPem: string | undefined): string | null {
  if (!certPem) return null;
  try {
    return cnpjFromCertificate(forge.pki.certificateFromPem(certPem));
  } catch {
    return null;
  }
}

const motivo = (cStat: string, extra = '') => `${MSG[cStat] ?? CONTINGENCY_MSG[cStat] ?? 'Rejeição'}${extra}`;
const t = (xml: string, name: string) => textOf(xml, name) ?? '';

/** The tomador's CNPJ/CPF in a signed CT-e (toma3 points at a party; toma4 carries its own). */
function tomadorOf(cteXml: string): string {
  const inf = findElement(cteXml, 'infCte')?.inner ?? '';
  const ide = findElement(inf, 'ide')?.inner ?? '';
  const toma4 = findElement(ide, 'toma4');
  if (toma4) return t(toma4.inner, 'CNPJ') || t(toma4.inner, 'CPF');
  const role = ['rem', 'exped', 'receb', 'dest'][Number(t(findElement(ide, 'toma3')?.inner ?? '', 'toma'))] ?? 'rem';
  const party = findElement(inf, role)?.inner ?? '';
  return t(party, 'CNPJ') || t(party, 'CPF');
}

/**
 * The CT-e 4.00 services of the simulator, beside the NF-e ones and on the same store
 * (documents keyed by chave with mod 57, events by chave/tpEvento/nSeq). Every decision
 * is committed before the reply leaves, so a consulta tells the truth after a lost reply.
 */
export class CteSimulatorServices {
  constructor(
    private readonly store: SimulatorStore,
    private readonly faults: () => Faults,
    private readonly schema: SchemaCheck,
    private readonly random: () => number,
    private readonly site: SimSite = UF_SITE,
    private readonly wallClock: () => number = Date.now,
  ) {}

  private now(): number {
    return this.wallClock() + this.faults().clockOffsetMs;
  }

  private nProt(cUF: string): string {
    return `1${cUF}${brasiliaYear2(this.now())}${String(this.store.next('nProt')).padStart(10, '0')}`;
  }

  private head(): string {
    return `<tpAmb>${TP_AMB}</tpAmb><verAplic>${VER_APLIC}</verAplic>`;
  }

  /** Reply of a service that did not process the request (108/109/656, bad envelope). */
  serviceReply(service: CteServiceKey, cStat: string, payload: string, extra = ''): string {
    const st = `<cStat>${cStat}</cStat><xMotivo>${escapeXml(motivo(cStat, extra))}</xMotivo>`;
    const code = textOf(payload, 'cUF') ?? textOf(payload, 'chCTe')?.slice(0, 2) ?? '43';
    const cUF = ufFromCode(code) ? code : '43';
    switch (service) {
      case 'recepcaoSinc':
        return `<retCTe xmlns="${CTE_NS}" versao="4.00"><tpAmb>${TP_AMB}</tpAmb><cUF>${cUF}</cUF><verAplic>${VER_APLIC}</verAplic>${st}</retCTe>`;
      case 'consulta':
        return `<retConsSitCTe xmlns="${CTE_NS}" versao="4.00">${this.head()}${st}<cUF>${cUF}</cUF></retConsSitCTe>`;
      case 'statusServico':
        return `<retConsStatServCTe xmlns="${CTE_NS}" versao="4.00">${this.head()}${st}<cUF>${cUF}</cUF><dhRecbto>${brasiliaIso(this.now())}</dhRecbto></retConsStatServCTe>`;
      case 'recepcaoEvento':
        return this.retEvento(payload, cStat, undefined, extra);
    }
  }

  handle(service: CteServiceKey, payload: string, ctx: RequestContext): string {
    switch (service) {
      case 'statusServico':
        return this.status(payload);
      case 'recepcaoSinc':
        return this.recepcao(payload, ctx);
      case 'consulta':
        return this.consulta(payload);
      case 'recepcaoEvento':
        return this.evento(payload, ctx);
    }
  }

  private status(payload: string): string {
    const err = this.schema('consStatServCTe_v4.00.xsd', payload);
    if (err) return this.serviceReply('statusServico', '215', payload, ` [${err}]`);
    if (t(payload, 'tpAmb') !== TP_AMB) return this.serviceReply('statusServico', '252', payload);
    const svc = svcStatusRefusal('cte', this.site, t(payload, 'cUF'));
    if (svc) return this.serviceReply('statusServico', svc[0], payload, svc[1]);
    const tMed = Math.max(1, Math.round(this.faults().tMedMs / 1000));
    return `<retConsStatServCTe xmlns="${CTE_NS}" versao="4.00">${this.head()}<cStat>107</cStat><xMotivo>${MSG['107']}</xMotivo><cUF>${t(payload, 'cUF')}</cUF><dhRecbto>${brasiliaIso(this.now())}</dhRecbto><tMed>${tMed}</tMed></retConsStatServCTe>`;
  }

  private protCTe(chave: string, cStat: string, xMotivo: string, dh: string, nProt?: string, digVal?: string): string {
    return (
      `<protCTe versao="4.00"><infProt${nProt ? ` Id="CTe${nProt}"` : ''}><tpAmb>${TP_AMB}</tpAmb><verAplic>${VER_APLIC}</verAplic><chCTe>${chave}</chCTe>` +
      `<dhRecbto>${dh}</dhRecbto>${nProt ? `<nProt>${nProt}</nProt>` : ''}${digVal ? `<digVal>${digVal}</digVal>` : ''}<cStat>${cStat}</cStat><xMotivo>${escapeXml(xMotivo)}</xMotivo></infProt></protCTe>`
    );
  }

  private recepcao(payload: string, ctx: RequestContext): string {
    let cte: string;
    try {
      cte = decompressCte(payload);
    } catch {
      return this.serviceReply('recepcaoSinc', '244', payload);
    }
    const err = this.schema('cte_v4.00.xsd', cte) ?? this.schema('cteModalRodoviario_v4.00.xsd', (cte.match(/<rodo>[\s\S]*?<\/rodo>/)?.[0] ?? '<rodo/>').replace('<rodo>', `<rodo xmlns="${CTE_NS}">`));
    const cUF = t(findElement(cte, 'ide')?.inner ?? '', 'cUF') || '43';
    const reply = (prot: string, cStat: string) =>
      `<retCTe xmlns="${CTE_NS}" versao="4.00"><tpAmb>${TP_AMB}</tpAmb><cUF>${cUF}</cUF><verAplic>${VER_APLIC}</verAplic><cStat>${cStat}</cStat><xMotivo>${escapeXml(motivo(cStat))}</xMotivo>${prot}</retCTe>`;
    if (err) return this.serviceReply('recepcaoSinc', '215', cte, ` [${err}]`);
    return this.store.db.transaction(() => {
      const { prot, cStat } = this.decide(cte, ctx);
      return reply(prot, cStat);
    })();
  }

  private decide(cte: string, ctx: RequestContext): { prot: string; cStat: string } {
    const dh = brasiliaIso(this.now());
    const inf = findElement(cte, 'infCte')!;
    const id = attrOf(inf.startTag, 'Id') ?? '';
    const chave = id.replace(/^CTe/, '');
    const out = (cStat: string, extra = '') => ({ prot: this.protCTe(chave, cStat, motivo(cStat, extra), dh), cStat });
    const ide = findElement(inf.inner, 'ide')?.inner ?? '';
    const emitCnpj = t(findElement(inf.inner, 'emit')?.inner ?? '', 'CNPJ') || t(findElement(inf.inner, 'emit')?.inner ?? '', 'CPF');
    const [cUF, mod, dhEmi] = [t(ide, 'cUF'), t(ide, 'mod'), t(ide, 'dhEmi')];
    const serie = Number(t(ide, 'serie'));
    const nCT = Number(t(ide, 'nCT'));
    const expected = cUF + dhEmi.slice(2, 4) + dhEmi.slice(5, 7) + emitCnpj.padStart(14, '0') + mod + String(serie).padStart(3, '0') + String(nCT).padStart(9, '0') + t(ide, 'tpEmis') + t(ide, 'cCT') + t(ide, 'cDV');
    if (!isValidChave(chave) || expected !== chave) return out('502');
    if (t(ide, 'tpAmb') !== TP_AMB) return out('252');
    const sig = verifyXmlSignatures(cte).find((s) => s.referenceId === id);
    if (!sig?.valid) return out('297', ` [${sig?.reason ?? 'documento sem assinatura'}]`);
    if (!ctx.certCnpj || ctx.certCnpj.slice(0, 8) !== emitCnpj.slice(0, 8)) return out('213');
    // The A1 that signed infCte must be the emitente's too (another group company's is refused).
    if (signerCnpj(sig.certPem)?.slice(0, 8) !== emitCnpj.slice(0, 8)) return out('213', ' [certificado da assinatura]');
    const tpEmis = t(ide, 'tpEmis');
    const refusal = emissionRefusal('cte', this.site, cUF, tpEmis);
    if (refusal) return out(refusal[0], refusal[1]);
    const epec = tpEmis === '4' ? this.store.epec(chave) : undefined;
    if (tpEmis === '4') {
      if (!epec) return out('468');
      const det = findElement(epec.evento_xml, 'detEvento')?.inner ?? '';
      if (t(det, 'dhEmi') !== dhEmi || t(det, 'vTPrest') !== t(findElement(inf.inner, 'vPrest')?.inner ?? '', 'vTPrest')) return out('467');
    }
    const same = this.store.nfe(chave);
    if (same) return same.status === 'denied' ? out('205') : out('204', ` [nProt:${same.n_prot}][dhAut:${same.dh_recbto}]`);
    const other = this.store.nfeByNumber(TP_AMB, emitCnpj, mod, serie, nCT);
    if (other) return out('539', ` [chCTe:${other.chave}]`);
    const f = this.faults();
    if (f.rejectRate > 0 && this.random() < f.rejectRate) {
      const [cStat, x] = RANDOM_REJECTIONS[Math.floor(this.random() * RANDOM_REJECTIONS.length)]!;
      return { prot: this.protCTe(chave, cStat, x, dh), cStat };
    }
    const denied = f.denyDest.includes(emitCnpj);
    const cStat = denied ? '301' : '100';
    const nProt = this.nProt(cUF);
    const prot = this.protCTe(chave, cStat, motivo(cStat), dh, nProt, textOf(cte, 'DigestValue'));
    this.store.insertNfe({ chave, tp_amb: TP_AMB, cnpj: emitCnpj, mod, serie, nnf: nCT, status: denied ? 'denied' : 'authorized', c_stat: cStat, x_motivo: motivo(cStat), n_prot: nProt, dh_recbto: dh, auth_ms: this.now(), prot_xml: prot, nfe_xml: cte });
    if (epec) this.store.reconcileEpec(chave, this.now());
    return { prot, cStat };
  }

  private consulta(payload: string): string {
    const err = this.schema('consSitCTe_v4.00.xsd', payload);
    if (err) return this.serviceReply('consulta', '215', payload, ` [${err}]`);
    if (t(payload, 'tpAmb') !== TP_AMB) return this.serviceReply('consulta', '252', payload);
    const chave = t(payload, 'chCTe');
    const row = this.store.nfe(chave);
    if (!row) return this.serviceReply('consulta', '217', payload);
    const cStat = row.status === 'cancelled' ? '101' : row.c_stat;
    const events = this.store
      .events(chave)
      .map((e) => `<procEventoCTe versao="4.00">${e.evento_xml}${e.ret_xml}</procEventoCTe>`)
      .join('');
    return `<retConsSitCTe xmlns="${CTE_NS}" versao="4.00">${this.head()}<cStat>${cStat}</cStat><xMotivo>${escapeXml(motivo(cStat))}</xMotivo><cUF>${chave.slice(0, 2)}</cUF>${row.prot_xml}${events}</retConsSitCTe>`;
  }

  private retEvento(evento: string, cStat: string, nProt?: string, extra = ''): string {
    const inf = findElement(evento, 'infEvento')?.inner ?? '';
    const tp = t(inf, 'tpEvento');
    const label = { '110111': 'Cancelamento', '110110': 'Carta de Correção', '110180': 'Comprovante de Entrega do CT-e', '110181': 'Cancelamento do Comprovante de Entrega', '610110': 'Prestação do Serviço em Desacordo', '110113': 'EPEC' }[tp];
    return (
      `<retEventoCTe xmlns="${CTE_NS}" versao="4.00"><infEvento${nProt ? ` Id="ID${nProt}"` : ''}>${this.head()}<cOrgao>${t(inf, 'cOrgao') || '43'}</cOrgao>` +
      `<cStat>${cStat}</cStat><xMotivo>${escapeXml(motivo(cStat, extra))}</xMotivo>` +
      (nProt ? `<chCTe>${t(inf, 'chCTe')}</chCTe><tpEvento>${tp}</tpEvento><xEvento>${label ?? 'Evento'}</xEvento><nSeqEvento>${t(inf, 'nSeqEvento')}</nSeqEvento><dhRegEvento>${brasiliaIso(this.now())}</dhRegEvento><nProt>${nProt}</nProt>` : '') +
      '</infEvento></retEventoCTe>'
    );
  }

  private evento(payload: string, ctx: RequestContext): string {
    const generic = this.schema('eventoCTe_v4.00.xsd', payload);
    if (generic) return this.retEvento(payload, '215', undefined, ` [${generic}]`);
    const inf = findElement(payload, 'infEvento')!;
    const f = (n: string) => t(inf.inner, n);
    const tpEvento = f('tpEvento');
    const detail = cteEventoDetail(tpEvento);
    if (!detail) return this.retEvento(payload, '489', undefined, ` [${tpEvento}]`);
    const inner = payload.match(new RegExp(`<${detail.tag}>[\\s\\S]*?</${detail.tag}>`))?.[0] ?? `<${detail.tag}/>`;
    const err = this.schema(detail.xsd, inner.replace(`<${detail.tag}`, `<${detail.tag} xmlns="${CTE_NS}"`));
    if (err) return this.retEvento(payload, '215', undefined, ` [${err}]`);
    return this.store.db.transaction(() => this.decideEvento(payload, inf.inner, tpEvento, attrOf(inf.startTag, 'Id') ?? '', ctx))();
  }

  private registerEpec(evento: string, chave: string, nSeq: number, autor: string, now: number, refuse: (cStat: string, extra?: string) => string): string {
    if (this.site.target !== 'svc-rs' && this.site.target !== 'svc-sp') return refuse('489', ' [EPEC de CT-e vai à SVC da UF]');
    if (chave[34] !== '4') return refuse('489', ' [EPEC exige CT-e com tpEmis 4]');
    // The EPEC service of the SVC is open whether or not SEFAZ activated the SVC for authorizations.
    const uf = ufFromCode(chave.slice(0, 2));
    const svc = this.site.target === 'svc-rs' ? 'SVC-RS' : 'SVC-SP';
    if (!uf || cteSvcOf(uf) !== svc) return refuse('226', ` [${uf ?? chave.slice(0, 2)} não usa a ${svc}]`);
    if (this.store.events(chave).some((e) => e.tp_evento === '110113' && e.n_seq === nSeq)) return refuse('573');
    const overdue = this.store.overdueEpec(autor.slice(0, 8), '57', now - this.faults().epecPrazoMs);
    if (overdue) return refuse('142', ` [EPEC da chave ${overdue.chave} sem CT-e autorizado]`);
    const nProt = this.nProt(chave.slice(0, 2));
    const r = this.retEvento(evento, '136', nProt);
    const raw = findElement(evento, 'eventoCTe')!.raw;
    this.store.insertEvent({ chave, tp_evento: '110113', n_seq: nSeq, n_prot: nProt, evento_xml: raw, ret_xml: r, at_ms: now });
    this.store.insertEpec({ chave, cnpj: chave.slice(6, 20), mod: '57', serie: Number(chave.slice(22, 25)), nnf: Number(chave.slice(25, 34)), evento_xml: raw, at_ms: now });
    return r;
  }

  private decideEvento(evento: string, inf: string, tpEvento: string, id: string, ctx: RequestContext): string {
    const f = (n: string) => t(inf, n);
    const chave = f('chCTe');
    const nSeq = Number(f('nSeqEvento'));
    const autor = f('CNPJ') || f('CPF');
    const now = this.now();
    const refuse = (cStat: string, extra = '') => this.retEvento(evento, cStat, undefined, extra);
    if (f('tpAmb') !== TP_AMB) return refuse('252');
    const sig = verifyXmlSignatures(evento).find((s) => s.referenceId === id);
    if (!sig?.valid) return refuse('297', ` [${sig?.reason ?? 'evento sem assinatura'}]`);
    if (!ctx.certCnpj || ctx.certCnpj.slice(0, 8) !== autor.slice(0, 8)) return refuse('213');
    if (!isValidChave(chave)) return refuse('236');
    // CT-e EPEC (110113) is received by the UF's SVC, before the CT-e exists anywhere.
    if (tpEvento === '110113') return this.registerEpec(evento, chave, nSeq, autor, now, refuse);
    if (this.site.target !== 'autorizador') return refuse('489', ' [a SVC só recebe EPEC e eventos de CT-e que autorizou]');
    const row = this.store.nfe(chave);
    if (!row) return refuse('217');
    const events = this.store.events(chave);
    if (events.some((e) => e.tp_evento === tpEvento && e.n_seq === nSeq)) return refuse('573');
    if (row.status === 'denied') return refuse('205');
    if (row.status === 'cancelled') return refuse('218');
    const protOfCte = t(inf, 'nProt');
    const register = () => {
      const nProt = this.nProt(chave.slice(0, 2));
      const r = this.retEvento(evento, '135', nProt);
      this.store.insertEvent({ chave, tp_evento: tpEvento, n_seq: nSeq, n_prot: nProt, evento_xml: findElement(evento, 'eventoCTe')!.raw, ret_xml: r, at_ms: now });
      return r;
    };
    const cancelledCe = new Set(events.filter((e) => e.tp_evento === '110181').map((e) => t(e.evento_xml, 'nProtCE')));
    const liveComprovantes = events.filter((e) => e.tp_evento === '110180' && !cancelledCe.has(e.n_prot));
    const emitterEvent = tpEvento !== '610110';
    if (emitterEvent && autor.slice(0, 8) !== row.cnpj.slice(0, 8)) return refuse('213');
    switch (tpEvento) {
      case '110111': {
        if (protOfCte !== row.n_prot) return refuse('222');
        if (now - row.auth_ms > DAY_MS) return refuse('501');
        if (liveComprovantes.length > 0) return refuse('859');
        const r = register();
        this.store.setStatus(chave, 'cancelled');
        return r;
      }
      case '110110':
        return nSeq > CTE_MAX_SEQ ? refuse('215') : register();
      case '110180':
        return protOfCte !== row.n_prot ? refuse('222') : register();
      case '110181':
        if (protOfCte !== row.n_prot) return refuse('222');
        return liveComprovantes.some((e) => e.n_prot === t(inf, 'nProtCE')) ? register() : refuse('863');
      case '610110': {
        if (now - row.auth_ms > DESACORDO_DAYS * DAY_MS) return refuse('861');
        const stored = (this.store.db.prepare('select nfe_xml from nfe where chave = ?').get(chave) as { nfe_xml: string }).nfe_xml;
        if (tomadorOf(stored) !== autor) return refuse('862');
        return register();
      }
      default:
        return refuse('489');
    }
  }
}
