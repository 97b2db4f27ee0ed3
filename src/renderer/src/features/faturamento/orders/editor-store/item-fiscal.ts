import type { IcmsStDto, ItemFiscalDto, ProductDto, TaxDefaultsFiscal } from '../../../../../../shared/api/index';
import { decimalProblem, formatDecimal, parseDecimal } from '../../../../lib/money';

/**
 * The item's fiscal data as typed (pt-BR text) and which of it the item's CST and product
 * call for. Keys are the contract's paths inside the item ("icmsSt.aliquota"), so a message
 * of the core ("items[0].icmsSt.aliquota") lands on the very input.
 */
export type FiscalKey =
  | 'aliquotaICMS'
  | 'reducaoBaseICMS'
  | 'creditoSimples'
  | 'cfop'
  | 'icmsSt.mva'
  | 'icmsSt.valorPorUnidade'
  | 'icmsSt.reducaoBase'
  | 'icmsSt.aliquota'
  | 'icmsSt.fcp'
  | 'icmsRetido.basePorUnidade'
  | 'icmsRetido.aliquota'
  | 'icmsRetido.icmsSubstitutoPorUnidade'
  | 'icmsRetido.fcp'
  | 'frete'
  | 'seguro'
  | 'outrasDespesas'
  | 'qTemp'
  | 'cide'
  | 'glp.pGLP'
  | 'glp.pGNn'
  | 'glp.pGNi'
  | 'glp.vPart';

export interface OrigemText {
  importado: boolean;
  uf: string;
  percentual: string;
}

export interface ItemFiscalText {
  values: Partial<Record<FiscalKey, string>>;
  /** modBCST as typed ("" until chosen). */
  modalidadeST: string;
  origem: OrigemText[];
}

export const EMPTY_FISCAL: ItemFiscalText = { values: {}, modalidadeST: '', origem: [] };

interface Spec {
  label: string;
  scale: number;
  example: string;
}

export const FISCAL_FIELDS: Record<Exclude<FiscalKey, 'cfop'>, Spec> = {
  aliquotaICMS: { label: 'Alíquota do ICMS (%)', scale: 4, example: '12' },
  reducaoBaseICMS: { label: 'Redução da base do ICMS (%)', scale: 4, example: '33,33' },
  creditoSimples: { label: 'Crédito do Simples (%)', scale: 4, example: '2,5' },
  'icmsSt.mva': { label: 'MVA (%)', scale: 4, example: '71,15' },
  'icmsSt.valorPorUnidade': { label: 'Pauta/PMPF (R$ por unidade)', scale: 4, example: '4,8700' },
  'icmsSt.reducaoBase': { label: 'Redução da base do ST (%)', scale: 4, example: '10' },
  'icmsSt.aliquota': { label: 'Alíquota do ICMS-ST (%)', scale: 4, example: '18' },
  'icmsSt.fcp': { label: 'FCP-ST (%)', scale: 4, example: '2' },
  'icmsRetido.basePorUnidade': { label: 'Base do ST retido (R$ por unidade)', scale: 4, example: '32,4500' },
  'icmsRetido.aliquota': { label: 'Alíquota do consumidor final (%)', scale: 4, example: '18' },
  'icmsRetido.icmsSubstitutoPorUnidade': { label: 'ICMS do substituto (R$ por unidade)', scale: 4, example: '3,9600' },
  'icmsRetido.fcp': { label: 'FCP-ST retido (%)', scale: 4, example: '2' },
  frete: { label: 'Frete do item (R$)', scale: 2, example: '150,00' },
  seguro: { label: 'Seguro do item (R$)', scale: 2, example: '12,50' },
  outrasDespesas: { label: 'Outras despesas do item (R$)', scale: 2, example: '5,00' },
  qTemp: { label: 'Quantidade à temperatura ambiente', scale: 4, example: '15.042,31' },
  cide: { label: 'CIDE (R$ por unidade)', scale: 4, example: '0,0500' },
  'glp.pGLP': { label: '% de GLP', scale: 4, example: '92,5' },
  'glp.pGNn': { label: '% de GN nacional', scale: 4, example: '7,5' },
  'glp.pGNi': { label: '% de GN importado', scale: 4, example: '0' },
  'glp.vPart': { label: 'Valor de partida (R$ por kg)', scale: 2, example: '4,85' },
};

