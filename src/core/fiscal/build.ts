import { anpDescription, GLP_ANP_CODES, sameAnpText } from './anp';
import { buildChave, randomCnf } from './chave';
import { orderError } from './errors';
import type { Comb, Dest, Det, Emit, InfAdic, InfNFe, NfeModel, ObsCampo, Pag, Total } from './model';
import { apportion, centsToText, D, discountCents, fixed, parseDecimal, scaled, textToCents, toCents } from './money';
import type { CfopRule, DecimalInput, Order, OrderItem } from './order';
import { cnpjField, cpfField, endereco, ieField, local, partyDoc, ufField } from './parties';
import { buildReferences, checkFinalidade } from './references';
import { respTecGroup, type RespTecSetting } from './resp-tec';
import { ruleError } from './rules';
import type { NfeLayout } from './schema-validate';
import { computeTotals, ibsCbsGroup, icmsGroup, MONOPHASIC_CSTS, pisCofinsGroup, pisCofinsStGroup, type ItemBase } from './taxes';
import { digitsField, optionalText, requiredText, UF_CODES } from './text';
import { isoInUf } from './timezone';
import { buildTransp } from './transport';
import { toXml } from './xml';

// The CT-e builder shares the parties' checks.
export { endereco, ieField, partyDoc, ufField } from './parties';

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
  /** The establishment's responsável técnico (infRespTec; with hashCSRT where the UF issued a CSRT). */
  respTec?: RespTecSetting | null;
  verProc?: string;
}

export interface BuiltNfe {
  /** Unsigned NFe document (no XML declaration, no whitespace between tags). */
  xml: string;
  chave: string;
  model: NfeModel;
  /** Things the user should know that do not stop the note (pt-BR). */
  notices: string[];
}

const ISO_OFFSET = /^20\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d[+-](0\d|1[0-4]):[0-5]\d$/;
/** Fuel CFOPs: sales 5651–5667 (and 6xxx, 7xxx) and their returns 1660–1662 (and 2xxx, 3xxx, 5660–5662). */
const FUEL_CFOP = /^[1235-7]6(5[1-9]|6[0-7])$/;

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
    throw orderError('destinatario.indIEDest', `indIEDest ${d.indIEDest} não combina com a inscrição estadual do destinatário ("${d.ie ?? ''}").`);
  }
  const email = d.email === undefined ? undefined : requiredText(d.email, 'destinatario.email', { max: 60 });
  if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw orderError('destinatario.email', `E-mail do destinatário inválido: "${email}".`);
  const xNome = requiredText(d.razaoSocial, 'destinatario.razaoSocial', { min: 2, max: 60 });
  return { ...doc, xNome: tpAmb === 2 ? HOMOLOG_DEST_NAME : xNome, enderDest, indIEDest, IE, email };
}

interface ItemCalc {
  base: ItemBase;
  item: OrderItem;
  vProdCents: number;
  vUnCom: string;
  discountCents: number;
  charges: { frete: number; seguro: number; outras: number };
  cfop: string;
  fuel: boolean;
  cst: string;
}

const CHARGES = [
  ['frete', 'frete'],
  ['seguro', 'seguro'],
  ['outras', 'outrasDespesas'],
] as const;

function cfopFor(rule: CfopRule | undefined, idDest: string, tpNF: string, field: string): string {
  const cfop = idDest === '1' ? rule?.interna : idDest === '2' ? rule?.interestadual : rule?.exterior;
  const where = idDest === '1' ? 'interna' : idDest === '2' ? 'interestadual' : 'com o exterior';
  if (!cfop || !/^[1235-7]\d{3}$/.test(cfop)) throw orderError(field, `CFOP não definido ou inválido para a operação ${where} (${field}).`);
  // Entrada: 1 interna, 2 interestadual, 3 exterior; saída: 5, 6, 7.
  const expected = String(Number(idDest) + (tpNF === '0' ? 0 : 4));
  if (cfop[0] !== expected) {
    throw orderError(field, `CFOP ${cfop} não é de ${tpNF === '0' ? 'entrada' : 'saída'} ${where} (${expected}xxx).`);
  }
  return cfop;
}

