import { isoWithOffset } from '../../clock';
import { endereco, ieField, partyDoc as nfePartyDoc, ufField } from '../build';
import { buildChave, isValidChave, parseChave, randomCnf } from '../chave';
import { isAlphanumericCnpj, isValidCpf, onlyDigits } from '../documents';
import { orderError } from '../errors';
import type { InfRespTec } from '../model';
import { centsToText, D, fixed, parseDecimal, toCents } from '../money';
import { optionalText, requiredText, UF_CODES } from '../text';
import { toXml } from '../xml';
import { CTE_NAMESPACE, CUNID, type CteEndereco, type CteModel, type CteObs, type CteParte, type InfCte } from './model';
import type { CteIcms, CteMunicipio, CteOrder, CteParty } from './order';

const VER_PROC = 'Comboio 0.1.0';
const ISO_OFFSET = /^20\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d[+-](0\d|1[01]):00$/;
/** CFOPs of transport services: 5351–5360 / 6351–6360 and 5932 / 6932 (started in another UF). */
const TRANSPORT_CFOP = /^[56](35[1-9]|360|932)$/;
export const MAX_NFE_REFS = 2000;

export interface CteBuildContext {
  now?: Date;
  /** Series and number from the LAN server (model 57 series); override the order's. */
  numbering?: { serie: number; nCT: number };
  /** Fixed cCT (tests, re-signing the same key); random otherwise. */
  cCT?: string;
  respTec?: InfRespTec;
  verProc?: string;
}

export interface BuiltCte {
  /** Unsigned CTe (no declaration, no whitespace between tags), without infCTeSupl. */
  xml: string;
  chave: string;
  model: CteModel;
  /** infCTeSupl with the QR code: goes between infCte and the Signature after signing. */
  supl: string;
}

/** PL_CTe_400 only admits numeric CNPJs (TCnpj [0-9]{14}, keys [0-9]{44}). */
function noAlphanumeric(cnpj: string, field: string): void {
  if (isAlphanumericCnpj(cnpj)) {
    throw orderError(
      field,
      `CNPJ alfanumérico (${cnpj}) não é aceito pelo leiaute do CT-e 4.00 (PL_CTe_400): o schema oficial só admite CNPJ numérico. Aguarde a nota técnica do CT-e que adota o CNPJ alfanumérico.`,
    );
  }
}

function partyDoc(p: { cnpj?: string; cpf?: string }, field: string): { CNPJ?: string; CPF?: string } {
  const doc = nfePartyDoc(p, field, 'PL_010_V1.30');
  if (doc.CNPJ) noAlphanumeric(doc.CNPJ, `${field}.cnpj`);
  return doc;
}

/** TEndereco of the CT-e: the NF-e address checks, in the CT-e's tag order (CEP before UF, no fone). */
function cteEndereco(e: CteParty['endereco'] | undefined, field: string): CteEndereco {
  const a = endereco(e, field, false);
  return { xLgr: a.xLgr, nro: a.nro, xCpl: a.xCpl, xBairro: a.xBairro, cMun: a.cMun, xMun: a.xMun, CEP: a.CEP, UF: a.UF, cPais: a.cPais, xPais: a.xPais };
}

type Role = 'rem' | 'exped' | 'receb' | 'dest' | 'toma';
const ADDRESS_TAG: Record<Role, keyof CteParte> = { rem: 'enderReme', exped: 'enderExped', receb: 'enderReceb', dest: 'enderDest', toma: 'enderToma' };

function partyIe(p: CteParty, uf: string, field: string): string | undefined {
  if (p.ie === undefined || p.ie.trim() === '') return undefined;
  if (p.ie.trim().toUpperCase() === 'ISENTO') return 'ISENTO';
  return ieField(p.ie, uf, `${field}.ie`);
}