export const MODALIDADES_ST: { code: IcmsStDto['modalidade']; label: string }[] = [
  { code: 4, label: '4 – Margem de valor agregado (MVA)' },
  { code: 5, label: '5 – Pauta (PMPF)' },
  { code: 0, label: '0 – Preço tabelado ou máximo sugerido' },
  { code: 6, label: '6 – Valor da operação' },
  { code: 1, label: '1 – Lista negativa' },
  { code: 2, label: '2 – Lista positiva' },
  { code: 3, label: '3 – Lista neutra' },
];

const ST_CSTS = new Set(['10', '30', '70', '90', '201', '202', '203', '900']);
const RETIDO_CSTS = new Set(['60', '500']);
const OWN_RATE_CSTS = new Set(['00', '10', '20', '51', '70', '90', '900']);
const REDUCTION_CSTS = new Set(['20', '70', '51', '90', '900']);
const CREDIT_CSOSNS = new Set(['101', '201', '900']);
/** ANP code of GLP (rejections 855/856). */
const GLP_ANP = '210203001';

/** What the item's CST and product ask for on screen. */
export interface FiscalSections {
  ownRate: boolean;
  reduction: boolean;
  credit: boolean;
  st: boolean;
  retido: boolean;
  fuel: boolean;
  glp: boolean;
}

export function sectionsFor(cst: string, product: ProductDto | null | undefined): FiscalSections {
  return {
    ownRate: OWN_RATE_CSTS.has(cst),
    reduction: REDUCTION_CSTS.has(cst),
    credit: CREDIT_CSOSNS.has(cst),
    st: ST_CSTS.has(cst),
    retido: RETIDO_CSTS.has(cst),
    fuel: !!product?.cProdANP,
    glp: product?.cProdANP === GLP_ANP,
  };
}

/** Keys shown (and sent) for these sections; charges and CFOP always. */
function activeKeys(s: FiscalSections): FiscalKey[] {
  const keys: FiscalKey[] = ['cfop', 'frete', 'seguro', 'outrasDespesas'];
  if (s.ownRate) keys.push('aliquotaICMS');
  if (s.reduction) keys.push('reducaoBaseICMS');
  if (s.credit) keys.push('creditoSimples');
  if (s.st) keys.push('icmsSt.mva', 'icmsSt.valorPorUnidade', 'icmsSt.reducaoBase', 'icmsSt.aliquota', 'icmsSt.fcp');
  if (s.retido) keys.push('icmsRetido.basePorUnidade', 'icmsRetido.aliquota', 'icmsRetido.icmsSubstitutoPorUnidade', 'icmsRetido.fcp');
  if (s.fuel) keys.push('qTemp', 'cide');
  if (s.glp) keys.push('glp.pGLP', 'glp.pGNn', 'glp.pGNi', 'glp.vPart');
  return keys;
}

const text = (f: ItemFiscalText, k: FiscalKey) => (f.values[k] ?? '').trim();

