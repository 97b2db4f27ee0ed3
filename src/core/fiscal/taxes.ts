import { orderError } from './errors';
import type { Det, IcmsTot, Imposto, TaxGroup, Total, XmlObject } from './model';
import { centsToText, D, fixed, parseDecimal, textToCents, toCents, type Dec } from './money';
import type { IbsCbsRule, IcmsRule, OrderProduto, TaxRule, TaxStRule } from './order';

export const MONOPHASIC_CSTS = ['02', '15', '53', '61'] as const;
const ICMS_CSTS = ['00', '02', '10', '15', '20', '30', '40', '41', '50', '51', '53', '60', '61', '70', '90'];
const CSOSNS = ['101', '102', '103', '201', '202', '203', '300', '400', '500', '900'];

export interface ItemBase {
  /** Quantity in liters (4 decimals). */
  q: Dec;
  /** vProd − vDesc, centavos: the base of percentage taxes. */
  netCents: number;
  /** vFrete + vSeg + vOutro of the item, centavos: part of the ICMS and ICMS-ST bases. */
  chargesCents: number;
  produto: OrderProduto;
  field: string;
}

function rate(value: Parameters<typeof parseDecimal>[0], field: string): Dec {
  return parseDecimal(value, field, { maxDecimals: 4, sign: 'nonNegative' });
}

function percent(value: Parameters<typeof parseDecimal>[0], field: string): Dec {
  return parseDecimal(value, field, { maxDecimals: 4, sign: 'nonNegative', max: '100' });
}

/** cents × p% to centavos (half up). */
function pctOf(cents: number, p: Dec): number {
  return toCents(new D(cents).mul(p).div(10000));
}

/** The ad rem value of a monofásico group: quantity × R$/L, to centavos (half up). */
function adRemValue(q: Dec, adRem: Dec): string {
  return centsToText(toCents(q.mul(adRem)));
}

interface StValues {
  fields: TaxGroup;
  /** FCP-ST fields, written after vICMSST. */
  fcp: TaxGroup;
}

/**
 * ICMS-ST charged by this note. The base follows modBCST: MVA over the operation's value
 * (vProd − vDesc + charges), a price per unit (pauta/PMPF, preço tabelado) or the operation
 * itself, then pRedBCST; the ST value is the base × pICMSST minus the own ICMS (never < 0).
 */
function stValues(rule: IcmsRule, item: ItemBase, ownIcmsCents: number, f: string): StValues {
  const st = rule.st;
  if (!st) throw orderError(`${f}.st`, `O CST/CSOSN ${rule.cst} exige os dados do ICMS-ST (modalidade, alíquota e MVA ou pauta).`);
  const mod = Number(st.modalidade);
  if (![0, 1, 2, 3, 4, 5, 6].includes(mod)) throw orderError(`${f}.st.modalidade`, `Modalidade da base do ICMS-ST (modBCST) inválida: "${String(st.modalidade)}" (0 a 6).`);
  const opCents = item.netCents + item.chargesCents;
  let base: Dec;
  let mva: Dec | undefined;
  if (mod === 4) {
    mva = parseDecimal(st.mva, `${f}.st.mva`, { maxDecimals: 4, sign: 'nonNegative' });
    base = new D(opCents).mul(mva.plus(100)).div(100);
  } else if (mod === 6) base = new D(opCents);
  else base = item.q.mul(rate(st.valorPorUnidade, `${f}.st.valorPorUnidade`)).mul(100);
  const red = st.reducaoBase === undefined ? undefined : percent(st.reducaoBase, `${f}.st.reducaoBase`);
  if (red) base = base.mul(new D(100).minus(red)).div(100);
  // `base` is in centavos; D rounds half up.
  const vBCST = base.toDecimalPlaces(0).toNumber();
  const pST = percent(st.aliquota, `${f}.st.aliquota`);
  const vICMSST = Math.max(0, pctOf(vBCST, pST) - ownIcmsCents);
  const fields: TaxGroup = {
    modBCST: String(mod),
    ...(mva ? { pMVAST: fixed(mva, 4) } : {}),
    ...(red ? { pRedBCST: fixed(red, 4) } : {}),
    vBCST: centsToText(vBCST),
    pICMSST: fixed(pST, 4),
    vICMSST: centsToText(vICMSST),
  };
  let fcp: TaxGroup = {};
  if (st.fcp !== undefined) {
    const p = percent(st.fcp, `${f}.st.fcp`);
    fcp = { vBCFCPST: centsToText(vBCST), pFCPST: fixed(p, 4), vFCPST: centsToText(pctOf(vBCST, p)) };
  }
  return { fields, fcp };
}

