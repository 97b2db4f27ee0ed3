import { isoWithOffset } from '../clock';
import { buildChave, randomCnf } from './chave';
import { checkIe, isAlphanumericCnpj, isValidCnpj, isValidCpf, onlyCnpjChars, onlyDigits } from './documents';
import { orderFieldLabel } from './order-labels';
import { orderError } from './errors';
import type { Dest, Det, Emit, Endereco, InfAdic, InfNFe, InfRespTec, NfeModel, Pag, Total, Transp } from './model';
import { apportion, centsToText, discountCents, fixed, parseDecimal, scaled, textToCents, toCents } from './money';
import type { Order, OrderEndereco, OrderItem } from './order';
import type { NfeLayout } from './schema-validate';
import { computeTotals, ibsCbsGroup, icmsGroup, MONOPHASIC_CSTS, pisCofinsGroup, type ItemBase } from './taxes';
import { digitsField, optionalText, requiredText, UF_CODES } from './text';
import { toXml } from './xml';

export const NFE_NAMESPACE = 'http://www.portalfiscal.inf.br/nfe';
export const MAX_ITEMS = 990;
/** Rejection 598: in homologation the recipient's name must be exactly this. */
export const HOMOLOG_DEST_NAME = 'NF-E EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL';
const VER_PROC = 'Comboio 0.1.0';

export interface BuildContext {
  layout: NfeLayout;
  /** Clock for dhEmi when the order has no `emissao`. */
  now?: Date;
  /** Series and number from the LAN server; override the order's. */
  numbering?: { serie: number; nNF: number };
  /** Fixed cNF (tests, re-signing the same key); random otherwise. */
  cNF?: string;
  /** 1 normal; 4 EPEC, 5 FS-DA, 6 SVC-AN, 7 SVC-RS need `contingencia`. */
  tpEmis?: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 9;
  contingencia?: { dhCont: string; xJust: string };
  respTec?: InfRespTec;
  verProc?: string;
}

export interface BuiltNfe {
  /** Unsigned NFe document (no XML declaration, no whitespace between tags). */
  xml: string;
  chave: string;
  model: NfeModel;
}

const ISO_OFFSET = /^20\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d[+-](0\d|1[0-4]):[0-5]\d$/;
const FUEL_CFOP = /^[567]6(5[1-9]|6[0-7])$/;

export function ufField(value: unknown, field: string): string {
  const uf = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (!UF_CODES[uf]) throw orderError(field, `${orderFieldLabel(field)} inválida: "${String(value ?? '')}".`);
  return uf;
}

export function endereco(e: OrderEndereco | undefined, field: string, emitente: boolean): Endereco {
  if (!e || typeof e !== 'object') throw orderError(field, `Informe o endereço (${field}).`);
  const UF = ufField(e.uf, `${field}.uf`);
  const cMun = digitsField(e.codigoMunicipio, `${field}.codigoMunicipio`, /^\d{7}$/, 'Código IBGE do município');
  if (cMun.slice(0, 2) !== UF_CODES[UF]) throw orderError(`${field}.codigoMunicipio`, `O município ${cMun} não pertence à UF ${UF}.`);
  const cep = e.cep === undefined ? undefined : digitsField(e.cep, `${field}.cep`, /^\d{8}$/, 'CEP');
  if (emitente && !cep) throw orderError(`${field}.cep`, 'O CEP do emitente é obrigatório.');
  const fone = e.telefone === undefined ? undefined : digitsField(e.telefone, `${field}.telefone`, /^\d{6,14}$/, 'Telefone');
  return {
    xLgr: requiredText(e.logradouro, `${field}.logradouro`, { min: 2, max: 60 }),
    nro: requiredText(e.numero, `${field}.numero`, { max: 60 }),
    xCpl: optionalText(e.complemento, `${field}.complemento`, { max: 60 }),
    xBairro: requiredText(e.bairro, `${field}.bairro`, { min: 2, max: 60 }),
    cMun,
    xMun: requiredText(e.municipio, `${field}.municipio`, { min: 2, max: 60 }),
    UF,
    CEP: cep,
    cPais: '1058',
    xPais: 'BRASIL',
    fone,
  };
}