function buildParty(p: CteParty | undefined, field: string, role: Role): CteParte & { uf: string } {
  if (!p || typeof p !== 'object') throw orderError(field, `Informe os dados de ${field}.`);
  const doc = partyDoc(p, field);
  const ender = cteEndereco(p.endereco, `${field}.endereco`);
  const email = optionalText(p.email, `${field}.email`, { max: 60 });
  if (email && !/^[^@\s]+@[^@.\s]+\..+$/.test(email)) throw orderError(`${field}.email`, `E-mail inválido: "${email}".`);
  const fone = p.telefone === undefined ? undefined : onlyDigits(String(p.telefone));
  if (fone !== undefined && !/^\d{6,14}$/.test(fone)) throw orderError(`${field}.telefone`, `Telefone inválido em ${field}: "${p.telefone}".`);
  const withFant = role === 'rem' || role === 'toma';
  // Key order is the schema's: document, IE, name, (fantasia), fone, address, e-mail.
  return {
    ...doc,
    IE: partyIe(p, ender.UF, field),
    xNome: requiredText(p.razaoSocial, `${field}.razaoSocial`, { min: 2, max: 60 }),
    ...(withFant ? { xFant: optionalText(p.nomeFantasia, `${field}.nomeFantasia`, { max: 60 }) } : {}),
    fone,
    [ADDRESS_TAG[role]]: ender,
    email,
    uf: ender.UF,
  };
}

function stripUf<T extends { uf: string }>(p: T): Omit<T, 'uf'> {
  const { uf: _uf, ...rest } = p;
  return rest;
}

function municipio(m: CteMunicipio | undefined, fallback: CteEndereco, field: string): { c: string; x: string; uf: string } {
  if (!m) return { c: fallback.cMun, x: fallback.xMun, uf: fallback.UF };
  const uf = ufField(m.uf, `${field}.uf`);
  const c = String(m.codigoMunicipio ?? '');
  if (!/^\d{7}$/.test(c) || c.slice(0, 2) !== UF_CODES[uf]) throw orderError(`${field}.codigoMunicipio`, `Município ${c} não pertence à UF ${uf}.`);
  return { c, x: requiredText(m.municipio, `${field}.municipio`, { min: 2, max: 60 }), uf };
}

const pct = (v: CteIcms['aliquota'], field: string) => parseDecimal(v, field, { maxDecimals: 2, sign: 'positive', max: '100' });
const money = (v: CteIcms['credito'], field: string) => centsToText(toCents(parseDecimal(v, field, { maxDecimals: 2, sign: 'nonNegative' })));

/** imp/ICMS of the service: CST 00, 20, 45 (40/41/51), 60, 90 or Simples Nacional. */
export function icmsOfService(icms: CteIcms | undefined, vTPrestCents: number, crt: string): Record<string, Record<string, string>> {
  if (!icms) throw orderError('icms', 'Informe o ICMS da prestação (CST).');
  const simples = crt === '1' || crt === '4';
  if (simples !== (icms.cst === 'SN')) {
    throw orderError('icms.cst', simples ? 'Emitente do Simples Nacional (CRT 1/4) informa o ICMS como "SN" (grupo ICMSSN).' : 'O grupo do Simples Nacional (SN) só vale para emitente com CRT 1 ou 4.');
  }
  const deson: Record<string, string> = icms.desoneracao ? { vICMSDeson: money(icms.desoneracao.valor, 'icms.desoneracao.valor'), cBenef: requiredText(icms.desoneracao.cBenef, 'icms.desoneracao.cBenef', { min: 8, max: 10 }) } : {};
  const tax = (baseCents: number, rate: InstanceType<typeof D>) => centsToText(toCents(new D(baseCents).mul(rate).div(10_000)));
  switch (icms.cst) {
    case '00': {
      const p = pct(icms.aliquota, 'icms.aliquota');
      return { ICMS00: { CST: '00', vBC: centsToText(vTPrestCents), pICMS: fixed(p, 2), vICMS: tax(vTPrestCents, p) } };
    }
    case '20': {
      const red = pct(icms.reducaoBase, 'icms.reducaoBase');
      const p = pct(icms.aliquota, 'icms.aliquota');
      const base = toCents(new D(vTPrestCents).mul(new D(100).minus(red)).div(10_000));
      return { ICMS20: { CST: '20', pRedBC: fixed(red, 2), vBC: centsToText(base), pICMS: fixed(p, 2), vICMS: tax(base, p), ...deson } };
    }
    case '40':
    case '41':
    case '51':
      return { ICMS45: { CST: icms.cst, ...deson } };
    case '60': {
      const p = pct(icms.aliquota, 'icms.aliquota');
      const vCred: Record<string, string> = icms.credito === undefined ? {} : { vCred: money(icms.credito, 'icms.credito') };
      return { ICMS60: { CST: '60', vBCSTRet: centsToText(vTPrestCents), vICMSSTRet: tax(vTPrestCents, p), pICMSSTRet: fixed(p, 2), ...vCred, ...deson } };
    }
    case '90': {
      const p = pct(icms.aliquota, 'icms.aliquota');
      const red = icms.reducaoBase === undefined ? undefined : pct(icms.reducaoBase, 'icms.reducaoBase');
      const base = red ? toCents(new D(vTPrestCents).mul(new D(100).minus(red)).div(10_000)) : vTPrestCents;
      return {
        ICMS90: {
          CST: '90',
          ...(red ? { pRedBC: fixed(red, 2) } : ({} as Record<string, string>)),
          vBC: centsToText(base),
          pICMS: fixed(p, 2),
          vICMS: tax(base, p),
          ...(icms.credito === undefined ? {} : { vCred: money(icms.credito, 'icms.credito') }),
          ...deson,
        },
      };
    }
    case 'SN':
      return { ICMSSN: { CST: '90', indSN: '1' } };
    default:
      throw orderError('icms.cst', `CST do ICMS da prestação inválido: "${String((icms as { cst?: unknown }).cst)}" (use 00, 20, 40, 41, 51, 60, 90 ou SN).`);
  }
}