function itemCalcs(order: Order, idDest: string, tpNF: string): ItemCalc[] {
  return order.itens.map((item, i) => {
    const field = `itens[${i}]`;
    const p = item?.produto;
    if (!p) throw orderError(`${field}.produto`, `Item ${i + 1} sem produto.`);
    const q = parseDecimal(item.quantidade, `${field}.quantidade`, { maxDecimals: 4, sign: 'positive' });
    const vUn = parseDecimal(item.valorUnitario, `${field}.valorUnitario`, { maxDecimals: 10, sign: 'positive' });
    // vProd = qCom × vUnCom rounded to centavos: what SEFAZ recomputes (rejection 629).
    const vProdCents = toCents(q.mul(vUn));
    if (vProdCents <= 0) throw orderError(`${field}.valorUnitario`, `Valor do item ${i + 1} arredonda para zero.`);
    const cfop = cfopFor(p.cfop ?? order.natureza.cfop, idDest, tpNF, `${field}.cfop`);
    const icmsRule = p.icms ?? order.natureza.icms;
    const cst = icmsRule?.cst ?? '';
    const fuel = FUEL_CFOP.test(cfop) || (MONOPHASIC_CSTS as readonly string[]).includes(cst) || p.anp !== undefined;
    if (fuel && (!p.anp || !/^\d{9}$/.test(String(p.anp.codigo ?? '')))) {
      throw ruleError('660', `${field}.produto.anp.codigo`, `Combustível "${p.descricao ?? p.codigo}" sem código ANP (9 dígitos)`);
    }
    const discount = discountCents(item.desconto, vProdCents, `${field}.desconto`, q);
    if (discount > vProdCents) throw orderError(`${field}.desconto`, `Desconto do item ${i + 1} maior que o valor do produto.`);
    const charge = (v: OrderItem['frete'], name: string) => (v === undefined ? 0 : toCents(parseDecimal(v, `${field}.${name}`, { maxDecimals: 2, sign: 'nonNegative' })));
    const charges = { frete: charge(item.frete, 'frete'), seguro: charge(item.seguro, 'seguro'), outras: charge(item.outrasDespesas, 'outrasDespesas') };
    return {
      base: { q, netCents: vProdCents - discount, chargesCents: 0, produto: p, field },
      item,
      vProdCents,
      vUnCom: scaled(vUn, 2, 10),
      discountCents: discount,
      charges,
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

/**
 * Frete, seguro and outras despesas given for the whole order are split over the items by
 * their value, in exact centavos (Σ items = the order's value: SEFAZ sums vFrete/vSeg/vOutro).
 */
function applyOrderCharges(order: Order, calcs: ItemCalc[]): void {
  for (const [key, orderKey] of CHARGES) {
    const v = order[orderKey];
    if (v === undefined) continue;
    const cents = toCents(parseDecimal(v, orderKey, { maxDecimals: 2, sign: 'nonNegative' }));
    const parts = apportion(cents, calcs.map((c) => c.vProdCents));
    calcs.forEach((c, i) => (c.charges[key] += parts[i]!));
  }
  for (const c of calcs) c.base.chargesCents = c.charges.frete + c.charges.seguro + c.charges.outras;
}

function buildComb(c: ItemCalc, ufCons: string, notices: string[]): Comb | undefined {
  if (!c.fuel) return undefined;
  const p = c.item.produto;
  const f = c.base.field;
  const code = String(p.anp!.codigo);
  const table = anpDescription(code);
  let descANP: string;
  if (table) {
    if (p.anp!.descricao !== undefined && !sameAnpText(String(p.anp!.descricao), table)) {
      throw orderError(`${f}.produto.anp.descricao`, `Descrição ANP do código ${code} deve ser "${table}" (tabela da ANP), não "${String(p.anp!.descricao)}".`);
    }
    descANP = table;
  } else {
    descANP = requiredText(p.anp!.descricao, `${f}.produto.anp.descricao`, { min: 2, max: 95 });
    notices.push(`Código ANP ${code} (item ${c.base.field}) fora da tabela embutida: a descrição "${descANP}" não foi conferida.`);
  }
  let glp: Pick<Comb, 'pGLP' | 'pGNn' | 'pGNi' | 'vPart'> = {};
  if (GLP_ANP_CODES.has(code)) {
    const g = p.glp;
    if (!g || g.pGLP === undefined || g.pGNn === undefined || g.pGNi === undefined) {
      throw ruleError('855', `${f}.produto.glp`, `GLP (ANP ${code}) exige os percentuais pGLP, pGNn e pGNi em ${f}.produto.glp`);
    }
    const pct = (v: DecimalInput, name: string) => parseDecimal(v, `${f}.produto.glp.${name}`, { maxDecimals: 4, sign: 'nonNegative', max: '100' });
    const pGLP = pct(g.pGLP, 'pGLP');
    const pGNn = pct(g.pGNn, 'pGNn');
    const pGNi = pct(g.pGNi, 'pGNi');
    if (!pGLP.plus(pGNn).plus(pGNi).eq(100)) {
      throw ruleError('855', `${f}.produto.glp`, `GLP: pGLP + pGNn + pGNi devem somar 100% (somam ${pGLP.plus(pGNn).plus(pGNi).toString()}%)`);
    }
    if (g.vPart === undefined) throw ruleError('856', `${f}.produto.glp.vPart`, `GLP (ANP ${code}) exige o valor de partida vPart (R$ por kg, sem ICMS)`);
    const vPart = parseDecimal(g.vPart, `${f}.produto.glp.vPart`, { maxDecimals: 2, sign: 'nonNegative' });
    glp = { pGLP: fixed(pGLP, 4), pGNn: fixed(pGNn, 4), pGNi: fixed(pGNi, 4), vPart: fixed(vPart, 2) };
  } else if (p.glp !== undefined) {
    throw orderError(`${f}.produto.glp`, `Os percentuais de GLP/GN só valem para o GLP (ANP 210203001), não para o código ${code}.`);
  }
  const qTemp = c.item.quantidadeTemperaturaAmbiente === undefined ? undefined : fixed(parseDecimal(c.item.quantidadeTemperaturaAmbiente, `${f}.quantidadeTemperaturaAmbiente`, { maxDecimals: 4 }), 4);
  const cide = p.cide === undefined ? undefined : parseDecimal(p.cide, `${f}.produto.cide`, { maxDecimals: 4, sign: 'nonNegative' });
  const origem = p.origem ?? [];
  if (!Array.isArray(origem) || origem.length > 30) throw orderError(`${f}.produto.origem`, 'Origem do combustível: uma lista de até 30 partes.');
  const origComb = origem.map((o, j) => ({
    indImport: o.importado ? '1' : '0',
    cUFOrig: UF_CODES[ufField(o.uf, `${f}.produto.origem[${j}].uf`)]!,
    pOrig: scaled(parseDecimal(o.percentual, `${f}.produto.origem[${j}].percentual`, { maxDecimals: 4, max: '100' }), 0, 4),
  }));
  return {
    cProdANP: code,
    descANP,
    ...glp,
    CODIF: p.codif === undefined ? undefined : digitsField(p.codif, `${f}.produto.codif`, /^\d{1,21}$/, 'CODIF'),
    qTemp,
    UFCons: ufCons,
    CIDE: cide ? { qBCProd: fixed(c.base.q, 4), vAliqProd: fixed(cide, 4), vCIDE: centsToText(toCents(c.base.q.mul(cide))) } : undefined,
    pBio: p.pBio === undefined ? undefined : scaled(parseDecimal(p.pBio, `${f}.produto.pBio`, { maxDecimals: 4, max: '100' }), 0, 4),
    origComb: origComb.length ? origComb : undefined,
  };
}

function buildDet(order: Order, calcs: ItemCalc[], ctx: BuildContext, emit: Emit, dest: Dest, notices: string[]): Det[] {
  const crt = Number(emit.CRT);
  const ibsCbs = ctx.layout === 'PL_010_V1.30' ? order.natureza.ibsCbs : undefined;
  return calcs.map((c, i) => {
    const p = c.item.produto;
    const f = c.base.field;
    const ean = p.gtin ? digitsField(p.gtin, `${f}.produto.gtin`, /^(\d{8}|\d{12,14})$/, 'GTIN') : 'SEM GTIN';
    const qCom = fixed(c.base.q, 4);
    const uCom = requiredText(p.unidade, `${f}.produto.unidade`, { max: 6 });
    const icmsRule = p.icms ?? order.natureza.icms;
    if (!icmsRule) throw orderError('natureza.icms', 'Informe a regra de ICMS da natureza (ou do produto).');
    if (ibsCbs && c.fuel && ibsCbs.cst !== '620') {
      notices.push(`Item ${i + 1} (${p.codigo}) é combustível e recebeu IBS/CBS regular (CST ${ibsCbs.cst}); combustíveis seguem o regime monofásico (CST 620).`);
    }
    const money = (cents: number) => (cents > 0 ? centsToText(cents) : undefined);
    const totTrib = p.cargaTributaria === undefined ? undefined : parseDecimal(p.cargaTributaria, `${f}.produto.cargaTributaria`, { maxDecimals: 4, sign: 'nonNegative', max: '100' });
    const pisRule = p.pis ?? order.natureza.pis;
    const cofinsRule = p.cofins ?? order.natureza.cofins;
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
        vFrete: money(c.charges.frete),
        vSeg: money(c.charges.seguro),
        vDesc: money(c.discountCents),
        vOutro: money(c.charges.outras),
        indTot: '1',
        xPed: c.item.pedidoCliente ? requiredText(c.item.pedidoCliente.numero, `${f}.pedidoCliente.numero`, { max: 15 }) : undefined,
        nItemPed: c.item.pedidoCliente?.item === undefined ? undefined : digitsField(c.item.pedidoCliente.item, `${f}.pedidoCliente.item`, /^\d{1,6}$/, 'Item do pedido'),
        comb: buildComb(c, dest.enderDest?.UF ?? emit.enderEmit.UF, notices),
      },
      imposto: {
        // Lei 12.741/2012: approximate burden over the value the buyer pays for the item.
        vTotTrib: totTrib ? centsToText(toCents(new D(c.base.netCents).mul(totTrib).div(10000))) : undefined,
        ICMS: icmsGroup(icmsRule, c.base, crt),
        PIS: pisCofinsGroup('PIS', pisRule, c.base, p.pis ? `${f}.produto.pis` : 'natureza.pis'),
        PISST: p.pisSt ? pisCofinsStGroup('PIS', p.pisSt, c.base, `${f}.produto.pisSt`) : undefined,
        COFINS: pisCofinsGroup('COFINS', cofinsRule, c.base, p.cofins ? `${f}.produto.cofins` : 'natureza.cofins'),
        COFINSST: p.cofinsSt ? pisCofinsStGroup('COFINS', p.cofinsSt, c.base, `${f}.produto.cofinsSt`) : undefined,
        IBSCBS: ibsCbs ? ibsCbsGroup(ibsCbs, c.base, c.cst) : undefined,
      },
      infAdProd: optionalText(c.item.informacoes, `${f}.informacoes`, { max: 500 }),
    };
    return det;
  });
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

function obsCampos(list: Order['observacoesContribuinte'], field: string): ObsCampo[] | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.length > 10) throw orderError(field, `Informe no máximo 10 observações em ${field}.`);
  return list.map((o, i) => ({
    '@xCampo': requiredText(o?.campo, `${field}[${i}].campo`, { max: 20 }),
    xTexto: requiredText(o?.texto, `${field}[${i}].texto`, { max: 60 }),
  }));
}

function buildInfAdic(order: Order, total: Total, extra: string[]): InfAdic | undefined {
  const n = order.natureza;
  const fisco = n.infAdFisco ? fillTemplate(n.infAdFisco, total) : undefined;
  const cpl = [n.infCpl ? fillTemplate(n.infCpl, total) : undefined, order.observacoes, ...extra].filter((s) => s && s.trim()).join(' ');
  const infAdic: InfAdic = {
    infAdFisco: optionalText(fisco, 'natureza.infAdFisco', { max: 2000 }),
    infCpl: optionalText(cpl, 'observacoes', { max: 5000 }),
    obsCont: obsCampos(order.observacoesContribuinte, 'observacoesContribuinte'),
    obsFisco: obsCampos(order.observacoesFisco, 'observacoesFisco'),
  };
  return Object.values(infAdic).some((v) => v !== undefined) ? infAdic : undefined;
}

function buildAutXml(order: Order, layout: NfeLayout): InfNFe['autXML'] {
  const list = order.autorizadosXml;
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.length > 10) throw orderError('autorizadosXml', 'Informe no máximo 10 CNPJ/CPF autorizados a obter o XML.');
  return list.map((doc, i) => {
    const f = `autorizadosXml[${i}]`;
    const text = String(doc ?? '').replace(/[.\-/\s]/g, '');
    return text.length === 11 ? { CPF: cpfField(text, f) } : { CNPJ: cnpjField(text, f, layout) };
  });
}