export function partyDoc(p: { cnpj?: string; cpf?: string }, field: string, layout: NfeLayout): { CNPJ?: string; CPF?: string } {
  if (p.cnpj !== undefined && p.cpf !== undefined) throw orderError(field, `Informe CNPJ ou CPF em ${field}, não os dois.`);
  if (p.cnpj !== undefined) {
    const cnpj = onlyCnpjChars(String(p.cnpj));
    if (!isValidCnpj(cnpj)) throw orderError(`${field}.cnpj`, `${orderFieldLabel(`${field}.cnpj`)} inválido: "${p.cnpj}" (dígito verificador não confere).`);
    if (layout === 'PL_009_V4' && isAlphanumericCnpj(cnpj)) {
      throw orderError(`${field}.cnpj`, `CNPJ alfanumérico (${cnpj}) exige o leiaute PL_010_V1.30.`);
    }
    return { CNPJ: cnpj };
  }
  if (p.cpf !== undefined) {
    const cpf = onlyDigits(String(p.cpf));
    if (!isValidCpf(cpf)) throw orderError(`${field}.cpf`, `${orderFieldLabel(`${field}.cpf`)} inválido: "${p.cpf}" (dígito verificador não confere).`);
    return { CPF: cpf };
  }
  throw orderError(field, `Informe o CNPJ ou o CPF (${orderFieldLabel(field)}).`);
}

export function ieField(ie: string, uf: string, field: string): string {
  const digits = ie.replace(/[.\-/\s]/g, '');
  if (checkIe(digits, uf) === 'invalid') throw orderError(field, `Inscrição estadual inválida para ${uf}: "${ie}".`);
  return digits;
}

function buildEmit(order: Order, layout: NfeLayout): Emit {
  const e = order.emitente;
  if (!e) throw orderError('emitente', 'Informe o emitente.');
  const doc = partyDoc(e, 'emitente', layout);
  const enderEmit = endereco(e.endereco, 'emitente.endereco', true);
  if (![1, 2, 3, 4].includes(Number(e.crt))) throw orderError('emitente.crt', 'CRT do emitente deve ser 1, 2, 3 ou 4.');
  if (typeof e.ie !== 'string' || e.ie.trim().toUpperCase() === 'ISENTO') throw orderError('emitente.ie', 'Informe a inscrição estadual do emitente.');
  return {
    ...doc,
    xNome: requiredText(e.razaoSocial, 'emitente.razaoSocial', { min: 2, max: 60 }),
    xFant: optionalText(e.nomeFantasia, 'emitente.nomeFantasia', { max: 60 }),
    enderEmit,
    IE: ieField(e.ie, enderEmit.UF, 'emitente.ie'),
    IEST: e.iest === undefined ? undefined : digitsField(e.iest, 'emitente.iest', /^\d{2,14}$/, 'IE do substituto'),
    CRT: String(e.crt),
  };
}

function buildDest(order: Order, layout: NfeLayout, tpAmb: number): Dest {
  const d = order.destinatario;
  if (!d) throw orderError('destinatario', 'Informe o destinatário.');
  const doc = partyDoc(d, 'destinatario', layout);
  const enderDest = endereco(d.endereco, 'destinatario.endereco', false);
  const ieText = typeof d.ie === 'string' ? d.ie.trim().toUpperCase() : undefined;
  let indIEDest: string;
  let IE: string | undefined;
  if (ieText === 'ISENTO') indIEDest = '2';
  else if (ieText) {
    IE = ieField(ieText, enderDest.UF, 'destinatario.ie');
    indIEDest = '1';
  } else indIEDest = '9';
  if (d.indIEDest !== undefined && String(d.indIEDest) !== indIEDest) {
    // Contribuinte with IE must be 1; ISENTO 2; without IE only 9 (rejections 232/233/234).
    throw orderError('destinatario.indIEDest', `indIEDest ${d.indIEDest} não combina com a IE informada ("${d.ie ?? ''}").`);
  }
  const email = d.email === undefined ? undefined : requiredText(d.email, 'destinatario.email', { max: 60 });
  if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw orderError('destinatario.email', `E-mail inválido: "${email}".`);
  const xNome = requiredText(d.razaoSocial, 'destinatario.razaoSocial', { min: 2, max: 60 });
  return { ...doc, xNome: tpAmb === 2 ? HOMOLOG_DEST_NAME : xNome, enderDest, indIEDest, IE, email };
}

interface ItemCalc {
  base: ItemBase;
  item: OrderItem;
  vProdCents: number;
  vUnCom: string;
  discountCents: number;
  cfop: string;
  fuel: boolean;
  cst: string;
}