function observations(order: CteOrder): CteObs[] | undefined {
  const obs: CteObs[] = [];
  if (order.veiculo) {
    const placa = String(order.veiculo.placa ?? '').replace(/[-\s]/g, '').toUpperCase();
    if (!/^([A-Z]{3}\d{4}|[A-Z]{3}\d[A-Z]\d{2})$/.test(placa)) throw orderError('veiculo.placa', `Placa inválida: "${order.veiculo.placa}".`);
    const uf = order.veiculo.uf === undefined ? '' : ` UF ${ufField(order.veiculo.uf, 'veiculo.uf')}`;
    const renavam = order.veiculo.renavam === undefined ? '' : ` RENAVAM ${onlyDigits(String(order.veiculo.renavam))}`;
    obs.push({ '@xCampo': 'VEICULO', xTexto: `${placa}${uf}${renavam}` });
  }
  if (order.motorista) {
    const cpf = onlyDigits(String(order.motorista.cpf ?? ''));
    if (!isValidCpf(cpf)) throw orderError('motorista.cpf', `CPF do motorista inválido: "${order.motorista.cpf}".`);
    const nome = requiredText(order.motorista.nome, 'motorista.nome', { min: 2, max: 60 });
    obs.push({ '@xCampo': 'MOTORISTA', xTexto: `${nome} CPF ${cpf}` });
  }
  for (const [i, p] of (order.produtosPerigosos ?? []).entries()) {
    const f = `produtosPerigosos[${i}]`;
    const onu = String(p.onu ?? '');
    if (!/^\d{4}$/.test(onu)) throw orderError(`${f}.onu`, `Número ONU deve ter 4 dígitos: "${onu}".`);
    const text = [`ONU ${onu}`, requiredText(p.nomeEmbarque, `${f}.nomeEmbarque`, { max: 80 }), `CLASSE ${requiredText(p.classe, `${f}.classe`, { max: 10 })}`, p.grupoEmbalagem ? `GE ${p.grupoEmbalagem}` : '', p.quantidade ?? '']
      .filter(Boolean)
      .join(' ');
    obs.push({ '@xCampo': 'PRODUTO PERIGOSO', xTexto: requiredText(text, f, { max: 160 }) });
  }
  if (obs.length > 10) throw orderError('produtosPerigosos', 'O CT-e aceita no máximo 10 observações (veículo, motorista e produtos perigosos).');
  return obs.length ? obs : undefined;
}