/** pt-BR problems of the typed fiscal data, keyed by the item's field path. */
export function fiscalErrors(f: ItemFiscalText, s: FiscalSections, at: (k: string) => string, errors: Record<string, string>): void {
  for (const k of activeKeys(s)) {
    const t = text(f, k);
    if (!t) continue;
    if (k === 'cfop') {
      if (!/^[1-7]\d{3}$/.test(t)) errors[at(k)] = 'CFOP do item: 4 dígitos (ex.: 5405).';
      continue;
    }
    const spec = FISCAL_FIELDS[k];
    const problem = decimalProblem(t, spec.scale, spec.example);
    if (problem) errors[at(k)] = `${spec.label}: ${problem}`;
  }
  const stTyped = s.st && (['icmsSt.mva', 'icmsSt.valorPorUnidade', 'icmsSt.reducaoBase', 'icmsSt.aliquota', 'icmsSt.fcp'] as const).some((k) => text(f, k));
  if (stTyped || (s.st && f.modalidadeST)) {
    if (!f.modalidadeST) errors[at('icmsSt.modalidade')] = 'Escolha a modalidade da base do ICMS-ST.';
    if (!text(f, 'icmsSt.aliquota')) errors[at('icmsSt.aliquota')] = 'Informe a alíquota do ICMS-ST.';
    if (f.modalidadeST === '4' && !text(f, 'icmsSt.mva')) errors[at('icmsSt.mva')] = 'Modalidade 4 (MVA): informe a MVA.';
    if (['0', '1', '2', '3', '5'].includes(f.modalidadeST) && !text(f, 'icmsSt.valorPorUnidade')) errors[at('icmsSt.valorPorUnidade')] = 'Informe a pauta/PMPF por unidade.';
  }
  const retTyped = s.retido && (['icmsRetido.basePorUnidade', 'icmsRetido.aliquota', 'icmsRetido.icmsSubstitutoPorUnidade', 'icmsRetido.fcp'] as const).some((k) => text(f, k));
  if (retTyped) {
    if (!text(f, 'icmsRetido.basePorUnidade')) errors[at('icmsRetido.basePorUnidade')] = 'Informe a base do ST retido por unidade.';
    if (!text(f, 'icmsRetido.aliquota')) errors[at('icmsRetido.aliquota')] = 'Informe a alíquota suportada pelo consumidor final.';
  }
  if (s.fuel) {
    f.origem.forEach((o, j) => {
      if (!o.uf) errors[at(`origem[${j}].uf`)] = 'Escolha a UF de origem.';
      const p = decimalProblem(o.percentual, 4, '100');
      if (!o.percentual.trim() || p) errors[at(`origem[${j}].percentual`)] = `Percentual da origem: ${p ?? 'informe de 0 a 100.'}`;
    });
  }
}

/** The contract's item fiscal data; undefined when something does not parse (totals wait). */
export function toItemFiscalDto(f: ItemFiscalText, s: FiscalSections): ItemFiscalDto | undefined {
  const keys = new Set(activeKeys(s));
  let bad = false;
  const num = (k: Exclude<FiscalKey, 'cfop'>): string | null => {
    const t = keys.has(k) ? text(f, k) : '';
    if (!t) return null;
    const v = parseDecimal(t, FISCAL_FIELDS[k].scale);
    if (v === null) bad = true;
    return v;
  };
  const stAliquota = num('icmsSt.aliquota');
  const icmsSt: IcmsStDto | null =
    s.st && f.modalidadeST !== '' && stAliquota
      ? {
          modalidade: Number(f.modalidadeST) as IcmsStDto['modalidade'],
          mva: num('icmsSt.mva'),
          valorPorUnidade: num('icmsSt.valorPorUnidade'),
          reducaoBase: num('icmsSt.reducaoBase'),
          aliquota: stAliquota,
          fcp: num('icmsSt.fcp'),
        }
      : null;
  const base = num('icmsRetido.basePorUnidade');
  const pST = num('icmsRetido.aliquota');
  const icmsRetido = s.retido && base && pST ? { basePorUnidade: base, aliquota: pST, icmsSubstitutoPorUnidade: num('icmsRetido.icmsSubstitutoPorUnidade'), fcp: num('icmsRetido.fcp') } : null;
  const g = s.glp ? { pGLP: num('glp.pGLP'), pGNn: num('glp.pGNn'), pGNi: num('glp.pGNi'), vPart: num('glp.vPart') } : null;
  const glp = g && g.pGLP !== null && g.pGNn !== null && g.pGNi !== null && g.vPart !== null ? { pGLP: g.pGLP, pGNn: g.pGNn, pGNi: g.pGNi, vPart: g.vPart } : null;
  const origem = s.fuel
    ? f.origem.map((o) => {
        const p = parseDecimal(o.percentual, 4);
        if (p === null || !o.uf) bad = true;
        return { importado: o.importado, uf: o.uf, percentual: p ?? '' };
      })
    : [];
  const cfop = text(f, 'cfop');
  if (cfop && !/^[1-7]\d{3}$/.test(cfop)) bad = true;
  const dto: ItemFiscalDto = {
    aliquotaICMS: num('aliquotaICMS'),
    reducaoBaseICMS: num('reducaoBaseICMS'),
    creditoSimples: num('creditoSimples'),
    icmsSt,
    icmsRetido,
    cfop: cfop || null,
    frete: num('frete'),
    seguro: num('seguro'),
    outrasDespesas: num('outrasDespesas'),
    qTemp: num('qTemp'),
    cide: num('cide'),
    glp,
    origem,
  };
  return bad ? undefined : dto;
}