function itemCalcs(order: Order, idDest: string): ItemCalc[] {
  return order.itens.map((item, i) => {
    const field = `itens[${i}]`;
    const p = item?.produto;
    if (!p) throw orderError(`${field}.produto`, `Item ${i + 1} sem produto.`);
    const q = parseDecimal(item.quantidade, `${field}.quantidade`, { maxDecimals: 4, sign: 'positive' });
    const vUn = parseDecimal(item.valorUnitario, `${field}.valorUnitario`, { maxDecimals: 10, sign: 'positive' });
    // vProd = qCom × vUnCom rounded to centavos: what SEFAZ recomputes (rejection 629).
    const vProdCents = toCents(q.mul(vUn));
    if (vProdCents <= 0) throw orderError(`${field}.valorUnitario`, `Valor do item ${i + 1} arredonda para zero.`);
    const rule = p.cfop ?? order.natureza.cfop;
    const cfop = idDest === '1' ? rule?.interna : idDest === '2' ? rule?.interestadual : rule?.exterior;
    if (!cfop || !/^[1235-7]\d{3}$/.test(cfop)) throw orderError(`${field}.cfop`, `CFOP não definido ou inválido para a operação (${idDest === '1' ? 'interna' : 'interestadual'}).`);
    if (idDest === '1' && cfop[0] !== '5') throw orderError(`${field}.cfop`, `CFOP ${cfop} não é de operação interna (5xxx).`);
    if (idDest === '2' && cfop[0] !== '6') throw orderError(`${field}.cfop`, `CFOP ${cfop} não é de operação interestadual (6xxx).`);
    const icmsRule = p.icms ?? order.natureza.icms;
    const cst = icmsRule?.cst ?? '';
    const fuel = FUEL_CFOP.test(cfop) || (MONOPHASIC_CSTS as readonly string[]).includes(cst) || p.anp !== undefined;
    if (fuel && (!p.anp || !/^\d{9}$/.test(String(p.anp.codigo ?? '')))) {
      // A fuel CFOP or monofásico CST without prod/comb is rejected (660).
      throw orderError(`${field}.produto.anp.codigo`, `Combustível "${p.descricao ?? p.codigo}" sem código ANP (9 dígitos).`);
    }
    const discount = discountCents(item.desconto, vProdCents, `${field}.desconto`, q);
    if (discount > vProdCents) throw orderError(`${field}.desconto`, `Desconto do item ${i + 1} maior que o valor do produto.`);
    return {
      base: { q, netCents: vProdCents - discount, produto: p, field },
      item,
      vProdCents,
      vUnCom: scaled(vUn, 2, 10),
      discountCents: discount,
      cfop,
      fuel,
      cst,
    };
  });
}

/** Applies the order discount (especial) then the customer discount (pagador), in that order. */
function applyOrderDiscounts(order: Order, calcs: ItemCalc[]): void {
  for (const [key, label] of [
    ['descontoEspecial', 'especial'],
    ['descontoPagador', 'do pagador'],
  ] as const) {
    const base = calcs.reduce((a, c) => a + c.base.netCents, 0);
    const cents = discountCents(order[key], base, key);
    if (cents === 0) continue;
    if (cents > base) throw orderError(key, `Desconto ${label} maior que o valor restante do pedido.`);
    const parts = apportion(cents, calcs.map((c) => c.base.netCents));
    calcs.forEach((c, i) => {
      c.discountCents += parts[i]!;
      c.base.netCents -= parts[i]!;
    });
  }
}