function nfeRefs(order: CteOrder): Array<{ chave: string; PIN?: string; dPrev?: string }> {
  const list = order.documentos?.nfe;
  if (!Array.isArray(list) || list.length === 0) throw orderError('documentos.nfe', 'Informe ao menos uma NF-e transportada.');
  if (list.length > MAX_NFE_REFS) throw orderError('documentos.nfe', `No máximo ${MAX_NFE_REFS} NF-e por CT-e.`);
  const seen = new Set<string>();
  return list.map((r, i) => {
    const f = `documentos.nfe[${i}]`;
    const chave = String(r?.chave ?? '').replace(/\s+/g, '');
    if (!isValidChave(chave)) throw orderError(`${f}.chave`, `Chave de NF-e inválida: "${chave}".`);
    if (parseChave(chave).mod !== '55') throw orderError(`${f}.chave`, `A chave ${chave} não é de uma NF-e (modelo 55).`);
    noAlphanumeric(chave.slice(6, 20), `${f}.chave`);
    if (seen.has(chave)) throw orderError(`${f}.chave`, `NF-e ${chave} informada duas vezes.`);
    seen.add(chave);
    if (r.pin !== undefined && !/^[1-9]\d{1,8}$/.test(String(r.pin))) throw orderError(`${f}.pin`, `PIN SUFRAMA inválido: "${r.pin}".`);
    if (r.previsaoEntrega !== undefined && !/^20\d\d-\d\d-\d\d$/.test(r.previsaoEntrega)) throw orderError(`${f}.previsaoEntrega`, 'Previsão de entrega deve ser AAAA-MM-DD.');
    return { chave, PIN: r.pin === undefined ? undefined : String(r.pin), dPrev: r.previsaoEntrega };
  });
}

/** QR code of the DACTE (NT 2019.001 / MOC 4.00): portal of the authorizer, key and environment. */
export function qrCodeUrl(chave: string, tpAmb: string): string {
  return `https://dfe-portal.svrs.rs.gov.br/cte/qrCode?chCTe=${chave}&tpAmb=${tpAmb}`;
}

/**
 * Builds the unsigned CT-e 4.00 (model 57, modal rodoviário, normal) for a freight order.
 * Checks what the schema and SEFAZ's first validations would reject, naming the order field.
 */