/** ICMS retained earlier by ST (CST 60, CSOSN 500): vBCSTRet, pST, vICMSSubstituto, vICMSSTRet, FCP. */
function retidoValues(rule: IcmsRule, item: ItemBase, f: string): TaxGroup {
  const r = rule.retido;
  if (!r) return {};
  const base = toCents(item.q.mul(rate(r.basePorUnidade, `${f}.retido.basePorUnidade`)));
  const pST = percent(r.aliquota, `${f}.retido.aliquota`);
  const subst = r.icmsSubstitutoPorUnidade === undefined ? undefined : toCents(item.q.mul(rate(r.icmsSubstitutoPorUnidade, `${f}.retido.icmsSubstitutoPorUnidade`)));
  const group: TaxGroup = {
    vBCSTRet: centsToText(base),
    pST: fixed(pST, 4),
    ...(subst === undefined ? {} : { vICMSSubstituto: centsToText(subst) }),
    vICMSSTRet: centsToText(Math.max(0, pctOf(base, pST) - (subst ?? 0))),
  };
  if (r.fcp !== undefined) {
    const p = percent(r.fcp, `${f}.retido.fcp`);
    Object.assign(group, { vBCFCPSTRet: centsToText(base), pFCPSTRet: fixed(p, 4), vFCPSTRet: centsToText(pctOf(base, p)) });
  }
  return group;
}

interface OwnIcms {
  fields: TaxGroup;
  fcp: TaxGroup;
  vICMS: number;
}

/** Own ICMS over the operation (vProd − vDesc + frete + seguro + outras), with pRedBC and FCP. */
function ownIcms(rule: IcmsRule, item: ItemBase, f: string, opts: { reduction: boolean; fcpBase: boolean }): OwnIcms {
  const modBC = rule.modBC === undefined ? 3 : Number(rule.modBC);
  if (![0, 1, 2, 3].includes(modBC)) throw orderError(`${f}.modBC`, `Modalidade da base do ICMS (modBC) inválida: "${String(rule.modBC)}" (0 a 3).`);
  const p = percent(rule.aliquota, `${f}.aliquota`);
  let vBC = item.netCents + item.chargesCents;
  let red: Dec | undefined;
  if (opts.reduction) {
    red = percent(rule.reducaoBase, `${f}.reducaoBase`);
    vBC = toCents(new D(vBC).mul(new D(100).minus(red)).div(10000));
  }
  const vICMS = pctOf(vBC, p);
  const fields: TaxGroup = { modBC: String(modBC), ...(red ? { pRedBC: fixed(red, 4) } : {}), vBC: centsToText(vBC), pICMS: fixed(p, 4), vICMS: centsToText(vICMS) };
  let fcp: TaxGroup = {};
  if (rule.fcp !== undefined) {
    const pf = percent(rule.fcp, `${f}.fcp`);
    fcp = { ...(opts.fcpBase ? { vBCFCP: centsToText(vBC) } : {}), pFCP: fixed(pf, 4), vFCP: centsToText(pctOf(vBC, pf)) };
  }
  return { fields, fcp, vICMS };
}