const show = (v: string | null | undefined) => (v ? formatDecimal(v) : undefined);

/** Typed text back from a saved item (or from the product's last use). */
export function fiscalText(d: Partial<ItemFiscalDto> | TaxDefaultsFiscal | null | undefined, keep?: ItemFiscalText): ItemFiscalText {
  if (!d) return keep ?? EMPTY_FISCAL;
  const full = d as Partial<ItemFiscalDto>;
  const v: Partial<Record<FiscalKey, string | undefined>> = {
    ...(keep?.values ?? {}),
    aliquotaICMS: show(d.aliquotaICMS),
    reducaoBaseICMS: show(d.reducaoBaseICMS),
    creditoSimples: show(d.creditoSimples),
    cfop: d.cfop ?? undefined,
    'icmsSt.mva': show(d.icmsSt?.mva),
    'icmsSt.valorPorUnidade': d.icmsSt?.valorPorUnidade ? formatDecimal(d.icmsSt.valorPorUnidade, 4) : undefined,
    'icmsSt.reducaoBase': show(d.icmsSt?.reducaoBase),
    'icmsSt.aliquota': show(d.icmsSt?.aliquota),
    'icmsSt.fcp': show(d.icmsSt?.fcp),
    'icmsRetido.basePorUnidade': d.icmsRetido ? formatDecimal(d.icmsRetido.basePorUnidade, 4) : undefined,
    'icmsRetido.aliquota': show(d.icmsRetido?.aliquota),
    'icmsRetido.icmsSubstitutoPorUnidade': d.icmsRetido?.icmsSubstitutoPorUnidade ? formatDecimal(d.icmsRetido.icmsSubstitutoPorUnidade, 4) : undefined,
    'icmsRetido.fcp': show(d.icmsRetido?.fcp),
    cide: d.cide ? formatDecimal(d.cide, 4) : undefined,
    'glp.pGLP': show(d.glp?.pGLP),
    'glp.pGNn': show(d.glp?.pGNn),
    'glp.pGNi': show(d.glp?.pGNi),
    'glp.vPart': d.glp ? formatDecimal(d.glp.vPart, 2) : undefined,
  };
  if ('frete' in full) {
    v.frete = full.frete ? formatDecimal(full.frete, 2) : undefined;
    v.seguro = full.seguro ? formatDecimal(full.seguro, 2) : undefined;
    v.outrasDespesas = full.outrasDespesas ? formatDecimal(full.outrasDespesas, 2) : undefined;
    v.qTemp = show(full.qTemp);
  }
  const values = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as Partial<Record<FiscalKey, string>>;
  return {
    values,
    modalidadeST: d.icmsSt ? String(d.icmsSt.modalidade) : '',
    origem: (d.origem ?? []).map((o) => ({ importado: o.importado, uf: o.uf, percentual: formatDecimal(o.percentual) })),
  };
}

/** Something of the fiscal data is filled (the panel opens by itself for it). */
export function hasFiscalText(f: ItemFiscalText): boolean {
  return f.modalidadeST !== '' || f.origem.length > 0 || Object.values(f.values).some((v) => !!v?.trim());
}