function buildDet(order: Order, calcs: ItemCalc[], ctx: BuildContext, emit: Emit, dest: Dest): Det[] {
  const crt = Number(emit.CRT);
  return calcs.map((c, i) => {
    const p = c.item.produto;
    const f = c.base.field;
    const ean = p.gtin ? digitsField(p.gtin, `${f}.produto.gtin`, /^(\d{8}|\d{12,14})$/, 'GTIN') : 'SEM GTIN';
    const qCom = fixed(c.base.q, 4);
    const uCom = requiredText(p.unidade, `${f}.produto.unidade`, { max: 6 });
    const comb = c.fuel
      ? {
          cProdANP: String(p.anp!.codigo),
          descANP: requiredText(p.anp!.descricao, `${f}.produto.anp.descricao`, { min: 2, max: 95 }),
          CODIF: p.codif === undefined ? undefined : digitsField(p.codif, `${f}.produto.codif`, /^\d{1,21}$/, 'CODIF'),
          UFCons: dest.enderDest?.UF ?? emit.enderEmit.UF,
          pBio: p.pBio === undefined ? undefined : scaled(parseDecimal(p.pBio, `${f}.produto.pBio`, { maxDecimals: 4, max: '100' }), 0, 4),
        }
      : undefined;
    const icmsRule = p.icms ?? order.natureza.icms;
    const det: Det = {
      '@nItem': String(i + 1),
      prod: {
        cProd: requiredText(p.codigo, `${f}.produto.codigo`, { max: 60 }),
        cEAN: ean,
        xProd: requiredText(p.descricao, `${f}.produto.descricao`, { max: 120 }),
        NCM: digitsField(p.ncm, `${f}.produto.ncm`, /^(\d{8}|\d{2})$/, 'NCM'),
        CEST: p.cest === undefined ? undefined : digitsField(p.cest, `${f}.produto.cest`, /^\d{7}$/, 'CEST'),
        CFOP: c.cfop,
        uCom,
        qCom,
        vUnCom: c.vUnCom,
        vProd: centsToText(c.vProdCents),
        cEANTrib: ean,
        uTrib: uCom,
        qTrib: qCom,
        vUnTrib: c.vUnCom,
        vDesc: c.discountCents > 0 ? centsToText(c.discountCents) : undefined,
        indTot: '1',
        xPed: c.item.pedidoCliente ? requiredText(c.item.pedidoCliente.numero, `${f}.pedidoCliente.numero`, { max: 15 }) : undefined,
        nItemPed: c.item.pedidoCliente?.item === undefined ? undefined : digitsField(c.item.pedidoCliente.item, `${f}.pedidoCliente.item`, /^\d{1,6}$/, 'Item do pedido'),
        comb,
      },
      imposto: {
        ICMS: icmsGroup(icmsRule, c.base, crt),
        PIS: pisCofinsGroup('PIS', order.natureza.pis, c.base),
        COFINS: pisCofinsGroup('COFINS', order.natureza.cofins, c.base),
        IBSCBS: ctx.layout === 'PL_010_V1.30' && order.natureza.ibsCbs ? ibsCbsGroup(order.natureza.ibsCbs, c.base) : undefined,
      },
      infAdProd: optionalText(c.item.informacoes, `${f}.informacoes`, { max: 500 }),
    };
    return det;
  });
}

function buildTransp(order: Order, calcs: ItemCalc[], layout: NfeLayout): Transp {
  const t = order.transporte;
  if (!t || ![0, 1, 2, 3, 4, 9].includes(Number(t.modFrete))) throw orderError('transporte.modFrete', 'Informe a modalidade do frete (0, 1, 2, 3, 4 ou 9).');
  if (calcs.some((c) => c.fuel) && !t.transportador) {
    throw orderError('transporte.transportador', 'Venda de combustível exige o transportador (rejeição 362).');
  }
  const tr = t.transportador;
  const transp: Transp = { modFrete: String(t.modFrete) };
  if (tr) {
    const uf = tr.uf === undefined ? undefined : ufField(tr.uf, 'transporte.transportador.uf');
    const ie = tr.ie === undefined ? undefined : tr.ie.trim().toUpperCase() === 'ISENTO' ? 'ISENTO' : uf ? ieField(tr.ie, uf, 'transporte.transportador.ie') : undefined;
    transp.transporta = {
      ...(tr.cnpj !== undefined || tr.cpf !== undefined ? partyDoc(tr, 'transporte.transportador', layout) : {}),
      xNome: requiredText(tr.nome, 'transporte.transportador.nome', { min: 2, max: 60 }),
      IE: ie,
      xEnder: optionalText(tr.endereco, 'transporte.transportador.endereco', { max: 60 }),
      xMun: optionalText(tr.municipio, 'transporte.transportador.municipio', { min: 2, max: 60 }),
      UF: uf,
    };
  }
  if (t.veiculo) {
    const placa = String(t.veiculo.placa ?? '').replace(/[-\s]/g, '').toUpperCase();
    if (!/^([A-Z]{2,3}\d{4}|[A-Z]{3,4}\d{3}|[A-Z0-9]{7})$/.test(placa)) throw orderError('transporte.veiculo.placa', `Placa inválida: "${t.veiculo.placa}".`);
    transp.veicTransp = {
      placa,
      UF: t.veiculo.uf === undefined ? undefined : ufField(t.veiculo.uf, 'transporte.veiculo.uf'),
      RNTC: optionalText(t.veiculo.rntc, 'transporte.veiculo.rntc', { max: 20 }),
    };
  }
  if (t.volumes?.length) {
    transp.vol = t.volumes.map((v, i) => ({
      qVol: v.quantidade === undefined ? undefined : digitsField(v.quantidade, `transporte.volumes[${i}].quantidade`, /^\d{1,15}$/, 'Quantidade de volumes'),
      esp: optionalText(v.especie, `transporte.volumes[${i}].especie`, { max: 60 }),
      marca: optionalText(v.marca, `transporte.volumes[${i}].marca`, { max: 60 }),
      nVol: optionalText(v.numeracao, `transporte.volumes[${i}].numeracao`, { max: 60 }),
      pesoL: v.pesoLiquido === undefined ? undefined : fixed(parseDecimal(v.pesoLiquido, `transporte.volumes[${i}].pesoLiquido`, { maxDecimals: 3, sign: 'nonNegative' }), 3),
      pesoB: v.pesoBruto === undefined ? undefined : fixed(parseDecimal(v.pesoBruto, `transporte.volumes[${i}].pesoBruto`, { maxDecimals: 3, sign: 'nonNegative' }), 3),
    }));
  }
  return transp;
}