function simplesGroup(rule: IcmsRule, item: ItemBase, f: string): Record<string, TaxGroup> {
  const orig = rule.orig ?? '0';
  const cst = rule.cst;
  if (!CSOSNS.includes(cst)) throw orderError(`${f}.cst`, `Emitente do Simples Nacional usa CSOSN (${CSOSNS.join(', ')}), não "${cst}".`);
  const credit = (): TaxGroup => {
    const p = percent(rule.creditoSimples, `${f}.creditoSimples`);
    return { pCredSN: fixed(p, 4), vCredICMSSN: centsToText(pctOf(item.netCents + item.chargesCents, p)) };
  };
  const stOf = (own: number) => {
    const st = stValues(rule, item, own, f);
    return { ...st.fields, ...st.fcp };
  };
  const ownForSt = () => (rule.st?.aliquotaPropria === undefined ? 0 : pctOf(item.netCents + item.chargesCents, percent(rule.st.aliquotaPropria, `${f}.st.aliquotaPropria`)));
  switch (cst) {
    case '101':
      return { ICMSSN101: { orig, CSOSN: cst, ...credit() } };
    case '201':
      return { ICMSSN201: { orig, CSOSN: cst, ...stOf(ownForSt()), ...credit() } };
    case '202':
    case '203':
      return { ICMSSN202: { orig, CSOSN: cst, ...stOf(ownForSt()) } };
    case '500':
      return { ICMSSN500: { orig, CSOSN: cst, ...retidoValues(rule, item, f) } };
    case '900': {
      const own = rule.aliquota === undefined ? undefined : ownIcms(rule, item, f, { reduction: rule.reducaoBase !== undefined, fcpBase: false });
      // ICMSSN900 writes pRedBC after vBC.
      const ownFields = own ? { modBC: own.fields.modBC!, vBC: own.fields.vBC!, ...(own.fields.pRedBC ? { pRedBC: own.fields.pRedBC } : {}), pICMS: own.fields.pICMS!, vICMS: own.fields.vICMS! } : {};
      return { ICMSSN900: { orig, CSOSN: cst, ...ownFields, ...(rule.st ? stOf(own?.vICMS ?? 0) : {}), ...(rule.creditoSimples === undefined ? {} : credit()) } };
    }
    default:
      return { ICMSSN102: { orig, CSOSN: cst } };
  }
}

