import { orderError } from './errors';
import type { Det, IcmsTot, Imposto, TaxGroup, Total, XmlObject } from './model';
import { centsToText, D, fixed, parseDecimal, textToCents, toCents, type Dec } from './money';
import type { IbsCbsRule, IcmsRule, OrderProduto, TaxRule } from './order';

export const MONOPHASIC_CSTS = ['02', '15', '53', '61'] as const;
const ICMS_CSTS = ['00', '02', '15', '53', '60', '61'];
const CSOSNS = ['102', '103', '300', '400', '500'];

export interface ItemBase {
  /** Quantity in liters (4 decimals). */
  q: Dec;
  /** vProd − vDesc, centavos: the base of percentage taxes. */
  netCents: number;
  produto: OrderProduto;
  field: string;
}

function rate(value: Parameters<typeof parseDecimal>[0], field: string): Dec {
  return parseDecimal(value, field, { maxDecimals: 4, sign: 'nonNegative' });
}

/** The ad rem value of a monofásico group: quantity × R$/L, to centavos (half up). */
function adRemValue(q: Dec, adRem: Dec): string {
  return centsToText(toCents(q.mul(adRem)));
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
  if (crt === 1 || crt === 4) {
    if (!CSOSNS.includes(rule.cst)) throw orderError(f, `Emitente do Simples Nacional usa CSOSN (${CSOSNS.join(', ')}), não "${rule.cst}".`);
    return rule.cst === '500' ? { ICMSSN500: { orig, CSOSN: '500' } } : { ICMSSN102: { orig, CSOSN: rule.cst } };
  }
  if (!ICMS_CSTS.includes(rule.cst)) throw orderError(f, `CST de ICMS não suportado: "${rule.cst}" (aceitos: ${ICMS_CSTS.join(', ')}).`);
  switch (rule.cst) {
    case '02': {
      const a = adRem(item.produto.adRemIcms, 'adRemIcms');
      return { ICMS02: { orig, CST: '02', qBCMono: qText, adRemICMS: fixed(a, 4), vICMSMono: adRemValue(q, a) } };
    }
    case '15': {
      const a = adRem(item.produto.adRemIcms, 'adRemIcms');
      const r = adRem(item.produto.adRemIcmsReten, 'adRemIcmsReten');
      return {
        ICMS15: {
          orig,
          CST: '15',
          qBCMono: qText,
          adRemICMS: fixed(a, 4),
          vICMSMono: adRemValue(q, a),
          qBCMonoReten: qText,
          adRemICMSReten: fixed(r, 4),
          vICMSMonoReten: adRemValue(q, r),
        },
      };
    }
    case '53': {
      const a = adRem(item.produto.adRemIcms, 'adRemIcms');
      const pDif = item.produto.pDif === undefined ? new D(100) : parseDecimal(item.produto.pDif, `${item.field}.produto.pDif`, { maxDecimals: 4, sign: 'nonNegative', max: '100' });
      const opCents = toCents(q.mul(a));
      const difCents = toCents(new D(opCents).mul(pDif).div(100).div(100));
      return {
        ICMS53: {
          orig,
          CST: '53',
          qBCMono: qText,
          adRemICMS: fixed(a, 4),
          vICMSMonoOp: centsToText(opCents),
          pDif: fixed(pDif, 4),
          vICMSMonoDif: centsToText(difCents),
          vICMSMono: centsToText(opCents - difCents),
        },
      };
    }
    case '61': {
      const a = adRem(item.produto.adRemIcms, 'adRemIcms');
      return { ICMS61: { orig, CST: '61', qBCMonoRet: qText, adRemICMSRet: fixed(a, 4), vICMSMonoRet: adRemValue(q, a) } };
    }
    case '00': {
      const p = parseDecimal(rule.aliquota, `${f}.aliquota`, { maxDecimals: 4, sign: 'nonNegative', max: '100' });
      return { ICMS00: { orig, CST: '00', modBC: '3', vBC: centsToText(item.netCents), pICMS: fixed(p, 4), vICMS: centsToText(toCents(new D(item.netCents).mul(p).div(10000))) } };
    }
    default:
      return { ICMS60: { orig, CST: '60' } };
  }
}

/** PIS or COFINS group (`tax` = 'PIS' | 'COFINS'); fuels are usually CST 04 (monofásico, alíquota zero na revenda). */
export function pisCofinsGroup(tax: 'PIS' | 'COFINS', rule: TaxRule, item: ItemBase): Record<string, TaxGroup> {
  const f = `natureza.${tax.toLowerCase()}`;
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

/**
 * IBS/CBS group (PL_010, LC 214/2025). CST 620 is the monofásico fuel regime (ad rem per
 * liter); other CSTs use the regular percentage group over the item's net value.
 */
export function ibsCbsGroup(rule: IbsCbsRule, item: ItemBase): XmlObject {
  const f = 'natureza.ibsCbs';
  if (!/^\d{3}$/.test(rule.cst)) throw orderError(`${f}.cst`, `CST de IBS/CBS inválido: "${rule.cst}" (3 dígitos).`);
  if (!/^\d{6}$/.test(rule.cClassTrib)) throw orderError(`${f}.cClassTrib`, `cClassTrib inválido: "${rule.cClassTrib}" (6 dígitos).`);
  if (rule.cst === '620') {
    const ibs = rate(item.produto.adRemIbs ?? 0, `${item.field}.produto.adRemIbs`);
    const cbs = rate(item.produto.adRemCbs ?? 0, `${item.field}.produto.adRemCbs`);
    const vIBS = adRemValue(item.q, ibs);
    const vCBS = adRemValue(item.q, cbs);
    return {
      CST: rule.cst,
      cClassTrib: rule.cClassTrib,
      gIBSCBSMono: {
        gMonoPadrao: { qBCMono: fixed(item.q, 4), adRemIBS: fixed(ibs, 4), adRemCBS: fixed(cbs, 4), vIBSMono: vIBS, vCBSMono: vCBS },
        vTotIBSMonoItem: vIBS,
        vTotCBSMonoItem: vCBS,
      },
    };
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
  const mono = (qName: string, vName: string): Partial<IcmsTot> =>
    has(vName) ? { [qName]: fixed(sumQ(icms(qName)), 2), [vName]: centsToText(sum(icms(vName))) } : {};

  const ICMSTot: IcmsTot = {
    vBC: centsToText(sum(icms('vBC'))),
    vICMS: centsToText(sum(icms('vICMS'))),
    vICMSDeson: '0.00',
    vFCP: '0.00',
    vBCST: '0.00',
    vST: '0.00',
    vFCPST: '0.00',
    vFCPSTRet: '0.00',
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
    vNF: centsToText(vProd - vDesc + vFrete + vSeg + vOutro + vICMSMonoReten),
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
        vIBSMonoReten: '0.00',
        vCBSMonoReten: '0.00',
        vIBSMonoRet: '0.00',
        vCBSMonoRet: '0.00',
      };
    }
    total.IBSCBSTot = ibsTot;
  }
  return total;
}