function buildPag(order: Order, total: Total): Pag {
  const vNF = textToCents(total.ICMSTot.vNF);
  const list = order.pagamentos?.length ? order.pagamentos : [{ tPag: '90' }];
  const detPag = list.map((p, i) => {
    const f = `pagamentos[${i}]`;
    const tPag = digitsField(p.tPag, `${f}.tPag`, /^\d{2}$/, 'Meio de pagamento (tPag)');
    // "90 sem pagamento" carries vPag 0; a single payment without value pays the whole note.
    const cents = tPag === '90' ? 0 : p.valor === undefined ? (list.length === 1 ? vNF : -1) : toCents(parseDecimal(p.valor, `${f}.valor`, { maxDecimals: 2 }));
    if (cents < 0) throw orderError(`${f}.valor`, 'Com mais de um pagamento, informe o valor de cada um.');
    if (tPag === '99' && !p.descricao) throw orderError(`${f}.descricao`, 'Meio de pagamento 99 (outros) exige a descrição.');
    return {
      indPag: p.indPag === undefined ? undefined : String(p.indPag),
      tPag,
      xPag: optionalText(p.descricao, `${f}.descricao`, { min: 2, max: 60 }),
      vPag: centsToText(cents),
    };
  });
  const paid = detPag.reduce((a, d) => a + textToCents(d.vPag), 0);
  if (detPag.some((d) => d.tPag !== '90') && paid < vNF) {
    throw orderError('pagamentos', `Pagamentos (R$ ${centsToText(paid)}) menores que o total da nota (R$ ${centsToText(vNF)}).`);
  }
  return { detPag, vTroco: paid > vNF ? centsToText(paid - vNF) : undefined };
}

function fillTemplate(template: string, total: Total): string {
  const values = total.ICMSTot as unknown as Record<string, string | undefined>;
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => values[name] ?? '0.00');
}

function buildInfAdic(order: Order, total: Total): InfAdic | undefined {
  const n = order.natureza;
  const fisco = n.infAdFisco ? fillTemplate(n.infAdFisco, total) : undefined;
  const cpl = [n.infCpl ? fillTemplate(n.infCpl, total) : undefined, order.observacoes].filter((s) => s && s.trim()).join(' ');
  const infAdic: InfAdic = {
    infAdFisco: optionalText(fisco, 'natureza.infAdFisco', { max: 2000 }),
    infCpl: optionalText(cpl, 'observacoes', { max: 5000 }),
  };
  return infAdic.infAdFisco || infAdic.infCpl ? infAdic : undefined;
}

/**
 * Builds the unsigned NF-e 4.00 for an order. Validates everything the schema and SEFAZ's
 * first checks would reject, with the order field in the error; computes taxes and totals
 * in centavos; returns the XML, its chave de acesso and the model (for DANFE and storage).
 */