/** ICMS group for one item. Monofásico CSTs follow NT 2023.001 (LC 192/2022). */
export function icmsGroup(rule: IcmsRule, item: ItemBase, crt: number): Record<string, TaxGroup> {
  const orig = rule.orig ?? '0';
  const f = `${item.field}.icms`;
  const q = item.q;
  const qText = fixed(q, 4);
  const adRem = (v: Parameters<typeof parseDecimal>[0], name: string) => {
    if (v === undefined) throw orderError(`${item.field}.produto.${name}`, `Informe a alíquota ad rem (${name}, R$ por litro) do produto ${item.produto.codigo} para o CST ${rule.cst}.`);
    return rate(v, `${item.field}.produto.${name}`);
  };
  if (crt === 1 || crt === 4) return simplesGroup(rule, item, f);
  if (!ICMS_CSTS.includes(rule.cst)) throw orderError(`${f}.cst`, `CST de ICMS não suportado: "${rule.cst}" (aceitos: ${ICMS_CSTS.join(', ')}).`);
  const cst = rule.cst;
  switch (cst) {
    case '02': {
      const a = adRem(item.produto.adRemIcms, 'adRemIcms');
      return { ICMS02: { orig, CST: '02', qBCMono: qText, adRemICMS: fixed(a, 4), vICMSMono: adRemValue(q, a) } };
    }
    case '15': {
      const a = adRem(item.produto.adRemIcms, 'adRemIcms');
      const r = adRem(item.produto.adRemIcmsReten, 'adRemIcmsReten');
      const group: TaxGroup = {
        orig,
        CST: '15',
        qBCMono: qText,
        adRemICMS: fixed(a, 4),
        vICMSMono: adRemValue(q, a),
        qBCMonoReten: qText,
        adRemICMSReten: fixed(r, 4),
        vICMSMonoReten: adRemValue(q, r),
      };
      if (rule.reducaoAdRem) {
        // NT 2023.001: pRedAdRem/motRedAdRem document a reduced ad rem rate (the rates above are the reduced ones).
        const motivo = Number(rule.reducaoAdRem.motivo);
        if (motivo !== 1 && motivo !== 9) throw orderError(`${f}.reducaoAdRem.motivo`, 'Motivo da redução da alíquota ad rem (motRedAdRem) deve ser 1 (transporte coletivo de passageiros) ou 9 (outros).');
        const p = parseDecimal(rule.reducaoAdRem.percentual, `${f}.reducaoAdRem.percentual`, { maxDecimals: 2, sign: 'positive', max: '100' });
        Object.assign(group, { pRedAdRem: fixed(p, 2), motRedAdRem: String(motivo) });
      }
      return { ICMS15: group };
    }
    case '53': {
      const a = adRem(item.produto.adRemIcms, 'adRemIcms');
      const pDif = item.produto.pDif === undefined ? new D(100) : percent(item.produto.pDif, `${item.field}.produto.pDif`);
      const opCents = toCents(q.mul(a));
      const difCents = toCents(new D(opCents).mul(pDif).div(100).div(100));
      const group: TaxGroup = {
        orig,
        CST: '53',
        qBCMono: qText,
        adRemICMS: fixed(a, 4),
        vICMSMonoOp: centsToText(opCents),
        pDif: fixed(pDif, 4),
        vICMSMonoDif: centsToText(difCents),
        vICMSMono: centsToText(opCents - difCents),
      };
      if (pDif.gt(0)) {
        // The deferred quantity and its rate (qBCMonoDif / adRemICMSDif), as the NT defines them for CST 53.
        Object.assign(group, { qBCMonoDif: fixed(q.mul(pDif).div(100), 4), adRemICMSDif: fixed(a, 4) });
      }
      return { ICMS53: group };
    }
    case '61': {
      const a = adRem(item.produto.adRemIcms, 'adRemIcms');
      return { ICMS61: { orig, CST: '61', qBCMonoRet: qText, adRemICMSRet: fixed(a, 4), vICMSMonoRet: adRemValue(q, a) } };
    }
    case '00': {
      const own = ownIcms(rule, item, f, { reduction: false, fcpBase: false });
      return { ICMS00: { orig, CST: '00', ...own.fields, ...own.fcp } };
    }
    case '20': {
      const own = ownIcms(rule, item, f, { reduction: true, fcpBase: true });
      return { ICMS20: { orig, CST: '20', ...own.fields, ...own.fcp } };
    }
    case '10':
    case '70': {
      const own = ownIcms(rule, item, f, { reduction: cst === '70', fcpBase: true });
      const st = stValues(rule, item, own.vICMS, f);
      return { [`ICMS${cst}`]: { orig, CST: cst, ...own.fields, ...own.fcp, ...st.fields, ...st.fcp } };
    }
    case '30': {
      const own = rule.st?.aliquotaPropria === undefined ? 0 : pctOf(item.netCents + item.chargesCents, percent(rule.st.aliquotaPropria, `${f}.st.aliquotaPropria`));
      const st = stValues(rule, item, own, f);
      return { ICMS30: { orig, CST: '30', ...st.fields, ...st.fcp } };
    }
    case '40':
    case '41':
    case '50':
      return { ICMS40: { orig, CST: cst } };
    case '51': {
      if (rule.aliquota === undefined) return { ICMS51: { orig, CST: '51' } };
      const own = ownIcms(rule, item, f, { reduction: rule.reducaoBase !== undefined, fcpBase: true });
      const pDif = rule.diferimento === undefined ? new D(100) : percent(rule.diferimento, `${f}.diferimento`);
      const op = own.vICMS;
      const dif = pctOf(op, pDif);
      const { vICMS: _own, ...rest } = own.fields;
      return { ICMS51: { orig, CST: '51', ...rest, vICMSOp: centsToText(op), pDif: fixed(pDif, 4), vICMSDif: centsToText(dif), vICMS: centsToText(op - dif), ...own.fcp } };
    }
    case '60':
      return { ICMS60: { orig, CST: '60', ...retidoValues(rule, item, f) } };
    default: {
      // 90: own ICMS and/or ST, each optional.
      const own = rule.aliquota === undefined ? undefined : ownIcms(rule, item, f, { reduction: rule.reducaoBase !== undefined, fcpBase: true });
      const ownFields = own ? { modBC: own.fields.modBC!, vBC: own.fields.vBC!, ...(own.fields.pRedBC ? { pRedBC: own.fields.pRedBC } : {}), pICMS: own.fields.pICMS!, vICMS: own.fields.vICMS!, ...own.fcp } : {};
      const st = rule.st ? stValues(rule, item, own?.vICMS ?? 0, f) : undefined;
      return { ICMS90: { orig, CST: '90', ...ownFields, ...(st ? { ...st.fields, ...st.fcp } : {}) } };
    }
  }
}