function buildCompra(order: Order): InfNFe['compra'] {
  const c = order.compra;
  if (!c) return undefined;
  const compra = {
    xNEmp: optionalText(c.empenho, 'compra.empenho', { max: 22 }),
    xPed: optionalText(c.pedido, 'compra.pedido', { max: 60 }),
    xCont: optionalText(c.contrato, 'compra.contrato', { max: 60 }),
  };
  return Object.values(compra).some((v) => v !== undefined) ? compra : undefined;
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
  const tpEmis = ctx.tpEmis ?? 1;
  if (tpEmis !== 1 && !ctx.contingencia) throw orderError('tpEmis', 'Emissão em contingência exige dhCont e xJust.');
  if (order.tipo !== undefined && order.tipo !== 'saida' && order.tipo !== 'entrada') throw orderError('tipo', 'Tipo da nota deve ser "saida" ou "entrada".');
  const tpNF = order.tipo === 'entrada' ? '0' : '1';

  const notices: string[] = [];
  const emit = buildEmit(order, layout);
  // dhEmi in the emitente's UF time, whatever the machine's time zone (issue #18).
  const dhEmi = order.emissao ?? isoInUf(ctx.now ?? new Date(), emit.enderEmit.UF);
  if (!ISO_OFFSET.test(dhEmi)) throw orderError('emissao', `Data de emissão deve ser ISO com fuso (AAAA-MM-DDThh:mm:ss-03:00): "${dhEmi}".`);
  if (order.saida !== undefined && !ISO_OFFSET.test(order.saida)) throw orderError('saida', `Data de saída deve ser ISO com fuso: "${order.saida}".`);
  const dest = buildDest(order, layout, tpAmb);
  const idDest = dest.enderDest!.UF === emit.enderEmit.UF ? '1' : '2';
  const NFref = buildReferences(order, layout);
  const calcs = itemCalcs(order, idDest, tpNF);
  applyOrderDiscounts(order, calcs);
  applyOrderCharges(order, calcs);
  const det = buildDet(order, calcs, ctx, emit, dest, notices);
  const total = computeTotals(det, { ibsCbs: layout === 'PL_010_V1.30' });
  const { transp, omittedVehicles } = buildTransp(order, calcs.some((c) => c.fuel), idDest, layout);
  if (omittedVehicles) notices.push(`Operação interestadual: veículo e reboques não vão no grupo de transporte (rejeição 868); as placas seguem nas informações complementares.`);
  const pag = buildPag(order, total);
  checkFinalidade(order, calcs.map((c) => c.cfop), pag.detPag.map((d) => d.tPag));
  const infAdic = buildInfAdic(order, total, omittedVehicles ? [omittedVehicles] : []);

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
      tpNF,
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
      NFref,
    },
    emit,
    dest,
    retirada: local(order.retirada, 'retirada', layout),
    entrega: local(order.entrega, 'entrega', layout),
    autXML: buildAutXml(order, layout),
    det,
    total,
    transp,
    pag,
    infAdic,
    compra: buildCompra(order),
    infRespTec: ctx.respTec ? respTecGroup(ctx.respTec, chave) : undefined,
  };
  const xml = `<NFe xmlns="${NFE_NAMESPACE}">${toXml('infNFe', infNFe)}</NFe>`;
  return { xml, chave, model: { layout, chave, infNFe }, notices };
}