export function buildNfe(order: Order, ctx: BuildContext): BuiltNfe {
  const layout = ctx.layout;
  if (!order || typeof order !== 'object') throw orderError('', 'Pedido vazio ou inválido.');
  if (!Array.isArray(order.itens) || order.itens.length === 0) throw orderError('itens', 'O pedido não tem itens.');
  if (order.itens.length > MAX_ITEMS) throw orderError('itens', `Uma NF-e aceita no máximo ${MAX_ITEMS} itens; o pedido tem ${order.itens.length}. Divida em mais notas.`);
  if (!order.natureza) throw orderError('natureza', 'Informe a natureza da operação.');
  const serie = ctx.numbering?.serie ?? order.serie;
  const nNF = ctx.numbering?.nNF ?? order.numero;
  if (!Number.isInteger(serie) || serie < 0 || serie > 999) throw orderError('serie', `Série inválida: ${String(serie)} (0 a 999).`);
  if (!Number.isInteger(nNF) || nNF < 1 || nNF > 999_999_999) throw orderError('numero', `Número inválido: ${String(nNF)} (1 a 999999999).`);
  const tpAmb = order.ambiente ?? 2;
  if (tpAmb !== 1 && tpAmb !== 2) throw orderError('ambiente', 'Ambiente deve ser 1 (produção) ou 2 (homologação).');
  const dhEmi = order.emissao ?? isoWithOffset(ctx.now ?? new Date());
  if (!ISO_OFFSET.test(dhEmi)) throw orderError('emissao', `Data de emissão deve ser ISO com fuso (AAAA-MM-DDThh:mm:ss-03:00): "${dhEmi}".`);
  if (order.saida !== undefined && !ISO_OFFSET.test(order.saida)) throw orderError('saida', `Data de saída deve ser ISO com fuso: "${order.saida}".`);
  const tpEmis = ctx.tpEmis ?? 1;
  if (tpEmis !== 1 && !ctx.contingencia) throw orderError('tpEmis', 'Emissão em contingência exige dhCont e xJust.');

  const emit = buildEmit(order, layout);
  const dest = buildDest(order, layout, tpAmb);
  const idDest = dest.enderDest!.UF === emit.enderEmit.UF ? '1' : '2';
  const calcs = itemCalcs(order, idDest);
  applyOrderDiscounts(order, calcs);
  const det = buildDet(order, calcs, ctx, emit, dest);
  const total = computeTotals(det, { ibsCbs: layout === 'PL_010_V1.30' });
  const transp = buildTransp(order, calcs, layout);
  const pag = buildPag(order, total);
  const infAdic = buildInfAdic(order, total);

  const cUF = UF_CODES[emit.enderEmit.UF]!;
  const cNF = ctx.cNF ?? randomCnf(nNF);
  if (!/^\d{8}$/.test(cNF) || Number(cNF) === nNF) throw orderError('cNF', 'cNF deve ter 8 dígitos e ser diferente do número da nota.');
  const chave = buildChave({
    cUF,
    aamm: dhEmi.slice(2, 4) + dhEmi.slice(5, 7),
    emitente: emit.CNPJ ?? emit.CPF!,
    mod: '55',
    serie,
    nNF,
    tpEmis,
    cNF,
  });
  const consumidorFinal = order.consumidorFinal ?? (dest.CPF !== undefined || dest.indIEDest === '9');
  const indPres = String(order.presenca ?? 9);
  const infNFe: InfNFe = {
    '@versao': '4.00',
    '@Id': `NFe${chave}`,
    ide: {
      cUF,
      cNF,
      natOp: requiredText(order.natureza.descricao, 'natureza.descricao', { max: 60 }),
      mod: '55',
      serie: String(serie),
      nNF: String(nNF),
      dhEmi,
      dhSaiEnt: order.saida,
      tpNF: '1',
      idDest,
      cMunFG: emit.enderEmit.cMun,
      tpImp: '1',
      tpEmis: String(tpEmis),
      cDV: chave.slice(-1),
      tpAmb: String(tpAmb),
      finNFe: String(order.finalidade ?? 1),
      indFinal: consumidorFinal ? '1' : '0',
      indPres,
      // NT 2020.006: indIntermed is required when the sale is not in person.
      indIntermed: ['2', '3', '4', '9'].includes(indPres) ? '0' : undefined,
      procEmi: '0',
      verProc: ctx.verProc ?? VER_PROC,
      dhCont: ctx.contingencia?.dhCont,
      xJust: ctx.contingencia ? requiredText(ctx.contingencia.xJust, 'contingencia.xJust', { min: 15, max: 256 }) : undefined,
    },
    emit,
    dest,
    det,
    total,
    transp,
    pag,
    infAdic,
    infRespTec: ctx.respTec,
  };
  const xml = `<NFe xmlns="${NFE_NAMESPACE}">${toXml('infNFe', infNFe)}</NFe>`;
  return { xml, chave, model: { layout, chave, infNFe } };
}