/** PIS or COFINS group (`tax` = 'PIS' | 'COFINS'); fuels are usually CST 04 (monofásico, alíquota zero na revenda). */
export function pisCofinsGroup(tax: 'PIS' | 'COFINS', rule: TaxRule, item: ItemBase, f = `natureza.${tax.toLowerCase()}`): Record<string, TaxGroup> {
  if (!rule || typeof rule.cst !== 'string') throw orderError(`${f}.cst`, `Informe o CST de ${tax} em ${f}.`);
  const cst = rule.cst;
  const v = `v${tax}`;
  const p = `p${tax}`;
  if (['01', '02'].includes(cst)) {
    const aliq = rate(rule.aliquota, `${f}.aliquota`);
    return { [`${tax}Aliq`]: { CST: cst, vBC: centsToText(item.netCents), [p]: fixed(aliq, 4), [v]: centsToText(toCents(new D(item.netCents).mul(aliq).div(10000))) } };
  }
  if (cst === '03') {
    const perUnit = rate(rule.valorPorUnidade, `${f}.valorPorUnidade`);
    return { [`${tax}Qtde`]: { CST: cst, qBCProd: fixed(item.q, 4), vAliqProd: fixed(perUnit, 4), [v]: centsToText(toCents(item.q.mul(perUnit))) } };
  }
  if (['04', '05', '06', '07', '08', '09'].includes(cst)) return { [`${tax}NT`]: { CST: cst } };
  if (/^(49|5[0-6]|6[0-7]|7[0-5]|98|99)$/.test(cst)) {
    const aliq = rule.aliquota === undefined ? new D(0) : rate(rule.aliquota, `${f}.aliquota`);
    return { [`${tax}Outr`]: { CST: cst, vBC: centsToText(item.netCents), [p]: fixed(aliq, 4), [v]: centsToText(toCents(new D(item.netCents).mul(aliq).div(10000))) } };
  }
  throw orderError(`${f}.cst`, `CST de ${tax} inválido: "${cst}".`);
}

/** PIS-ST / COFINS-ST (grupos R / T): by % of the item's value or R$ per unit. */
export function pisCofinsStGroup(tax: 'PIS' | 'COFINS', rule: TaxStRule, item: ItemBase, f: string): TaxGroup {
  const v = `v${tax}`;
  const soma = rule.somaNoTotal === undefined ? {} : { [`indSoma${tax}ST`]: rule.somaNoTotal ? '1' : '0' };
  if ((rule.aliquota === undefined) === (rule.valorPorUnidade === undefined)) {
    throw orderError(f, `Informe a alíquota (%) ou o valor por unidade do ${tax}-ST em ${f}, um dos dois.`);
  }
  if (rule.aliquota !== undefined) {
    const p = percent(rule.aliquota, `${f}.aliquota`);
    return { vBC: centsToText(item.netCents), [`p${tax}`]: fixed(p, 4), [v]: centsToText(pctOf(item.netCents, p)), ...soma };
  }
  const perUnit = rate(rule.valorPorUnidade, `${f}.valorPorUnidade`);
  return { qBCProd: fixed(item.q, 4), vAliqProd: fixed(perUnit, 4), [v]: centsToText(toCents(item.q.mul(perUnit))), ...soma };
}

/**
 * IBS/CBS group (PL_010, LC 214/2025). CST 620 is the monofásico fuel regime (ad rem per
 * liter); other CSTs use the regular percentage group over the item's net value.
 */