export function buildCte(order: CteOrder, ctx: CteBuildContext = {}): BuiltCte {
  if (!order || typeof order !== 'object') throw orderError('', 'Pedido de frete vazio ou inválido.');
  const serie = ctx.numbering?.serie ?? order.serie;
  const nCT = ctx.numbering?.nCT ?? order.numero;
  if (!Number.isInteger(serie) || serie! < 0 || serie! > 999) throw orderError('serie', `Série inválida: ${String(serie)} (0 a 999).`);
  if (!Number.isInteger(nCT) || nCT! < 1 || nCT! > 999_999_999) throw orderError('numero', `Número inválido: ${String(nCT)} (1 a 999999999).`);
  const tpAmb = order.ambiente ?? 2;
  if (tpAmb !== 1 && tpAmb !== 2) throw orderError('ambiente', 'Ambiente deve ser 1 (produção) ou 2 (homologação).');
  const dhEmi = order.emissao ?? isoWithOffset(ctx.now ?? new Date());
  if (!ISO_OFFSET.test(dhEmi)) throw orderError('emissao', `Data de emissão deve ser ISO com fuso de hora cheia (AAAA-MM-DDThh:mm:ss-03:00): "${dhEmi}".`);

  const e = order.emitente;
  if (!e) throw orderError('emitente', 'Informe o emitente (transportadora).');
  const emitDoc = partyDoc(e, 'emitente');
  const ee = endereco(e.endereco, 'emitente.endereco', true);
  if (![1, 2, 3, 4].includes(Number(e.crt))) throw orderError('emitente.crt', 'CRT do emitente deve ser 1, 2, 3 ou 4.');
  if (typeof e.ie !== 'string' || !/\d/.test(e.ie)) throw orderError('emitente.ie', 'Informe a inscrição estadual da transportadora.');
  const fone = e.telefone ?? e.endereco?.telefone;
  const emit: InfCte['emit'] = {
    ...emitDoc,
    IE: ieField(e.ie, ee.UF, 'emitente.ie'),
    xNome: requiredText(e.razaoSocial, 'emitente.razaoSocial', { min: 2, max: 60 }),
    xFant: optionalText(e.nomeFantasia, 'emitente.nomeFantasia', { max: 60 }),
    enderEmit: { xLgr: ee.xLgr, nro: ee.nro, xCpl: ee.xCpl, xBairro: ee.xBairro, cMun: ee.cMun, xMun: ee.xMun, CEP: ee.CEP, UF: ee.UF, fone: fone === undefined ? undefined : onlyDigits(String(fone)) },
    CRT: String(e.crt),
  };

  const rem = buildParty(order.remetente, 'remetente', 'rem');
  const dest = buildParty(order.destinatario, 'destinatario', 'dest');
  const exped = order.expedidor ? buildParty(order.expedidor, 'expedidor', 'exped') : undefined;
  const receb = order.recebedor ? buildParty(order.recebedor, 'recebedor', 'receb') : undefined;

  const t = order.tomador;
  const tomaCodes = { remetente: '0', expedidor: '1', recebedor: '2', destinatario: '3' } as const;
  let tomaParty: CteParte & { uf: string };
  let toma3: { toma: string } | undefined;
  let toma4: ({ toma: '4' } & CteParte) | undefined;
  if (!t || typeof t !== 'object') throw orderError('tomador', 'Informe o tomador do serviço.');
  if (t.tipo === 'outro') {
    tomaParty = buildParty(t, 'tomador', 'toma');
    toma4 = { toma: '4', ...stripUf(tomaParty) };
  } else if (t.tipo in tomaCodes) {
    const p = { remetente: rem, expedidor: exped, recebedor: receb, destinatario: dest }[t.tipo];
    if (!p) throw orderError('tomador.tipo', `O tomador é o ${t.tipo}, mas o CT-e não tem ${t.tipo}.`);
    tomaParty = p;
    toma3 = { toma: tomaCodes[t.tipo] };
  } else throw orderError('tomador.tipo', `Tipo de tomador inválido: "${String((t as { tipo?: unknown }).tipo)}" (remetente, expedidor, recebedor, destinatario ou outro).`);
  const indIEToma = tomaParty.IE === 'ISENTO' ? '2' : tomaParty.IE ? '1' : '9';

  const startAddr = (exped?.enderExped ?? rem.enderReme)!;
  const endAddr = (receb?.enderReceb ?? dest.enderDest)!;
  const ini = municipio(order.inicio, startAddr, 'inicio');
  const fim = municipio(order.fim, endAddr, 'fim');
  const cfop = String(order.cfop ?? '');
  if (!TRANSPORT_CFOP.test(cfop)) throw orderError('cfop', `CFOP ${cfop || '(vazio)'} não é de prestação de serviço de transporte (5351–5360, 5932, 6351–6360, 6932).`);
  if (cfop[0] !== (ini.uf === fim.uf ? '5' : '6')) {
    throw orderError('cfop', `CFOP ${cfop} não combina com a prestação ${ini.uf === fim.uf ? 'interna' : 'interestadual'} (${ini.uf} → ${fim.uf}).`);
  }

  const comps = order.prestacao?.componentes;
  if (!Array.isArray(comps) || comps.length === 0) throw orderError('prestacao.componentes', 'Informe ao menos um componente do valor da prestação (ex.: FRETE).');
  const Comp = comps.map((c, i) => ({
    xNome: requiredText(c?.nome, `prestacao.componentes[${i}].nome`, { max: 15 }),
    vComp: centsToText(toCents(parseDecimal(c?.valor, `prestacao.componentes[${i}].valor`, { maxDecimals: 2, sign: 'nonNegative' }))),
  }));
  const vTPrestCents = Comp.reduce((a, c) => a + toCents(new D(c.vComp)), 0);
  if (vTPrestCents <= 0) throw orderError('prestacao.componentes', 'O valor total da prestação deve ser maior que zero.');
  const vRecCents = order.prestacao.valorReceber === undefined ? vTPrestCents : toCents(parseDecimal(order.prestacao.valorReceber, 'prestacao.valorReceber', { maxDecimals: 2, sign: 'nonNegative' }));
  if (vRecCents > vTPrestCents) throw orderError('prestacao.valorReceber', 'O valor a receber não pode passar do valor total da prestação.');

  const ICMS = icmsOfService(order.icms, vTPrestCents, emit.CRT);

  const c = order.carga;
  if (!c) throw orderError('carga', 'Informe a carga (produto predominante e quantidades).');
  if (!Array.isArray(c.quantidades) || c.quantidades.length === 0) throw orderError('carga.quantidades', 'Informe ao menos uma quantidade da carga (ex.: LITROS).');
  const infQ = c.quantidades.map((q, i) => {
    const f = `carga.quantidades[${i}]`;
    const cUnid = CUNID[String(q?.unidade ?? '')];
    if (!cUnid) throw orderError(`${f}.unidade`, `Unidade da carga inválida: "${String(q?.unidade ?? '')}" (M3, KG, TON, UNIDADE, LITROS ou MMBTU).`);
    return { cUnid, tpMed: requiredText(q.tipoMedida, `${f}.tipoMedida`, { max: 20 }), qCarga: fixed(parseDecimal(q.quantidade, `${f}.quantidade`, { maxDecimals: 4, sign: 'nonNegative', max: '99999999999.9999' }), 4) };
  });

  const cUF = UF_CODES[ee.UF]!;
  const cCT = ctx.cCT ?? randomCnf(nCT!);
  if (!/^\d{8}$/.test(cCT) || Number(cCT) === nCT) throw orderError('cCT', 'cCT deve ter 8 dígitos e ser diferente do número do CT-e.');
  const chave = buildChave({ cUF, aamm: dhEmi.slice(2, 4) + dhEmi.slice(5, 7), emitente: emit.CNPJ ?? emit.CPF!, mod: '57', serie: serie!, nNF: nCT!, tpEmis: 1, cNF: cCT });
  const xObs = optionalText(order.observacoes, 'observacoes', { max: 2000 });
  const ObsCont = observations(order);

  const infCte: InfCte = {
    '@versao': '4.00',
    '@Id': `CTe${chave}`,
    ide: {
      cUF,
      cCT,
      CFOP: cfop,
      natOp: requiredText(order.natureza, 'natureza', { max: 60 }),
      mod: '57',
      serie: String(serie),
      nCT: String(nCT),
      dhEmi,
      tpImp: '1',
      tpEmis: '1',
      cDV: chave.slice(-1),
      tpAmb: String(tpAmb),
      tpCTe: '0',
      procEmi: '0',
      verProc: ctx.verProc ?? VER_PROC,
      cMunEnv: ee.cMun,
      xMunEnv: ee.xMun,
      UFEnv: ee.UF,
      modal: '01',
      tpServ: '0',
      cMunIni: ini.c,
      xMunIni: ini.x,
      UFIni: ini.uf,
      cMunFim: fim.c,
      xMunFim: fim.x,
      UFFim: fim.uf,
      retira: '1',
      indIEToma,
      ...(toma3 ? { toma3 } : { toma4: toma4! }),
    },
    compl: xObs || ObsCont ? { xObs, ObsCont } : undefined,
    emit,
    rem: stripUf(rem),
    exped: exped ? stripUf(exped) : undefined,
    receb: receb ? stripUf(receb) : undefined,
    dest: stripUf(dest),
    vPrest: { vTPrest: centsToText(vTPrestCents), vRec: centsToText(vRecCents), Comp },
    imp: { ICMS },
    infCTeNorm: {
      infCarga: {
        vCarga: c.valor === undefined ? undefined : centsToText(toCents(parseDecimal(c.valor, 'carga.valor', { maxDecimals: 2, sign: 'nonNegative' }))),
        proPred: requiredText(c.produtoPredominante, 'carga.produtoPredominante', { max: 60 }),
        xOutCat: optionalText(c.outrasCaracteristicas, 'carga.outrasCaracteristicas', { max: 30 }),
        infQ,
      },
      infDoc: { infNFe: nfeRefs(order) },
      infModal: { '@versaoModal': '4.00', rodo: { RNTRC: rntrc(order.rodoviario?.rntrc) } },
    },
    infRespTec: ctx.respTec as InfCte['infRespTec'],
  };
  const qrCodCTe = qrCodeUrl(chave, String(tpAmb));
  const xml = `<CTe xmlns="${CTE_NAMESPACE}">${toXml('infCte', infCte)}</CTe>`;
  return { xml, chave, model: { chave, infCte, qrCodCTe }, supl: `<infCTeSupl><qrCodCTe>${qrCodCTe.replace(/&/g, '&amp;')}</qrCodCTe></infCTeSupl>` };
}

function rntrc(value: unknown): string {
  const v = String(value ?? '').trim().toUpperCase();
  if (!/^(\d{8}|ISENTO)$/.test(v)) throw orderError('rodoviario.rntrc', `RNTRC da transportadora deve ter 8 dígitos (ou ISENTO): "${String(value ?? '')}".`);
  return v;
}