export function ibsCbsGroup(rule: IbsCbsRule, item: ItemBase, icmsCst = '02'): XmlObject {
  const f = 'natureza.ibsCbs';
  if (!/^\d{3}$/.test(rule.cst)) throw orderError(`${f}.cst`, `CST de IBS/CBS inválido: "${rule.cst}" (3 dígitos).`);
  if (!/^\d{6}$/.test(rule.cClassTrib)) throw orderError(`${f}.cClassTrib`, `cClassTrib inválido: "${rule.cClassTrib}" (6 dígitos).`);
  if (rule.cst === '620') {
    const ibs = rate(item.produto.adRemIbs ?? 0, `${item.field}.produto.adRemIbs`);
    const cbs = rate(item.produto.adRemCbs ?? 0, `${item.field}.produto.adRemCbs`);
    const q = fixed(item.q, 4);
    const vIBS = toCents(item.q.mul(ibs));
    const vCBS = toCents(item.q.mul(cbs));
    // The groups mirror the ICMS monofásico situation of the item (NT 2025.002): own tax
    // (gMonoPadrao), own + retention (gMonoReten, CST 15), charged before (gMonoRet, CST 61),
    // deferred (gMonoDif, CST 53). The item's totals are own + retained − deferred.
    const mono: XmlObject = {};
    let totIBS = 0;
    let totCBS = 0;
    if (icmsCst !== '61') {
      mono.gMonoPadrao = { qBCMono: q, adRemIBS: fixed(ibs, 4), adRemCBS: fixed(cbs, 4), vIBSMono: centsToText(vIBS), vCBSMono: centsToText(vCBS) };
      totIBS += vIBS;
      totCBS += vCBS;
    }
    if (icmsCst === '15') {
      mono.gMonoReten = { qBCMonoReten: q, adRemIBSReten: fixed(ibs, 4), vIBSMonoReten: centsToText(vIBS), adRemCBSReten: fixed(cbs, 4), vCBSMonoReten: centsToText(vCBS) };
      totIBS += vIBS;
      totCBS += vCBS;
    }
    if (icmsCst === '61') {
      mono.gMonoRet = { qBCMonoRet: q, adRemIBSRet: fixed(ibs, 4), vIBSMonoRet: centsToText(vIBS), adRemCBSRet: fixed(cbs, 4), vCBSMonoRet: centsToText(vCBS) };
    }
    if (icmsCst === '53') {
      const pDif = item.produto.pDif === undefined ? new D(100) : percent(item.produto.pDif, `${item.field}.produto.pDif`);
      const difIBS = pctOf(vIBS, pDif);
      const difCBS = pctOf(vCBS, pDif);
      mono.gMonoDif = { pDifIBS: fixed(pDif, 4), vIBSMonoDif: centsToText(difIBS), pDifCBS: fixed(pDif, 4), vCBSMonoDif: centsToText(difCBS) };
      totIBS -= difIBS;
      totCBS -= difCBS;
    }
    mono.vTotIBSMonoItem = centsToText(totIBS);
    mono.vTotCBSMonoItem = centsToText(totCBS);
    return { CST: rule.cst, cClassTrib: rule.cClassTrib, gIBSCBSMono: mono };
  }
  const pct = (v: IbsCbsRule['pIBSUF'], name: string) => rate(v ?? 0, `${f}.${name}`);
  const pUF = pct(rule.pIBSUF, 'pIBSUF');
  const pMun = pct(rule.pIBSMun, 'pIBSMun');
  const pCBS = pct(rule.pCBS, 'pCBS');
  const of = (p: Dec) => toCents(new D(item.netCents).mul(p).div(10000));
  const vUF = of(pUF);
  const vMun = of(pMun);
  return {
    CST: rule.cst,
    cClassTrib: rule.cClassTrib,
    gIBSCBS: {
      vBC: centsToText(item.netCents),
      gIBSUF: { pIBSUF: fixed(pUF, 4), vIBSUF: centsToText(vUF) },
      gIBSMun: { pIBSMun: fixed(pMun, 4), vIBSMun: centsToText(vMun) },
      vIBS: centsToText(vUF + vMun),
      gCBS: { pCBS: fixed(pCBS, 4), vCBS: centsToText(of(pCBS)) },
    },
  };
}

function groupOf(imposto: Imposto): TaxGroup {
  return Object.values(imposto.ICMS)[0] ?? {};
}

function firstGroup(g: Record<string, TaxGroup> | undefined): TaxGroup {
  return g ? (Object.values(g)[0] ?? {}) : {};
}

function get(obj: XmlObject | undefined, path: string): string | undefined {
  let cur: unknown = obj;
  for (const k of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return typeof cur === 'string' ? cur : undefined;
}

/**
 * NF-e totals as the sum of the items (SEFAZ recomputes them: rejections 531–535, 564, 610).
 * Quantities are summed at 4 decimals, then rounded to the 2 that ICMSTot accepts.
 */
export function computeTotals(det: Det[], opts: { ibsCbs: boolean }): Total {
  const sum = (pick: (d: Det) => string | undefined) => det.reduce((acc, d) => acc + textToCents(pick(d)), 0);
  const sumQ = (pick: (d: Det) => string | undefined) => det.reduce((acc, d) => acc.plus(pick(d) ?? 0), new D(0));
  const has = (name: string) => det.some((d) => groupOf(d.imposto)[name] !== undefined);
  const icms = (name: string) => (d: Det) => groupOf(d.imposto)[name];

  const vProd = sum((d) => (d.prod.indTot === '1' ? d.prod.vProd : undefined));
  const vDesc = sum((d) => d.prod.vDesc);
  const vFrete = sum((d) => d.prod.vFrete);
  const vSeg = sum((d) => d.prod.vSeg);
  const vOutro = sum((d) => d.prod.vOutro);
  const vICMSMonoReten = sum(icms('vICMSMonoReten'));
  const vST = sum(icms('vICMSST'));
  const vFCPST = sum(icms('vFCPST'));
  // PIS-ST/COFINS-ST enter vNF only when indSoma…ST = 1 (NT 2020.005, rule 610).
  const vPisCofinsSt = sum((d) => (d.imposto.PISST?.indSomaPISST === '1' ? d.imposto.PISST.vPIS : undefined)) + sum((d) => (d.imposto.COFINSST?.indSomaCOFINSST === '1' ? d.imposto.COFINSST.vCOFINS : undefined));
  const hasTotTrib = det.some((d) => d.imposto.vTotTrib !== undefined);
  const mono = (qName: string, vName: string): Partial<IcmsTot> =>
    has(vName) ? { [qName]: fixed(sumQ(icms(qName)), 2), [vName]: centsToText(sum(icms(vName))) } : {};

  const ICMSTot: IcmsTot = {
    vBC: centsToText(sum(icms('vBC'))),
    vICMS: centsToText(sum(icms('vICMS'))),
    vICMSDeson: '0.00',
    vFCP: centsToText(sum(icms('vFCP'))),
    vBCST: centsToText(sum(icms('vBCST'))),
    vST: centsToText(vST),
    vFCPST: centsToText(vFCPST),
    vFCPSTRet: centsToText(sum(icms('vFCPSTRet'))),
    ...mono('qBCMono', 'vICMSMono'),
    ...mono('qBCMonoReten', 'vICMSMonoReten'),
    ...mono('qBCMonoRet', 'vICMSMonoRet'),
    vProd: centsToText(vProd),
    vFrete: centsToText(vFrete),
    vSeg: centsToText(vSeg),
    vDesc: centsToText(vDesc),
    vII: '0.00',
    vIPI: '0.00',
    vIPIDevol: '0.00',
    vPIS: centsToText(sum((d) => firstGroup(d.imposto.PIS).vPIS)),
    vCOFINS: centsToText(sum((d) => firstGroup(d.imposto.COFINS).vCOFINS)),
    vOutro: centsToText(vOutro),
    // Retained monofásico ICMS is charged to the buyer like ICMS-ST, so it enters vNF (NT 2023.001).
    vNF: centsToText(vProd - vDesc + vST + vFCPST + vFrete + vSeg + vOutro + vICMSMonoReten + vPisCofinsSt),
    vTotTrib: hasTotTrib ? centsToText(sum((d) => d.imposto.vTotTrib)) : undefined,
  };
  const total: Total = { ICMSTot };
  if (opts.ibsCbs && det.some((d) => d.imposto.IBSCBS)) {
    const ib = (path: string) => det.reduce((acc, d) => acc + textToCents(get(d.imposto.IBSCBS, path)), 0);
    const t = (path: string) => centsToText(ib(path));
    const hasMono = det.some((d) => get(d.imposto.IBSCBS, 'gIBSCBSMono.vTotIBSMonoItem') !== undefined);
    const hasRegular = det.some((d) => get(d.imposto.IBSCBS, 'gIBSCBS.vBC') !== undefined);
    const ibsTot: XmlObject = { vBCIBSCBS: t('gIBSCBS.vBC') };
    if (hasRegular) {
      ibsTot.gIBS = {
        gIBSUF: { vDif: '0.00', vDevTrib: '0.00', vIBSUF: t('gIBSCBS.gIBSUF.vIBSUF') },
        gIBSMun: { vDif: '0.00', vDevTrib: '0.00', vIBSMun: t('gIBSCBS.gIBSMun.vIBSMun') },
        vIBS: t('gIBSCBS.vIBS'),
        vCredPres: '0.00',
        vCredPresCondSus: '0.00',
      };
      ibsTot.gCBS = { vDif: '0.00', vDevTrib: '0.00', vCBS: t('gIBSCBS.gCBS.vCBS'), vCredPres: '0.00', vCredPresCondSus: '0.00' };
    }
    if (hasMono) {
      ibsTot.gMono = {
        vIBSMono: t('gIBSCBSMono.gMonoPadrao.vIBSMono'),
        vCBSMono: t('gIBSCBSMono.gMonoPadrao.vCBSMono'),
        vIBSMonoReten: t('gIBSCBSMono.gMonoReten.vIBSMonoReten'),
        vCBSMonoReten: t('gIBSCBSMono.gMonoReten.vCBSMonoReten'),
        vIBSMonoRet: t('gIBSCBSMono.gMonoRet.vIBSMonoRet'),
        vCBSMonoRet: t('gIBSCBSMono.gMonoRet.vCBSMonoRet'),
      };
    }
    total.IBSCBSTot = ibsTot;
    // vItem / vNFTot (NT 2025.002): the item's part of vNF plus the IBS and CBS charged on it
    // ("por fora"): regular vIBS + vCBS, or the monofásico item totals. Σ vItem = vNFTot.
    const itemPart = (d: Det) => {
      const g = groupOf(d.imposto);
      const st = (name: 'PISST' | 'COFINSST', v: string, ind: string) => (d.imposto[name]?.[ind] === '1' ? textToCents(d.imposto[name]![v]) : 0);
      return (
        textToCents(d.prod.vProd) - textToCents(d.prod.vDesc) + textToCents(d.prod.vFrete) + textToCents(d.prod.vSeg) + textToCents(d.prod.vOutro) +
        textToCents(g.vICMSST) + textToCents(g.vFCPST) + textToCents(g.vICMSMonoReten) + st('PISST', 'vPIS', 'indSomaPISST') + st('COFINSST', 'vCOFINS', 'indSomaCOFINSST') +
        textToCents(get(d.imposto.IBSCBS, 'gIBSCBS.vIBS')) + textToCents(get(d.imposto.IBSCBS, 'gIBSCBS.gCBS.vCBS')) +
        textToCents(get(d.imposto.IBSCBS, 'gIBSCBSMono.vTotIBSMonoItem')) + textToCents(get(d.imposto.IBSCBS, 'gIBSCBSMono.vTotCBSMonoItem'))
      );
    };
    let vNFTot = 0;
    for (const d of det) {
      const cents = d.prod.indTot === '1' ? itemPart(d) : 0;
      d.vItem = centsToText(cents);
      vNFTot += cents;
    }
    total.vNFTot = centsToText(vNFTot);
  }
  return total;
}

